// The console's entry point: a hash router over the views, the navigation and sign-out.
// Views are loaded on first use, so the first screen (sign-in) needs only a few small files.
import { api, whenExpired } from "./api.js";
import { h, mount, notice } from "./dom.js";
import * as session from "./session.js";
import { register, signIn } from "./view-auth.js";

const ROUTES = {
  panel: { title: "Panel", load: () => import("./view-panel.js"), view: (m) => m.panel() },
  consulta: {
    title: "Nueva consulta",
    load: () => import("./view-query.js"),
    view: (m) => m.newQuery(),
  },
  resultado: { load: () => import("./view-result.js"), view: (m, id) => m.result(id) },
  consultas: {
    title: "Mis consultas",
    load: () => import("./view-queries.js"),
    view: (m) => m.myQueries(),
  },
  claves: { title: "Claves", load: () => import("./view-keys.js"), view: (m) => m.keys() },
  favoritas: {
    title: "Favoritas",
    load: () => import("./view-favorites.js"),
    view: (m) => m.favorites(),
  },
  usuarios: {
    title: "Usuarios",
    admin: true,
    load: () => import("./view-admin.js"),
    view: (m) => m.users(),
  },
  auditoria: { admin: true, load: () => import("./view-admin.js"), view: (m) => m.audit() },
};

function parse() {
  const [name, arg] = location.hash.replace(/^#\/?/, "").split("/");
  return { name: name || "panel", arg };
}

function navigation(active) {
  const nav = document.getElementById("nav");
  const signedIn = Boolean(session.current());
  nav.hidden = !signedIn;
  document.getElementById("salir").hidden = !signedIn;
  if (!signedIn) return nav.replaceChildren();
  const links = Object.entries(ROUTES)
    .filter(([, r]) => r.title && (!r.admin || session.isAdmin()))
    .map(([name, r]) =>
      h("a", { href: `#/${name}`, "aria-current": name === active ? "page" : null }, r.title),
    );
  nav.replaceChildren(...links);
}

let pending = ""; // a message for the next screen (e.g. why the session ended)

async function route() {
  const { name, arg } = parse();
  notice(pending);
  pending = "";
  if (!session.current()) {
    navigation(null);
    document.title = "ClimaGuru · Ingresar";
    (name === "registro" ? register : signIn)(enter);
    // The first screen is drawn and its form answers: the mark the load-time test reads.
    if (!performance.getEntriesByName("consola-interactiva").length) {
      performance.mark("consola-interactiva");
    }
    return;
  }
  const target = ROUTES[name] && (!ROUTES[name].admin || session.isAdmin()) ? name : "panel";
  navigation(target);
  document.title = `ClimaGuru · ${ROUTES[target].title || "Consulta"}`;
  try {
    await ROUTES[target].view(await ROUTES[target].load(), arg);
  } catch (err) {
    if (session.current())
      mount(
        h("h1", {}, "No se pudo mostrar"),
        h("p", { class: "error", role: "alert" }, err.message),
      );
  }
}

function enter() {
  if (["", "#/ingresar", "#/registro"].includes(location.hash)) location.hash = "#/panel";
  else route();
}

async function signOut() {
  try {
    await api("POST", "/api/auth/logout");
  } catch {
    // The session ends here whatever the server says; its tokens die with this page.
  }
  session.end();
  show("#/ingresar", "Sesión cerrada");
}

/** Go to `hash` with a message, whether or not the hash changes. */
function show(hash, message) {
  pending = message;
  if (location.hash === hash) route();
  else location.hash = hash;
}

whenExpired(() => show("#/ingresar", "La sesión terminó; ingrese de nuevo."));
document.getElementById("salir").addEventListener("click", signOut);
window.addEventListener("hashchange", route);
route();
