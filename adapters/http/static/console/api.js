// Every call the console makes goes through here, to the public API of this same origin.
// A 401 refreshes the session once (one refresh shared by concurrent calls) and repeats the
// call; a second 401, or a failed refresh, ends the session and returns to sign-in.
import * as session from "./session.js";

/** An API error: the API's Spanish `message`, its machine `code` and `detalles`. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `Error ${status} de ClimaGuru`);
    this.status = status;
    this.code = body?.error || null;
    this.details = body?.detalles || null;
  }
}

let refreshing = null;
let onExpired = () => {};

/** What to do when the session cannot be renewed (the app sends the user to sign-in). */
export function whenExpired(fn) {
  onExpired = fn;
}

async function send(method, path, body, access) {
  const headers = { Accept: "application/json" };
  if (access) headers.Authorization = `Bearer ${access}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, { message: "No se pudo conectar con ClimaGuru; revise la conexión." });
  }
}

async function refresh() {
  const s = session.current();
  if (!s?.refresh) return false;
  const resp = await send("POST", "/api/auth/refresh", { refresh_token: s.refresh });
  if (!resp.ok) return false;
  session.rotate(await resp.json());
  return true;
}

function refreshOnce() {
  refreshing ||= refresh().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function failure(resp) {
  let body = null;
  try {
    body = await resp.json();
  } catch {
    body = null;
  }
  return new ApiError(resp.status, body);
}

/** The raw Response of an authenticated call, after at most one refresh. */
export async function call(method, path, body) {
  const before = session.current();
  let resp = await send(method, path, body, before?.access);
  if (resp.status === 401 && before) {
    // Another call may already have rotated the tokens: then just repeat with the new one.
    const renewed = session.current()?.access !== before.access || (await refreshOnce());
    if (renewed) resp = await send(method, path, body, session.current()?.access);
    if (resp.status === 401 || !renewed) {
      session.end();
      onExpired();
      throw new ApiError(401, { message: "La sesión terminó; ingrese de nuevo." });
    }
  }
  if (!resp.ok) throw await failure(resp);
  return resp;
}

/** JSON in, JSON out (null for 204). */
export async function api(method, path, body) {
  const resp = await call(method, path, body);
  return resp.status === 204 ? null : resp.json();
}

/** Calls that need no session (sign-in, register). */
export async function anonymous(method, path, body) {
  const resp = await send(method, path, body);
  if (!resp.ok) throw await failure(resp);
  return resp.json();
}

/** A query string from the non-empty values of an object. */
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v != null) q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : "";
}

/** Download an export: fetched with the token, saved through a short-lived blob: URL. */
export async function download(queryId, format) {
  const resp = await call("GET", `/api/consultas/${queryId}/descargar${qs({ formato: format })}`);
  const disposition = resp.headers.get("Content-Disposition") || "";
  const name = /filename=([^;]+)/.exec(disposition)?.[1] || `consulta_${queryId}.${format}`;
  const url = URL.createObjectURL(await resp.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name.trim();
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked a minute later, not at once: a slow phone (or a loaded host) may start reading the
  // blob seconds after the click, and a revoked URL cancels the download.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return name;
}
