// One chart per variable: the consensus line, the providers' min–max band around it and each
// provider's own line (toggled by labelled checkboxes, so keyboards and readers reach them).
// It takes the series the API answers — [{instante, consenso: {var: {valor, min, max}},
// lecturas?: {proveedor: {var: valor}}}] — so a forecast series plugs in unchanged.
import uPlot from "./uPlot.esm.js";
import { h } from "./dom.js";
import { label, num, when } from "./format.js";

const CONSENSUS = "#0b4f8a";
export const BAND_FILL = "rgba(11, 79, 138, 0.22)";
const PALETTE = ["#8a3b00", "#1a5e1e", "#6a1b9a", "#a01818", "#00564c", "#4e342e"];

/** The columns uPlot draws for one variable: times, consensus, max, min, providers. */
export function columns(serie, variable) {
  const providers = [...new Set(serie.flatMap((p) => Object.keys(p.lecturas || {})))].filter(
    (name) => serie.some((p) => p.lecturas?.[name]?.[variable] != null),
  );
  const pick = (p, key) => p.consenso?.[variable]?.[key] ?? null;
  return {
    providers,
    data: [
      serie.map((p) => Date.parse(p.instante) / 1000),
      serie.map((p) => pick(p, "valor")),
      serie.map((p) => pick(p, "max")),
      serie.map((p) => pick(p, "min")),
      ...providers.map((name) => serie.map((p) => p.lecturas?.[name]?.[variable] ?? null)),
    ],
  };
}

/** Tick labels in Spanish, in the query's own time zone (hours when the steps are hours). */
function timeLabels(zone) {
  const day = new Intl.DateTimeFormat("es-CO", { timeZone: zone, day: "numeric", month: "short" });
  const hour = new Intl.DateTimeFormat("es-CO", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  });
  return (u, splits, axis, space, step) => {
    let previous = "";
    return splits.map((s) => {
      const date = day.format(s * 1000);
      if (step >= 86400) return date;
      const text = date === previous ? hour.format(s * 1000) : `${hour.format(s * 1000)}\n${date}`;
      previous = date;
      return text; // the date only under the first hour of each day
    });
  };
}

/** Dashed vertical lines where a provider's forecast ends (`limits`: [{name, t}] in seconds). */
function horizonMarks(limits) {
  return (u) => {
    const { ctx, bbox } = u;
    const [first, last] = [u.scales.x.min, u.scales.x.max];
    ctx.save();
    ctx.strokeStyle = "#3d3d3d";
    ctx.fillStyle = "#1a1a1a";
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
    limits
      .filter(({ t }) => t > first && t < last)
      .forEach(({ name, t }, i) => {
        const x = Math.round(u.valToPos(t, "x", true));
        // The label on the side with more room, so it never covers the axis.
        const left = x > bbox.left + bbox.width / 2;
        ctx.textAlign = left ? "right" : "left";
        ctx.beginPath();
        ctx.moveTo(x, bbox.top);
        ctx.lineTo(x, bbox.top + bbox.height);
        ctx.stroke();
        const y = bbox.top + (14 + 14 * i) * devicePixelRatio; // one label under the other
        ctx.fillText(`fin ${name}`, x + (left ? -4 : 4) * devicePixelRatio, y);
      });
    ctx.restore();
  };
}

function options(width, unit, providers, zone, hooks) {
  const line = (name, stroke, extra = {}) => ({ label: name, stroke, width: 2, ...extra });
  return {
    hooks,
    width,
    height: 260,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone),
    axes: [
      // space: room for "16:00" over "5 dic" so two days' labels never run together.
      {
        stroke: "#1a1a1a",
        grid: { stroke: "#d0d0d0" },
        values: timeLabels(zone),
        size: 50,
        space: 70,
      },
      { stroke: "#1a1a1a", grid: { stroke: "#d0d0d0" }, label: unit, size: 56 },
    ],
    series: [
      {},
      line("Consenso", CONSENSUS, { width: 3, points: { show: true, size: 6 } }),
      line("Máximo", "rgba(11, 79, 138, 0.5)", { width: 1 }),
      line("Mínimo", "rgba(11, 79, 138, 0.5)", { width: 1 }),
      ...providers.map((name, i) => line(name, PALETTE[i % PALETTE.length], { dash: [6, 4] })),
    ],
    bands: [{ series: [2, 3], fill: BAND_FILL }],
  };
}

