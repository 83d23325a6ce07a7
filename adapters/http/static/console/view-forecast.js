// The parts of a forecast's page beyond its charts: the alerts (on top, also on the panel),
// each provider's horizon and the daily summary. Text rules are in forecast.js.
import { h, table } from "./dom.js";
import {
  DAILY_HEADERS,
  alertClass,
  alertDetail,
  alertTitle,
  dailyRows,
  horizonRows,
  sortedAlerts,
} from "./forecast.js";
import { when } from "./format.js";

let uid = 0;

const FIRST_ALERTS = 3; // the rest folded, so a week of daily alerts fits a phone's screen

function alertItem(a, zone) {
  return h(
    "li",
    { class: `alerta ${alertClass(a)}`, dataset: { tipo: a.tipo, nivel: a.nivel } },
    h("span", { class: "icono", "aria-hidden": "true" }, "⚠"),
    h(
      "div",
      {},
      h("strong", {}, alertTitle(a)),
      a.mensaje ? h("p", {}, a.mensaje) : null,
      h("p", { class: "cuando" }, alertDetail(a, zone)),
    ),
  );
}

/** The alerts of a forecast: a labelled list, each with its level in words (not colour only),
 * the first few shown and the rest one click away. `alerts` undefined (an API without
 * alerts): nothing; an empty list: "no alerts". */
export function alertsSection(alerts, zone, heading = "Alertas") {
  if (!Array.isArray(alerts)) return null;
  const id = `alertas-${++uid}`;
  const list = sortedAlerts(alerts);
  const rest = list.slice(FIRST_ALERTS);
  return h(
    "section",
    { class: "alertas", "aria-labelledby": id },
    h("h2", { id }, list.length ? `${heading} (${list.length})` : heading),
    list.length
      ? h(
          "ul",
          { class: "lista-alertas" },
          list.slice(0, FIRST_ALERTS).map((a) => alertItem(a, zone)),
        )
      : h("p", { class: "sin-alertas" }, "Sin alertas de estrés calórico ni de helada."),
    rest.length
      ? h(
          "details",
          { class: "mas-alertas" },
          h("summary", {}, `Ver ${rest.length} ${rest.length === 1 ? "alerta" : "alertas"} más`),
          h("ul", { class: "lista-alertas" }, rest.map((a) => alertItem(a, zone))),
        )
      : null,
  );
}

/** When it was issued, how far it reaches and each provider's horizon. */
export function horizonsSection(forecast, zone) {
  if (!forecast) return null;
  const rows = horizonRows(forecast, zone);
  return h(
    "section",
    { class: "horizontes" },
    h("h2", {}, "Alcance del pronóstico"),
    h(
      "dl",
      { class: "cifras" },
      h("dt", {}, "Emitido"),
      h("dd", {}, when(forecast.emitido_en, zone)),
      h("dt", {}, "Hasta"),
      h("dd", {}, when(forecast.horizonte_efectivo, zone)),
      h("dt", {}, "Pasos"),
      h("dd", {}, `${forecast.dias} días, ${forecast.granularidad}`),
    ),
    rows.length
      ? table(
          "Horizonte de cada proveedor",
          ["Proveedor", "Cubre hasta", "Alcance", "Modelo", "Emitido por el proveedor"],
          rows,
        )
      : null,
  );
}

/** The daily summary of an hourly forecast (farm indices per local day), when present. */
export function dailySection(days) {
  if (!Array.isArray(days) || !days.length) return null;
  return h(
    "section",
    { class: "resumen-diario" },
    h("h2", {}, "Resumen diario"),
    table("Resumen por día local", DAILY_HEADERS, dailyRows(days)),
  );
}
