// A new query: type, place (city search, a favourite or coordinates), variables and, for a
// series, its dates. The answer is kept in memory and shown by the result view.
import { api } from "./api.js";
import { errorBox, field, formValues, h, input, mount, select, showError } from "./dom.js";
import { QUERY_TYPES, VARIABLES, today } from "./format.js";

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

function variableControls() {
  const chosen = new Set(prefill.parametros || ["temperatura", "precipitacion"]);
  return h(
    "fieldset",
    { class: "variables" },
    h("legend", {}, "Variables"),
    Object.entries(VARIABLES).map(([name, text]) =>
      h(
        "label",
        { class: "opcion" },
        h("input", {
          type: "checkbox",
          name: "parametros",
          value: name,
          checked: chosen.has(name),
        }),
        ` ${text}`,
      ),
    ),
  );
}

function seriesControls() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "America/Bogota";
  return h(
    "fieldset",
    { class: "serie" },
    h("legend", {}, "Periodo"),
    h(
      "div",
      { class: "fila" },
      field(
        "Desde",
        input("fecha_inicio", { type: "date", value: prefill.fecha_inicio || today(-7) }),
      ),
      field("Hasta", input("fecha_fin", { type: "date", value: prefill.fecha_fin || today(-1) })),
    ),
    field(
      "Granularidad",
      select("granularidad", [
        ["diaria", "Diaria"],
        ["horaria", "Horaria"],
      ]),
    ),
    field("Zona horaria", input("zona_horaria", { value: prefill.zona_horaria || zone })),
  );
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
  if (QUERY_TYPES[values.tipo].series) {
    for (const k of ["fecha_inicio", "fecha_fin", "granularidad", "zona_horaria"])
      out[k] = values[k];
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
  type.value = pre.tipo || "historico";
  const period = seriesControls();
  const syncType = () => {
    period.hidden = !QUERY_TYPES[type.value].series;
  };
  type.addEventListener("change", syncType);
  syncType();
  const box = errorBox();
  const button = h("button", { type: "submit" }, "Consultar");
  const form = h(
    "form",
    { class: "tarjeta", novalidate: true },
    field("Tipo de consulta", type),
    placeControls(favorites),
    variableControls(),
    period,
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
