// What a forecast answer says beyond its series, as plain text and table rows (no DOM here, so
// these rules are unit-tested with node): the alerts, each provider's horizon, how many sources
// each step still has, and the daily summary of an hourly series.
import { ALERT_LEVELS, ALERT_TYPES, dayOf, label, num, timeOf, when } from "./format.js";

const UNITS = { dias: ["día", "días"], horas: ["hora", "horas"] };
const RISK = { nulo: "Nulo", ninguno: "Ninguno", bajo: "Bajo", moderado: "Moderado", alto: "Alto" };
const ITH_BANDS = ["normal", "alerta", "peligro", "emergencia"];
const SHORT = { ith: "ITH", ith_ajustado: "ITH ajustado", riesgo_helada: "riesgo de helada" };

/** The CSS class of an alert's level: the worse levels get the stronger colour. */
export function alertClass(alert) {
  return ["emergencia", "alto"].includes(alert.nivel) ? "alerta-grave" : "alerta-media";
}

/** "Estrés calórico: peligro" — what a screen reader announces first. */
export function alertTitle(alert) {
  const kind = ALERT_TYPES[alert.tipo] || alert.tipo;
  const level = ALERT_LEVELS[alert.nivel] || alert.nivel;
  return `${kind}: ${level.toLowerCase()}`;
}

/** "5/12/2026, 11:00 a. m. – 5:00 p. m. · pico 79,84 (ITH)" (or "Del … al …" across days),
 * in the query's zone. */
export function alertDetail(alert, zone) {
  const name = SHORT[alert.variable] || label(alert.variable);
  // A frost alert's peak is its gravest level as a number (0-3): its `nivel` already says it.
  const numeric = alert.pico != null && alert.variable !== "riesgo_helada";
  const peak = numeric ? ` · pico ${num(alert.pico)} (${name})` : "";
  // Within one day (the usual afternoon): the date once, then the hours.
  const end = Date.parse(alert.hasta) - 1; // `hasta` is the end of the last step
  const span =
    dayOf(alert.desde, zone) === dayOf(end, zone)
      ? `${dayOf(alert.desde, zone)}, ${timeOf(alert.desde, zone)} – ${timeOf(alert.hasta, zone)}`
      : `Del ${when(alert.desde, zone)} al ${when(alert.hasta, zone)}`;
  return `${span}${peak}`;
}

/** Alerts in time order (the API sends them so; a stored copy may not). */
export function sortedAlerts(alerts) {
  return [...(alerts || [])].sort((a, b) => Date.parse(a.desde) - Date.parse(b.desde));
}

/** One row per provider: name, last instant it covers, its declared reach, model, issued. */
export function horizonRows(forecast, zone) {
  return Object.entries(forecast?.horizontes || {}).map(([provider, hz]) => {
    const reach = hz.horizonte;
    const words = UNITS[reach?.unidad] || [reach?.unidad, reach?.unidad];
    return [
      provider,
      when(hz.limite, zone),
      reach ? `${reach.cantidad} ${reach.cantidad === 1 ? words[0] : words[1]}` : "—",
      hz.modelo || "—",
      hz.emitido_en ? when(hz.emitido_en, zone) : "—",
    ];
  });
}

/** How many providers a step's value of `variable` combines, and who is past its horizon. */
export function sourcesAt(point, variable) {
  const value = point?.consenso?.[variable];
  const beyond = (value?.descartadas || [])
    .filter((d) => d.motivo === "fuera_de_horizonte")
    .map((d) => d.fuente)
    .sort();
  return { count: value?.n_fuentes ?? null, beyond };
}

/** Where the number of sources changes along the series: [{desde, n_fuentes, fuera}]. */
export function sourceSteps(serie, variable) {
  const steps = [];
  for (const point of serie || []) {
    const { count, beyond } = sourcesAt(point, variable);
    if (count == null) continue;
    const last = steps[steps.length - 1];
    if (!last || last.n_fuentes !== count)
      steps.push({ desde: point.instante, n_fuentes: count, fuera: beyond });
  }
  return steps;
}

/** "2 fuentes desde 5 dic 2026, 00:00; 1 fuente desde 11 dic 2026, 11:00 (fuera de
 * horizonte: meteosource)" — the fall of n_fuentes with lead time, in words. */
export function sourceStepsText(serie, variable, zone) {
  return sourceSteps(serie, variable)
    .map(
      (s) =>
        `${s.n_fuentes} ${s.n_fuentes === 1 ? "fuente" : "fuentes"} desde ${when(s.desde, zone)}` +
        (s.fuera.length ? ` (fuera de horizonte: ${s.fuera.join(", ")})` : ""),
    )
    .join("; ");
}

export const DAILY_HEADERS = [
  "Día",
  "Horas ITH normal / alerta / peligro / emergencia",
  "Horas de alivio nocturno",
  "ET0",
  "Grados día",
  "Grados día acumulados",
  "Riesgo de helada",
];

/** The daily summary of an hourly series, one row per local day. */
export function dailyRows(days) {
  return (days || []).map((d) => [
    d.fecha,
    d.horas_ith ? ITH_BANDS.map((band) => String(d.horas_ith[band] ?? 0)).join(" / ") : "—",
    d.horas_alivio_nocturno == null ? "—" : String(d.horas_alivio_nocturno),
    num(d.et0, "mm"),
    num(d.grados_dia, "°C·día"),
    num(d.grados_dia_acumulados, "°C·día"),
    d.riesgo_helada == null ? "—" : RISK[d.riesgo_helada] || d.riesgo_helada,
  ]);
}
