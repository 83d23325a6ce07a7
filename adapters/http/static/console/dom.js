// Small DOM helpers: elements are built with textContent only (never innerHTML), so text
// from the API can never become markup.

/** h("p", {class: "x", onclick: fn}, "texto", child) → the element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let uid = 0;

/** A labelled control: <label for=id>texto</label> + the control (given an id here). */
export function field(label, control, hint) {
  control.id ||= `c${++uid}`;
  const parts = [h("label", { for: control.id }, label), control];
  if (hint) {
    const hintId = `${control.id}-ayuda`;
    control.setAttribute("aria-describedby", hintId);
    parts.push(h("small", { id: hintId }, hint));
  }
  return h("div", { class: "campo" }, parts);
}

export function input(name, attrs = {}) {
  return h("input", { name, ...attrs });
}

export function select(name, options, attrs = {}) {
  return h(
    "select",
    { name, ...attrs },
    options.map(([value, text]) => h("option", { value }, text)),
  );
}

/** The region where a form shows the API's Spanish message (announced to screen readers). */
export function errorBox() {
  return h("p", { class: "error", role: "alert", hidden: true });
}

export function showError(box, err) {
  box.textContent = err ? err.message || String(err) : "";
  box.hidden = !err;
}

/** Replace the contents of main and move focus to its heading (for keyboards and readers). */
export function mount(...children) {
  const main = document.getElementById("main");
  main.replaceChildren(...children);
  const heading = main.querySelector("h1");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
  return main;
}

/** A table that scrolls sideways on a narrow phone instead of widening the page. */
export function table(caption, headers, rows) {
  return h(
    "div",
    { class: "tabla", tabindex: "0", role: "region", "aria-label": caption },
    h(
      "table",
      {},
      h("caption", {}, caption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          headers.map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((cells) =>
          h(
            "tr",
            {},
            cells.map((c) => h("td", {}, c)),
          ),
        ),
      ),
    ),
  );
}

export function formValues(form) {
  const out = {};
  for (const [key, value] of new FormData(form).entries()) out[key] = value;
  return out;
}

export function notice(text) {
  document.getElementById("aviso").textContent = text || "";
}
