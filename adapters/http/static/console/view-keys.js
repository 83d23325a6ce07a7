// The user's own provider keys: add, see masked with today's usage and limit, probe, delete.
import { api } from "./api.js";
import {
  errorBox,
  field,
  formValues,
  h,
  input,
  mount,
  notice,
  select,
  showError,
  table,
} from "./dom.js";
import { when } from "./format.js";

const PROVIDERS = [
  ["openweathermap", "OpenWeatherMap"],
  ["meteoblue", "Meteoblue"],
  ["meteosource", "Meteosource"],
];
const RESULTS = {
  valida: "válida",
  invalida: "inválida",
  sin_acceso_al_plan: "sin acceso en su plan",
  no_verificable: "no verificable ahora",
};

function actions(key, box) {
  const run = (fn) => async () => {
    showError(box, null);
    try {
      await fn();
    } catch (err) {
      showError(box, err);
    }
  };
  return h(
    "div",
    { class: "botones" },
    h(
      "button",
      {
        type: "button",
        class: "secundario",
        "aria-label": `Probar la clave ${key.clave} de ${key.proveedor}`,
        onclick: run(async () => {
          const probe = await api("POST", `/api/api-keys/${key.id}/probar`);
          notice(
            `Clave ${key.clave} de ${key.proveedor}: ${RESULTS[probe.resultado] || probe.resultado}`,
          );
        }),
      },
      "Probar",
    ),
    h(
      "button",
      {
        type: "button",
        class: "peligro",
        "aria-label": `Borrar la clave ${key.clave} de ${key.proveedor}`,
        onclick: run(async () => {
          if (!confirm(`¿Borrar la clave ${key.clave} de ${key.proveedor}?`)) return;
          await api("DELETE", `/api/api-keys/${key.id}`);
          notice("Clave borrada");
          keys();
        }),
      },
      "Borrar",
    ),
  );
}

export async function keys() {
  const list = (await api("GET", "/api/api-keys")).api_keys;
  const box = errorBox();
  const form = h(
    "form",
    { class: "tarjeta", novalidate: true },
    h("h2", {}, "Agregar una clave"),
    field("Proveedor", select("proveedor", PROVIDERS)),
    field(
      "Clave",
      input("api_key", { type: "password", autocomplete: "off", required: true }),
      "Se guarda cifrada y solo se muestra enmascarada.",
    ),
    field(
      "Límite diario (opcional)",
      input("limite_consultas_diarias", { type: "number", min: "1", inputmode: "numeric" }),
    ),
    field("Descripción (opcional)", input("descripcion")),
    box,
    h("button", { type: "submit" }, "Agregar"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = formValues(form);
    for (const k of ["limite_consultas_diarias", "descripcion"]) if (!values[k]) delete values[k];
    if (values.limite_consultas_diarias)
      values.limite_consultas_diarias = Number(values.limite_consultas_diarias);
    try {
      await api("POST", "/api/api-keys", values);
      notice("Clave agregada");
      keys();
    } catch (err) {
      showError(box, err);
    }
  });
  const rowBox = errorBox();
  const rows = list.map((k) => [
    k.proveedor,
    k.clave,
    k.activa ? "activa" : "inactiva",
    `${k.consultas_hoy} / ${k.limite_consultas_diarias ?? "sin límite"}`,
    when(k.ultimo_uso),
    actions(k, rowBox),
  ]);
  mount(
    h("h1", {}, "Claves de proveedores"),
    list.length
      ? table(
          "Sus claves",
          ["Proveedor", "Clave", "Estado", "Uso hoy", "Último uso", "Acciones"],
          rows,
        )
      : h("p", {}, "No tiene claves propias: se usan las del sistema cuando existen."),
    rowBox,
    form,
  );
}
