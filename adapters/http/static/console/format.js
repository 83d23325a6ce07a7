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
};

// The query types the console offers; the forecast joins this table when its endpoint exists.
export const QUERY_TYPES = {
  tiempo_real: { label: "Tiempo real", path: "/api/consultas/tiempo-real", series: false },
  historico: { label: "Histórico", path: "/api/consultas/historico", series: true },
};

export const STATES = {
  completada: "Completada",
  error: "Error",
  pendiente: "Pendiente",
  procesando: "Procesando",
};

export const FORMATS = ["csv", "json", "txt", "yaml"];

export const label = (name) => VARIABLES[name] || name;

const numbers = new Intl.NumberFormat("es-CO", { maximumFractionDigits: 2 });

export function num(value, unit) {
  if (value === null || value === undefined) return "—";
  return unit ? `${numbers.format(value)} ${unit}` : numbers.format(value);
}

const dates = new Intl.DateTimeFormat("es-CO", { dateStyle: "medium", timeStyle: "short" });

export function when(iso) {
  return iso ? dates.format(new Date(iso)) : "—";
}

/** Today as YYYY-MM-DD in the browser's zone. */
export function today(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
