// The result of one query: where it was asked, a forecast's alerts (on top) and horizons, the
// chart per variable (consensus, band, providers), the table of values with the number of
// sources, provenance and discarded sources, a forecast's daily summary, and the downloads.
import { api, call, download } from "./api.js";
import { chart } from "./chart.js";
import { errorBox, h, mount, notice, showError, table } from "./dom.js";
import { FORMATS, QUERY_TYPES, STATES, label, num, when } from "./format.js";
import { sourceStepsText } from "./forecast.js";
import { alertsSection, dailySection, horizonsSection } from "./view-forecast.js";
import { answers, prepare } from "./view-query.js";

const discarded = (v) =>
  (v?.descartadas || []).map((d) => `${d.fuente} (${d.motivo})`).join(", ") || "—";
const provenance = (v) =>
  (v?.procedencia || [])
    .map((o) =>
      o.estacion
        ? `${o.fuente}: ${o.tipo}, estación ${o.nombre || o.estacion}`
        : `${o.fuente}: ${o.tipo}`,
    )
    .join("; ") ||
  (v?.fuentes || []).join(", ") ||
  "—";

function downloads(id) {
  const box = errorBox();
  const buttons = FORMATS.map((format) =>
    h(
      "button",
      {
        type: "button",
        class: "secundario",
        dataset: { formato: format },
        onclick: async () => {
          showError(box, null);
          try {
            notice(`Descargado ${await download(id, format)}`);
          } catch (err) {
            showError(box, err);
          }
        },
      },
      `Descargar ${format.toUpperCase()}`,
    ),
  );
  return h(
    "section",
    { class: "descargas", "aria-label": "Descargas" },
    h("h2", {}, "Descargas"),
    h("div", { class: "botones" }, buttons),
    box,
  );
}

function alternatives(answer, query) {
  const geo = answer.ubicacion?.geocodificacion;
  if (!geo?.alternativas?.length) return null;
  const name = (c) => [c.nombre, c.departamento, c.pais].filter(Boolean).join(", ");
  return h(
    "section",
    {},
    h("h2", {}, "¿Era otro lugar?"),
    h("p", {}, `Se eligió ${name(geo.elegida)}. Otras coincidencias:`),
    h(
      "ul",
      { class: "alternativas" },
      geo.alternativas.map((c) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "enlace",
              onclick: () => {
                prepare({
                  ...query.parametros_solicitados,
                  tipo: query.tipo_consulta,
                  ciudad: c.nombre,
                  latitud: c.latitud,
                  longitud: c.longitud,
                  fecha_inicio: query.fecha_inicio,
                  fecha_fin: query.fecha_fin,
                });
                location.hash = "#/consulta";
              },
            },
            `${name(c)} (${num(c.latitud)}, ${num(c.longitud)})`,
          ),
        ),
      ),
    ),
  );
}

function providerState(p, forecast) {
  if (p.estado === "ok") return "respondió";
  if (forecast && p.estado === "omitido" && p.motivo === "no_soportado")
    return "no pronostica (observa el presente)";
  const why = p.motivo || p.codigo || p.estado;
  return `${p.estado === "omitido" ? "omitido" : "sin datos"} (${why})`;
}

function providersTable(providers, forecast) {
  const rows = Object.entries(providers || {}).map(([name, p]) => [
    name,
    providerState(p, forecast),
    p.tipo || "—",
  ]);
  return rows.length
    ? table("Proveedores consultados", ["Proveedor", "Estado", "Tipo"], rows)
    : null;
}

function currentValues(consensus) {
  return table(
    "Valores de consenso",
    ["Variable", "Consenso", "Mín.–máx.", "Fuentes", "Procedencia", "Descartadas"],
    Object.entries(consensus || {}).map(([name, v]) => [
      label(name),
      v.descripcion || num(v.valor, v.unidad),
      `${num(v.min)} – ${num(v.max)}`,
      String(v.n_fuentes ?? "—"),
      provenance(v),
      discarded(v),
    ]),
  );
}

