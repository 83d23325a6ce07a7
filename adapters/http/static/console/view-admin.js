// For admins: the users (search, role, active) and the audit log, both paginated.
import { api, qs } from "./api.js";
import { errorBox, field, formValues, h, input, mount, select, showError, table } from "./dom.js";
import { when } from "./format.js";
import { pager } from "./view-queries.js";

const ROLES = [
  ["admin", "Administrador"],
  ["operario", "Operario"],
  ["consultor", "Consultor"],
];
let userFilters = { page: 1 };
let logFilters = { page: 1 };

function filterForm(controls, current, apply) {
  const form = h(
    "form",
    { class: "filtros", "aria-label": "Filtros" },
    controls,
    h("button", { type: "submit" }, "Filtrar"),
  );
  for (const [k, v] of Object.entries(current)) if (form.elements[k]) form.elements[k].value = v;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply({ ...formValues(form), page: 1 });
  });
  return form;
}

export async function users() {
  const answer = await api("GET", `/api/usuarios${qs(userFilters)}`);
  const box = errorBox();
  const change = (u, body) => async () => {
    try {
      await api("PATCH", `/api/usuarios/${u.id}`, body);
      users();
    } catch (err) {
      showError(box, err);
    }
  };
  const rows = answer.usuarios.map((u) => {
    const role = select("rol", ROLES, { "aria-label": `Rol de ${u.username}` });
    role.value = u.rol;
    role.addEventListener("change", () => change(u, { rol: role.value })());
    return [
      u.username,
      u.email,
      role,
      u.activo ? "sí" : "no",
      when(u.ultimo_login),
      h(
        "button",
        {
          type: "button",
          class: u.activo ? "peligro" : "secundario",
          "aria-label": `${u.activo ? "Desactivar" : "Activar"} a ${u.username}`,
          onclick: change(u, { activo: !u.activo }),
        },
        u.activo ? "Desactivar" : "Activar",
      ),
    ];
  });
  mount(
    h("h1", {}, "Usuarios"),
    h("p", {}, h("a", { href: "#/auditoria" }, "Ver el registro de auditoría")),
    filterForm(
      [
        field("Buscar", input("q", { type: "search" })),
        field("Rol", select("rol", [["", "Todos"], ...ROLES])),
      ],
      userFilters,
      (f) => {
        userFilters = f;
        users();
      },
    ),
    box,
    table("Usuarios", ["Usuario", "Correo", "Rol", "Activo", "Último ingreso", "Acción"], rows),
    pager(answer, (page) => {
      userFilters = { ...userFilters, page };
      users();
    }),
  );
}

export async function audit() {
  const answer = await api("GET", `/api/logs${qs(logFilters)}`);
  const rows = answer.logs.map((e) => [
    when(e.creado_en),
    String(e.usuario_id ?? "—"),
    e.accion,
    JSON.stringify(e.detalle),
    e.ip_address || "—",
  ]);
  mount(
    h("h1", {}, "Registro de auditoría"),
    filterForm(
      [
        field("Usuario (id)", input("usuario", { inputmode: "numeric" })),
        field("Acción", input("accion")),
        field("Desde", input("desde", { type: "date" })),
        field("Hasta", input("hasta", { type: "date" })),
      ],
      logFilters,
      (f) => {
        logFilters = f;
        audit();
      },
    ),
    table("Registro de auditoría", ["Cuándo", "Usuario", "Acción", "Detalle", "IP"], rows),
    pager(answer, (page) => {
      logFilters = { ...logFilters, page };
      audit();
    }),
  );
}
