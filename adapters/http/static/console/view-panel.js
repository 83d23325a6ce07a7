// The panel: the latest queries, today's usage, the default favourite and its active alerts
// (a 2-day forecast asked through the public API, as any client would; drawn when it arrives,
// so the panel never waits for the providers).
import { api, qs } from "./api.js";
import { h, mount, table } from "./dom.js";
import { QUERY_TYPES, num, today } from "./format.js";
import * as session from "./session.js";
import { alertsSection } from "./view-forecast.js";
import { QUERY_HEADERS, queryRows } from "./view-queries.js";

// Each forecast is a stored query: one per favourite per half hour (the API's own forecast
// cache time) is enough, kept in this tab's memory and dropped when the session changes.
const ALERTS_TTL_MS = 30 * 60 * 1000;
const ALERT_DAYS = 2;
// The inputs of the heat-stress and frost alerts, and the indices themselves.
const ALERT_VARIABLES = ["temperatura", "humedad_relativa", "ith", "riesgo_helada"];
let recent = null; // {favorite id, when, answer}
session.onChange(() => {
  recent = null;
});

async function favoriteForecast(fav) {
  if (recent?.id === fav.id && Date.now() - recent.at < ALERTS_TTL_MS) return recent.answer;
  const answer = await api("POST", QUERY_TYPES.pronostico.path, {
    ciudad: fav.nombre_ciudad,
    latitud: fav.latitud,
    longitud: fav.longitud,
    dias: ALERT_DAYS,
    granularidad: "horaria",
    parametros: ALERT_VARIABLES,
  });
  recent = { id: fav.id, at: Date.now(), answer };
  return answer;
}

/** A 400 naming the indices as unknown ("parametros desconocidos: ith, riesgo_helada"): this
 * deployment computes no farm indices, hence no alerts. */
function indicesRefused(err) {
  const unknown = /desconocid[oa]s?:\s*(.*)$/.exec(err.message || "")?.[1] || "";
  const names = unknown.split(/[\s,]+/);
  return err.status === 400 && ALERT_VARIABLES.slice(2).some((name) => names.includes(name));
}

/** The alerts card: filled in when the forecast answers; a Spanish sentence when it cannot. */
function alertsCard(fav) {
  const status = h("p", { role: "status" });
  const card = h("section", { class: "tarjeta alertas-panel" }, h("h2", {}, "Alertas"), status);
  if (!fav) {
    status.textContent =
      "Sin ciudad predeterminada: elija una en Favoritas para ver aquí sus alertas.";
    return card;
  }
  status.textContent = `Revisando el pronóstico de ${ALERT_DAYS} días para ${fav.nombre_ciudad}…`;
  favoriteForecast(fav).then(
    (answer) => {
      const zone =
        answer.pronostico?.zona_horaria || answer.consulta?.parametros_solicitados?.zona_horaria;
      const link = h(
        "a",
        { href: `#/resultado/${answer.consulta.id}` },
        `Ver el pronóstico (consulta ${answer.consulta.id})`,
      );
      if (!Array.isArray(answer.alertas)) {
        status.textContent = "Este servidor aún no calcula alertas. ";
        status.append(link);
      } else if (!answer.alertas.length) {
        status.textContent =
          `Sin alertas en los próximos ${ALERT_DAYS} días para ${fav.nombre_ciudad}. `;
        status.append(link);
      } else {
        status.textContent = `${fav.nombre_ciudad}, próximos ${ALERT_DAYS} días. `;
        status.append(link);
        card.replaceChildren(alertsSection(answer.alertas, zone, "Alertas"), status);
      }
    },
    (err) => {
      if (indicesRefused(err)) {
        status.textContent =
          "Este servidor aún no calcula alertas (no ofrece los índices ITH ni de helada).";
        return;
      }
      status.classList.add("error");
      status.textContent =
        `No se pudieron revisar las alertas de ${fav.nombre_ciudad}: ${err.message}`;
    },
  );
  return card;
}

function usage(stats) {
  const quotas = (stats.cuotas_hoy || []).map(
    (q) => `${q.proveedor}: ${q.usadas_hoy} de ${q.limite_diario}`,
  );
  return h(
    "section",
    { class: "tarjeta" },
    h("h2", {}, "Uso de hoy"),
    h(
      "dl",
      { class: "cifras" },
      h("dt", {}, "Consultas"),
      h("dd", {}, String(stats.total_consultas ?? 0)),
      h("dt", {}, "Completadas"),
      h("dd", {}, String(stats.completadas ?? 0)),
      h("dt", {}, "Tasa de éxito"),
      h("dd", {}, stats.tasa_exito == null ? "—" : `${num(stats.tasa_exito * 100)} %`),
    ),
    quotas.length ? h("p", {}, `Cuotas de sus claves: ${quotas.join("; ")}`) : null,
  );
}

function defaultPlace(favorites) {
  const fav = favorites.find((f) => f.es_default);
  return h(
    "section",
    { class: "tarjeta" },
    h("h2", {}, "Ciudad predeterminada"),
    fav
      ? h("p", {}, `${fav.nombre_ciudad} (${num(fav.latitud)}, ${num(fav.longitud)})`)
      : h("p", {}, "Sin ciudad predeterminada. ", h("a", { href: "#/favoritas" }, "Elegir una")),
  );
}

export async function panel() {
  const [latest, stats, favorites] = await Promise.all([
    api("GET", `/api/consultas/mis-consultas${qs({ per_page: 5 })}`),
    api("GET", `/api/reportes/estadisticas${qs({ desde: today() })}`),
    api("GET", "/api/ciudades-favoritas"),
  ]);
  const user = session.current()?.user;
  mount(
    h("h1", {}, `Hola, ${user?.nombre_completo || user?.username || ""}`),
    h("p", {}, h("a", { class: "boton", href: "#/consulta" }, "Nueva consulta")),
    alertsCard(favorites.ciudades_favoritas.find((f) => f.es_default)),
    h("div", { class: "rejilla" }, usage(stats), defaultPlace(favorites.ciudades_favoritas)),
    h(
      "section",
      {},
      h("h2", {}, "Últimas consultas"),
      latest.consultas.length
        ? table("Últimas consultas", QUERY_HEADERS, queryRows(latest.consultas))
        : h("p", {}, "Aún no ha hecho consultas."),
    ),
  );
}