function toggles(plot, providers) {
  return h(
    "fieldset",
    { class: "series" },
    h("legend", {}, "Líneas"),
    h("span", { class: "muestra consenso" }, "Consenso"),
    h("span", { class: "muestra banda" }, "Rango mín.–máx. de los proveedores"),
    providers.map((name, i) => {
      const box = h("input", { type: "checkbox", checked: true, name: `linea-${name}` });
      box.addEventListener("change", () => plot.setSeries(4 + i, { show: box.checked }));
      return h("label", { class: `muestra p${i % PALETTE.length}` }, box, ` ${name}`);
    }),
  );
}

/** What the cursor points at: the step, its consensus and spread, and how many sources. */
function readout(serie, variable, unit, zone, box) {
  return (u) => {
    const i = u.cursor.idx;
    const v = i == null ? null : serie[i]?.consenso?.[variable];
    if (!v) {
      box.textContent = "Toque o pase el cursor por la gráfica para ver cada paso.";
      return;
    }
    const n = v.n_fuentes;
    box.textContent =
      `${when(serie[i].instante, zone)}: consenso ${num(v.valor, unit)}` +
      (v.min != null ? ` (mín. ${num(v.min)} – máx. ${num(v.max)})` : "") +
      (n != null ? `, ${n} ${n === 1 ? "fuente" : "fuentes"}` : "");
  };
}

/** Draw the chart of `variable` (times shown in `zone`) into a new figure and return it.
 * `limits` ([{name, t}], t in seconds) marks where each provider's forecast ends. */
export function chart(serie, variable, unit, zone = "UTC", limits = []) {
  const { providers, data } = columns(serie, variable);
  // Steps where the providers disagree: there the band has a height.
  const withBand = data[0].filter((_, i) => data[2][i] != null && data[2][i] > data[3][i]).length;
  const counts = serie.map((p) => p.consenso?.[variable]?.n_fuentes).filter((n) => n != null);
  const plotArea = h("div", { class: "lienzo" });
  const box = h("p", { class: "lectura meta" });
  const figure = h(
    "figure",
    {
      class: "grafica",
      dataset: {
        variable,
        puntos: data[0].length,
        banda: withBand,
        proveedores: providers.length,
        fuentesMax: counts.length ? Math.max(...counts) : 0,
        fuentesMin: counts.length ? Math.min(...counts) : 0,
      },
    },
    h(
      "figcaption",
      {},
      `Consenso y rango de los proveedores${unit ? `, en ${unit}` : " (sin unidad)"}`,
    ),
    plotArea,
    box,
  );
  const valid = data[1].filter((v) => v != null);
  plotArea.setAttribute("role", "img");
  plotArea.setAttribute(
    "aria-label",
    `${label(variable)}: ${data[0].length} puntos, consenso entre ` +
      `${num(Math.min(...valid), unit)} y ${num(Math.max(...valid), unit)}; ` +
      "los valores están en la tabla de abajo.",
  );
  const width = () => Math.max(280, Math.min(plotArea.clientWidth || 320, 1100));
  const show = readout(serie, variable, unit, zone, box);
  const hooks = { setCursor: [show], ...(limits.length ? { draw: [horizonMarks(limits)] } : {}) };
  const plot = new uPlot(options(320, unit, providers, zone, hooks), data, plotArea);
  show(plot);
  figure.append(toggles(plot, providers));
  requestAnimationFrame(() => plot.setSize({ width: width(), height: 260 }));
  new ResizeObserver(() => plot.setSize({ width: width(), height: 260 })).observe(plotArea);
  return figure;
}
