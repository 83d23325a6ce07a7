// The session lives in this module's memory only: never localStorage or sessionStorage, never
// a cookie. Closing or reloading the tab ends it; signing out revokes it on the server too.

let state = null; // {access, refresh, user}
const listeners = new Set();

export function current() {
  return state;
}

export function start(tokens, user) {
  state = { access: tokens.access_token, refresh: tokens.refresh_token, user };
  listeners.forEach((fn) => fn(state));
}

export function rotate(tokens) {
  if (!state) return;
  state = { ...state, access: tokens.access_token, refresh: tokens.refresh_token };
}

export function setUser(user) {
  if (state) state = { ...state, user };
}

export function end() {
  state = null;
  listeners.forEach((fn) => fn(null));
}

export function onChange(fn) {
  listeners.add(fn);
}

export function isAdmin() {
  return state?.user?.rol === "admin";
}
