// Spanish labels and number/date formats shared by the views.

export const VARIABLES = {
  temperatura: "Temperatura",
  temperatura_min: "Temperatura mínima",
  temperatura_max: "Temperatura máxima",
  sensacion_termica: "Sensación térmica",
  humedad_relativa: "Humedad relativa",
  presion_atmosferica: "Presión atmosférica",
  velocidad_viento: "Velocidad del viento",
  direccion_viento: "Dirección del viento",
  rafaga_viento: "Ráfaga de viento",
  precipitacion: "Precipitación",
  nubosidad: "Nubosidad",
  visibilidad: "Visibilidad",
  indice_uv: "Índice UV",
  descripcion_clima: "Descripción del tiempo",
  probabilidad_precipitacion: "Probabilidad de precipitación",
};

// The farm indices ClimaGuru derives from each provider's own readings (issue 14). The API has
// no catalogue endpoint, so this is the one list the console offers; a deployment that does not
// compute one answers 400 naming it, and that message is shown as it comes.
export const INDICES = {
  punto_de_rocio: "Punto de rocío",
  ith: "Índice de temperatura y humedad (ITH)",
  ith_ajustado: "ITH ajustado por viento y radiación",
  et0: "Evapotranspiración de referencia (ET0)",
  grados_dia: "Grados día",
  riesgo_helada: "Riesgo de helada",
  radiacion_solar: "Radiación solar",
};

// Variables only a forecast has (current and history refuse them).
export const FORECAST_ONLY = new Set(["probabilidad_precipitacion"]);

// The query types the console offers: the endpoint each one posts to, and its form's extras.
export const QUERY_TYPES = {
  tiempo_real: { label: "Tiempo real", path: "/api/consultas/tiempo-real", series: false },
  pronostico: {
    label: "Pronóstico",
    path: "/api/consultas/pronostico",
    series: true,
    forecast: true,
  },
  historico: { label: "Histórico", path: "/api/consultas/historico", series: true },
};

// Alerts of a forecast (issue 14): what each type and level is called on the page.
export const ALERT_TYPES = { estres_calorico: "Estrés calórico", helada: "Helada" };
export const ALERT_LEVELS = {
  peligro: "Peligro",
  emergencia: "Emergencia",
  moderado: "Moderado",
  alto: "Alto",
};

export const STATES = {
  completada: "Completada",
  error: "Error",
  pendiente: "Pendiente",
  procesando: "Procesando",
};

export const FORMATS = ["csv", "json", "txt", "yaml"];

export const label = (name) => VARIABLES[name] || INDICES[name] || name;

const numbers = new Intl.NumberFormat("es-CO", { maximumFractionDigits: 2 });

export function num(value, unit) {
  if (value === null || value === undefined) return "—";
  return unit ? `${numbers.format(value)} ${unit}` : numbers.format(value);
}

const STYLES = {
  both: { dateStyle: "medium", timeStyle: "short" },
  date: { dateStyle: "medium" },
  time: { timeStyle: "short" },
};
const formatters = new Map(); // one per style and time zone asked

function formatter(style, zone) {
  const key = `${style} ${zone || ""}`;
  if (!formatters.has(key)) {
    let made;
    try {
      made = new Intl.DateTimeFormat("es-CO", { ...STYLES[style], timeZone: zone || undefined });
    } catch {
      made = new Intl.DateTimeFormat("es-CO", STYLES[style]); // a zone unknown here: the browser's
    }
    formatters.set(key, made);
  }
  return formatters.get(key);
}

/** A date and time, in `zone` when given (a query's own zone), else the browser's. */
export function when(iso, zone) {
  return iso ? formatter("both", zone).format(new Date(iso)) : "—";
}

/** The date alone / the time alone of an instant, in `zone` (as `when`). */
export const dayOf = (iso, zone) => formatter("date", zone).format(new Date(iso));
export const timeOf = (iso, zone) => formatter("time", zone).format(new Date(iso));

/** Today as YYYY-MM-DD in the browser's zone. */
export function today(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
