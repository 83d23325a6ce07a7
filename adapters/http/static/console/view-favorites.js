// Favourite cities: add, make one the default, delete.
import { api } from "./api.js";
import { errorBox, field, formValues, h, input, mount, notice, showError, table } from "./dom.js";
import { num } from "./format.js";

export async function favorites() {
  const list = (await api("GET", "/api/ciudades-favoritas")).ciudades_favoritas;
  const box = errorBox();
  const act = (fn) => async () => {
    showError(box, null);
    try {
      await fn();
      favorites();
    } catch (err) {
      showError(box, err);
    }
  };
  const rows = list.map((f) => [
    f.nombre_ciudad,
    f.pais || "—",
    `${num(f.latitud)}, ${num(f.longitud)}`,
    f.es_default
      ? "predeterminada"
      : h(
          "button",
          {
            type: "button",
            class: "secundario",
            "aria-label": `Hacer predeterminada ${f.nombre_ciudad}`,
            onclick: act(() =>
              api("PATCH", `/api/ciudades-favoritas/${f.id}`, { es_default: true }),
            ),
          },
          "Predeterminar",
        ),
    h(
      "button",
      {
        type: "button",
        class: "peligro",
        "aria-label": `Borrar ${f.nombre_ciudad}`,
        onclick: act(() => api("DELETE", `/api/ciudades-favoritas/${f.id}`)),
      },
      "Borrar",
    ),
  ]);
  const formBox = errorBox();
  const form = h(
    "form",
    { class: "tarjeta", novalidate: true },
    h("h2", {}, "Agregar una favorita"),
    field("Nombre", input("nombre_ciudad", { required: true })),
    field("País (código, opcional)", input("pais", { maxlength: "2" })),
    h(
      "div",
      { class: "fila" },
      field("Latitud", input("latitud", { inputmode: "decimal", required: true })),
      field("Longitud", input("longitud", { inputmode: "decimal", required: true })),
    ),
    h(
      "label",
      { class: "opcion" },
      h("input", { type: "checkbox", name: "es_default", value: "si" }),
      " Predeterminada",
    ),
    formBox,
    h("button", { type: "submit" }, "Agregar"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const body = {
      nombre_ciudad: v.nombre_ciudad,
      latitud: Number(String(v.latitud).replace(",", ".")),
      longitud: Number(String(v.longitud).replace(",", ".")),
      es_default: v.es_default === "si",
    };
    if (v.pais) body.pais = v.pais.toUpperCase();
    try {
      await api("POST", "/api/ciudades-favoritas", body);
      notice("Favorita agregada");
      favorites();
    } catch (err) {
      showError(formBox, err);
    }
  });
  mount(
    h("h1", {}, "Ciudades favoritas"),
    list.length
      ? table("Sus favoritas", ["Ciudad", "País", "Coordenadas", "Predeterminada", "Borrar"], rows)
      : h("p", {}, "Aún no tiene favoritas."),
    box,
    form,
  );
}