function seriesSection(serie, variable, unit, zone, limits) {
  const rows = serie.map((p) => {
    const v = p.consenso?.[variable];
    return [
      when(p.instante, zone),
      v?.descripcion || num(v?.valor, unit),
      `${num(v?.min)} – ${num(v?.max)}`,
      String(v?.n_fuentes ?? "—"),
      provenance(v),
      discarded(v),
    ];
  });
  // A forecast: where the sources thin out with lead time, said in words beside the chart.
  const fall = limits ? sourceStepsText(serie, variable, zone) : "";
  return h(
    "section",
    { class: "variable" },
    h("h2", {}, label(variable)),
    chart(serie, variable, unit, zone, limits || []),
    fall ? h("p", { class: "fuentes-por-paso" }, `Fuentes por paso: ${fall}.`) : null,
    h(
      "details",
      {},
      h("summary", {}, `Tabla de valores (${rows.length})`),
      table(
        `${label(variable)} por instante`,
        ["Instante", "Consenso", "Mín.–máx.", "Fuentes", "Procedencia", "Descartadas"],
        rows,
      ),
    ),
  );
}

/** Each provider's last covered instant, for the chart's "fin <proveedor>" marks. */
function horizonLimits(forecast) {
  return Object.entries(forecast?.horizontes || {})
    .filter(([, hz]) => hz.limite)
    .map(([name, hz]) => ({ name, t: Date.parse(hz.limite) / 1000 }));
}

/** The full series with each provider's readings (the JSON export with detalle=fuentes). */
async function fullSeries(id) {
  const resp = await call("GET", `/api/consultas/${id}/descargar?formato=json&detalle=fuentes`);
  return resp.json();
}

export async function result(id) {
  // The answer of the POST that just created it is used once; any later visit reads the
  // stored query, as a link from "Mis consultas" or a reload of this view would.
  const answer = answers.get(String(id)) || (await api("GET", `/api/consultas/${id}`));
  answers.delete(String(id));
  const query = answer.consulta;
  const type = QUERY_TYPES[query.tipo_consulta];
  const asked = query.parametros_solicitados || {};
  const head = [
    h(
      "h1",
      {},
      `Consulta ${query.id}: ${query.ciudad || `${num(query.latitud)}, ${num(query.longitud)}`}`,
    ),
    h(
      "p",
      { class: "meta" },
      `${type?.label || query.tipo_consulta} · ${STATES[query.estado] || query.estado} · ` +
        when(query.creada_en, asked.zona_horaria) +
        (query.fecha_inicio ? ` · del ${query.fecha_inicio} al ${query.fecha_fin}` : ""),
    ),
  ];
  const parts = [alternatives(answer, query)];
  const box = errorBox();
  if (type?.series && query.estado === "completada") {
    try {
      const full = await fullSeries(id);
      // A forecast's extras: from the answer just received, else from the stored export.
      const forecast = answer.pronostico || full.pronostico;
      const zone = asked.zona_horaria || forecast?.zona_horaria || "UTC";
      if (type.forecast) {
        head.push(alertsSection(answer.alertas ?? full.alertas, zone));
        parts.push(horizonsSection(forecast, zone));
      }
      const units = Object.fromEntries(
        Object.entries(full.resumen || answer.resumen || {}).map(([k, s]) => [k, s.unidad]),
      );
      const variables = asked.parametros || Object.keys(units);
      const limits = type.forecast ? horizonLimits(forecast) : null;
      // The export has the whole series with each provider's readings; should it have none,
      // the answer's own (first page, consensus only) is still worth drawing.
      const serie = full.serie || answer.serie || [];
      parts.push(
        ...variables
          .filter((v) => serie.some((p) => p.consenso?.[v]))
          .map((v) => seriesSection(serie, v, units[v], zone, limits)),
      );
      if (type.forecast) parts.push(dailySection(answer.resumen_diario ?? full.resumen_diario));
    } catch (err) {
      showError(box, err);
    }
  } else if (query.estado === "completada") {
    parts.push(h("h2", {}, "Tiempo actual"), currentValues(answer.datos?.consenso));
  } else {
    parts.push(
      h(
        "p",
        { class: "error" },
        `La consulta no se completó: ${query.mensaje_error || "sin detalle"}.`,
      ),
    );
  }
  parts.push(
    box,
    providersTable(answer.proveedores || answer.datos?.proveedores, type?.forecast),
  );
  if (query.estado === "completada") parts.push(downloads(query.id));
  mount(...head.filter(Boolean), ...parts.filter(Boolean));
}
