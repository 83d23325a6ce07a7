// A new query: type (current, forecast or history), place (city search, a favourite or
// coordinates), variables and farm indices and, for a series, its days or dates. The answer is
// kept in memory and shown by the result view.
import { api } from "./api.js";
import { errorBox, field, formValues, h, input, mount, select, showError } from "./dom.js";
import { FORECAST_ONLY, INDICES, QUERY_TYPES, VARIABLES, today } from "./format.js";

export const answers = new Map(); // query id → the answer of the POST that created it
let prefill = {};

/** Open the form already filled (e.g. with a geocoding alternative's coordinates). */
export function prepare(values) {
  prefill = values;
}

/** "Usar mi ubicación": the device's position (asked by the browser, never stored). */
function hereButton() {
  const status = h("span", { class: "meta", role: "status" });
  const button = h("button", { type: "button", class: "secundario" }, "Usar mi ubicación");
  button.addEventListener("click", () => {
    status.textContent = "Buscando su ubicación…";
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => {
        const form = button.form;
        form.elements.latitud.value = coords.latitude.toFixed(5);
        form.elements.longitud.value = coords.longitude.toFixed(5);
        status.textContent = `Ubicación tomada (±${Math.round(coords.accuracy)} m)`;
      },
      () => {
        status.textContent = "No se pudo obtener la ubicación; escriba las coordenadas.";
      },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });
  return h("div", { class: "botones aqui" }, button, status);
}

function placeControls(favorites) {
  const modes = [
    ["ciudad", "Buscar ciudad"],
    ["favorita", "Ciudad favorita"],
    ["coordenadas", "Coordenadas"],
  ];
  const initial = prefill.latitud ? "coordenadas" : favorites.length ? "favorita" : "ciudad";
  const panes = {
    ciudad: field(
      "Ciudad",
      input("ciudad", { value: prefill.ciudad || "" }),
      "Por ejemplo: Montería",
    ),
    favorita: favorites.length
      ? field(
          "Favorita",
          select(
            "favorita",
            favorites.map((f) => [
              f.id,
              `${f.nombre_ciudad}${f.es_default ? " (predeterminada)" : ""}`,
            ]),
          ),
        )
      : h("p", {}, "Aún no tiene favoritas: ", h("a", { href: "#/favoritas" }, "agregue una")),
    coordenadas: h(
      "div",
      { class: "fila" },
      field("Latitud", input("latitud", { inputmode: "decimal", value: prefill.latitud ?? "" })),
      field("Longitud", input("longitud", { inputmode: "decimal", value: prefill.longitud ?? "" })),
      h("input", { type: "hidden", name: "etiqueta", value: prefill.ciudad || "" }),
      "geolocation" in navigator ? hereButton() : null,
    ),
  };
  const radios = modes.map(([value, text]) => {
    const radio = h("input", { type: "radio", name: "lugar", value, checked: value === initial });
    radio.addEventListener("change", () => show(value));
    return h("label", { class: "opcion" }, radio, ` ${text}`);
  });
  const show = (mode) =>
    Object.entries(panes).forEach(([name, pane]) => {
      pane.hidden = name !== mode;
    });
  show(initial);
  return h(
    "fieldset",
    {},
    h("legend", {}, "Lugar"),
    h("div", { class: "opciones" }, radios),
    Object.values(panes),
  );
}

function checkbox(name, text, chosen) {
  return h(
    "label",
    { class: "opcion", dataset: { nombre: name } },
    h("input", { type: "checkbox", name: "parametros", value: name, checked: chosen.has(name) }),
    ` ${text}`,
  );
}

/** The variables and, apart, the farm indices; forecast-only variables show for forecasts. */
function variableControls() {
  const chosen = new Set(prefill.parametros || ["temperatura", "precipitacion"]);
  return [
    h(
      "fieldset",
      { class: "variables" },
      h("legend", {}, "Variables"),
      Object.entries(VARIABLES).map(([name, text]) => checkbox(name, text, chosen)),
    ),
    h(
      "fieldset",
      { class: "variables" },
      h("legend", {}, "Índices agropecuarios"),
      h(
        "p",
        { class: "meta" },
        "Calculados por ClimaGuru con los datos de cada proveedor " +
          "(ITH: estrés calórico del ganado).",
      ),
      Object.entries(INDICES).map(([name, text]) => checkbox(name, text, chosen)),
    ),
  ];
}

