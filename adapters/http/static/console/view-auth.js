// Sign in and register: the only views without a session.
import { anonymous } from "./api.js";
import { errorBox, field, formValues, h, input, mount, showError } from "./dom.js";
import * as session from "./session.js";

function authForm(title, controls, submitText, submit, footer) {
  const box = errorBox();
  const button = h("button", { type: "submit" }, submitText);
  const form = h("form", { class: "tarjeta", novalidate: true }, controls, box, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(box, null);
    button.disabled = true;
    try {
      await submit(formValues(form));
    } catch (err) {
      showError(box, err);
    } finally {
      button.disabled = false;
    }
  });
  mount(h("section", { class: "acceso" }, h("h1", {}, title), form, footer));
}

export function signIn(next) {
  authForm(
    "Ingresar",
    [
      field("Usuario o correo", input("username", { autocomplete: "username", required: true })),
      field(
        "Contraseña",
        input("password", { type: "password", autocomplete: "current-password", required: true }),
      ),
    ],
    "Ingresar",
    async (values) => {
      const answer = await anonymous("POST", "/api/auth/login", values);
      session.start(answer, answer.usuario);
      next();
    },
    h("p", {}, "¿No tiene cuenta? ", h("a", { href: "#/registro" }, "Registrarse")),
  );
}

export function register(next) {
  authForm(
    "Crear una cuenta",
    [
      field(
        "Usuario",
        input("username", { autocomplete: "username", required: true }),
        "De 3 a 50 letras, números, punto, guion o guion bajo.",
      ),
      field("Correo", input("email", { type: "email", autocomplete: "email", required: true })),
      field("Nombre completo (opcional)", input("nombre_completo", { autocomplete: "name" })),
      field(
        "Contraseña",
        input("password", { type: "password", autocomplete: "new-password", required: true }),
        "Al menos 8 caracteres; evite las contraseñas comunes.",
      ),
    ],
    "Registrarse",
    async (values) => {
      if (!values.nombre_completo) delete values.nombre_completo;
      const answer = await anonymous("POST", "/api/auth/register", values);
      session.start(answer, answer.usuario);
      next();
    },
    h("p", {}, "¿Ya tiene cuenta? ", h("a", { href: "#/ingresar" }, "Ingresar")),
  );
}
