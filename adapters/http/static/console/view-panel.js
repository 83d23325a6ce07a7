// The panel: the latest queries, today's usage and the default favourite. The alerts of the
// default favourite join here once the API answers them (farm indices and alerts, issue 14).
import { api, qs } from "./api.js";
import { h, mount, table } from "./dom.js";
import { num, today } from "./format.js";
import * as session from "./session.js";
import { QUERY_HEADERS, queryRows } from "./view-queries.js";

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