/** History: a date range; forecast: how many days from today (1–16). Both: steps and zone. */
function seriesControls() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "America/Bogota";
  const dates = h(
    "div",
    { class: "fila" },
    field(
      "Desde",
      input("fecha_inicio", { type: "date", value: prefill.fecha_inicio || today(-7) }),
    ),
    field("Hasta", input("fecha_fin", { type: "date", value: prefill.fecha_fin || today(-1) })),
  );
  const days = field(
    "Días de pronóstico",
    input("dias", {
      type: "number",
      min: 1,
      max: 16,
      step: 1,
      inputmode: "numeric",
      value: prefill.dias || 7,
    }),
    "De 1 a 16, contando hoy",
  );
  const granularity = select("granularidad", [
    ["diaria", "Diaria"],
    ["horaria", "Horaria"],
  ]);
  if (prefill.granularidad) granularity.value = prefill.granularidad;
  const fieldset = h(
    "fieldset",
    { class: "serie" },
    h("legend", {}, "Periodo"),
    dates,
    days,
    field("Granularidad", granularity),
    field("Zona horaria", input("zona_horaria", { value: prefill.zona_horaria || zone })),
  );
  return { fieldset, dates, days, granularity };
}

function body(form, favorites) {
  const values = formValues(form);
  const out = { parametros: new FormData(form).getAll("parametros") };
  if (values.lugar === "favorita") {
    const fav = favorites.find((f) => String(f.id) === values.favorita);
    if (fav)
      Object.assign(out, {
        ciudad: fav.nombre_ciudad,
        latitud: fav.latitud,
        longitud: fav.longitud,
      });
  } else if (values.lugar === "coordenadas") {
    out.latitud = Number(values.latitud.replace(",", "."));
    out.longitud = Number(values.longitud.replace(",", "."));
    if (values.etiqueta) out.ciudad = values.etiqueta;
  } else if (values.ciudad) {
    out.ciudad = values.ciudad.trim();
  }
  const type = QUERY_TYPES[values.tipo];
  if (type.series) {
    out.granularidad = values.granularidad;
    // Left empty: the API takes the place's own zone.
    if (values.zona_horaria.trim()) out.zona_horaria = values.zona_horaria.trim();
    if (type.forecast) {
      // A number when it is one; anything else goes as typed, for the API to name the field.
      out.dias = /^\d+$/.test(values.dias.trim()) ? Number(values.dias) : values.dias;
    } else {
      for (const k of ["fecha_inicio", "fecha_fin"]) out[k] = values[k];
    }
  }
  return out;
}

export async function newQuery() {
  const pre = prefill;
  const favorites = (await api("GET", "/api/ciudades-favoritas")).ciudades_favoritas;
  const type = select(
    "tipo",
    Object.entries(QUERY_TYPES).map(([k, t]) => [k, t.label]),
  );
  type.value = pre.tipo || "pronostico";
  const period = seriesControls();
  const variables = variableControls();
  if (!pre.granularidad)
    period.granularity.value = QUERY_TYPES[type.value].forecast ? "horaria" : "diaria";
  const syncType = () => {
    const chosen = QUERY_TYPES[type.value];
    period.fieldset.hidden = !chosen.series;
    period.dates.hidden = Boolean(chosen.forecast);
    period.days.hidden = !chosen.forecast;
    // Variables only a forecast has are offered (and sent) for forecasts only.
    for (const name of FORECAST_ONLY) {
      const option = variables[0].querySelector(`[data-nombre="${name}"]`);
      option.hidden = !chosen.forecast;
      option.querySelector("input").disabled = !chosen.forecast;
    }
  };
  type.addEventListener("change", () => {
    // Each series type starts at its usual steps: hours ahead, days behind.
    period.granularity.value = QUERY_TYPES[type.value].forecast ? "horaria" : "diaria";
    syncType();
  });
  syncType();
  const box = errorBox();
  const button = h("button", { type: "submit" }, "Consultar");
  const form = h(
    "form",
    { class: "tarjeta", novalidate: true },
    field("Tipo de consulta", type),
    placeControls(favorites),
    variables,
    period.fieldset,
    box,
    button,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(box, null);
    button.disabled = true;
    button.textContent = "Consultando a los proveedores…";
    try {
      const answer = await api("POST", QUERY_TYPES[type.value].path, body(form, favorites));
      answers.set(String(answer.consulta.id), answer);
      location.hash = `#/resultado/${answer.consulta.id}`;
    } catch (err) {
      showError(box, err);
    } finally {
      button.disabled = false;
      button.textContent = "Consultar";
    }
  });
  prefill = {};
  mount(h("h1", {}, "Nueva consulta"), form);
}
