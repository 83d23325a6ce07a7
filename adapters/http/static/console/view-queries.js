// My queries, with the API's filters (type, state, city, dates) and its paging.
import { api, qs } from "./api.js";
import { field, formValues, h, input, mount, select, table } from "./dom.js";
import { QUERY_TYPES, STATES, when } from "./format.js";

let filters = { page: 1, per_page: 20 };

export function queryRows(consultas) {
  return consultas.map((q) => [
    h("a", { href: `#/resultado/${q.id}` }, `Consulta ${q.id}`),
    QUERY_TYPES[q.tipo_consulta]?.label || q.tipo_consulta,
    q.ciudad || `${q.latitud}, ${q.longitud}`,
    STATES[q.estado] || q.estado,
    when(q.creada_en),
  ]);
}

export const QUERY_HEADERS = ["Consulta", "Tipo", "Lugar", "Estado", "Creada"];

function pager(answer, go) {
  const prev = h(
    "button",
    {
      type: "button",
      class: "secundario",
      disabled: answer.page <= 1,
      onclick: () => go(answer.page - 1),
    },
    "Anterior",
  );
  const next = h(
    "button",
    {
      type: "button",
      class: "secundario",
      disabled: answer.page >= answer.pages,
      onclick: () => go(answer.page + 1),
    },
    "Siguiente",
  );
  return h(
    "nav",
    { class: "paginas", "aria-label": "Páginas" },
    prev,
    h(
      "span",
      {},
      `Página ${answer.page} de ${Math.max(answer.pages, 1)} · ${answer.total} en total`,
    ),
    next,
  );
}

export { pager };

export async function myQueries() {
  const answer = await api("GET", `/api/consultas/mis-consultas${qs(filters)}`);
  const form = h(
    "form",
    { class: "filtros", "aria-label": "Filtros" },
    field(
      "Tipo",
      select("tipo", [["", "Todos"], ...Object.entries(QUERY_TYPES).map(([k, t]) => [k, t.label])]),
    ),
    field("Estado", select("estado", [["", "Todos"], ...Object.entries(STATES)])),
    field("Ciudad", input("ciudad", { value: filters.ciudad || "" })),
    field("Desde", input("desde", { type: "date", value: filters.desde || "" })),
    field("Hasta", input("hasta", { type: "date", value: filters.hasta || "" })),
    h("button", { type: "submit" }, "Filtrar"),
  );
  form.elements.tipo.value = filters.tipo || "";
  form.elements.estado.value = filters.estado || "";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    filters = { ...formValues(form), page: 1, per_page: 20 };
    myQueries();
  });
  const go = (page) => {
    filters = { ...filters, page };
    myQueries();
  };
  mount(
    h("h1", {}, "Mis consultas"),
    form,
    answer.consultas.length
      ? table("Mis consultas", QUERY_HEADERS, queryRows(answer.consultas))
      : h("p", {}, "No hay consultas con estos filtros."),
    pager(answer, go),
  );
}
