"""Every operation of the API (path template → method → operation), in Spanish for users."""

from __future__ import annotations

from typing import Any

from adapters.http.openapi import bodies as b
from adapters.http.openapi.responses import JSON, error_refs, json_response
from adapters.http.openapi.schemas import ref

Operation = dict[str, Any]
DOWNLOAD_TYPES = {
    "application/json": {"type": "object"},
    "text/csv": {"type": "string"},
    "text/plain": {"type": "string"},
    "application/yaml": {"type": "object"},
}


def op(
    summary: str,
    tag: str,
    ok: tuple[int, dict[str, Any]],
    *,
    public: bool = False,
    body: str | None = None,
    params: list[dict[str, Any]] | None = None,
    errors: set[int] | frozenset[int] = frozenset(),
    description: str | None = None,
    database: bool = True,
    overrides: dict[int, str] | None = None,
) -> Operation:
    """One operation; the errors every operation of its kind can return are added here.

    `database`: the operation reads or writes the database, so it answers 503 while that is
    down. `overrides`: status → another response component (429 on queries is a spent quota).
    """
    statuses = set(errors)
    if database:
        statuses |= {503}
    if not public:
        statuses |= {401, 403}
    if body:
        statuses |= {400, 413, 415}
    if params:
        statuses |= {400}
    if any(p["in"] == "path" for p in params or ()):
        statuses |= {404}
    operation: Operation = {"summary": summary, "tags": [tag]}
    if description:
        operation["description"] = description
    if public:
        operation["security"] = []
    if params:
        operation["parameters"] = params
    if body:
        operation["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": {"$ref": f"#/components/schemas/{body}"}}},
        }
    status, response = ok
    operation["responses"] = {str(status): response, **error_refs(statuses, overrides)}
    return operation


def ok(description: str, schema: str) -> dict[str, Any]:
    return json_response(description, ref(schema))


NO_CONTENT = {"description": "Hecho; sin cuerpo."}
NO_KEY = (
    "400 (detalles.proveedores = sin_clave) si ninguno de los proveedores pedidos tiene clave; "
    "429 cuota_agotada si solo faltó cuota (Retry-After hasta la medianoche de QUOTA_TIMEZONE); "
    "502 si se les preguntó y ninguno respondió."
)
QUOTA = {429: "CuotaAgotada"}
Q, KEY, FAV, USER = (b.path_id(n) for n in ("query_id", "key_id", "favorite_id", "user_id"))


def auth_paths() -> dict[str, dict[str, Operation]]:
    register = op(
        "Crear una cuenta (rol operario) e iniciar sesión",
        "autenticación",
        (201, ok("Cuenta creada, con su primer par de tokens.", "Sesion")),
        public=True,
        body="Registro",
        errors={409},
    )
    legacy = {**register, "summary": "Alias de /api/auth/register", "deprecated": True}
    return {
        "/api/auth/register": {"post": register},
        "/api/usuarionuevo": {"post": legacy},
        "/api/auth/login": {
            "post": op(
                "Iniciar sesión con username o email",
                "autenticación",
                (200, ok("Sesión iniciada.", "Sesion")),
                public=True,
                body="Login",
                errors={401, 429},
                description="Tras varios fallos seguidos por cuenta o por IP responde 429.",
            )
        },
        "/api/auth/refresh": {
            "post": op(
                "Cambiar un token de refresco por un par nuevo",
                "autenticación",
                (200, ok("Par nuevo; el token usado deja de valer.", "Tokens")),
                public=True,
                body="Refresco",
                errors={401},
                description="Reusar un token de refresco ya usado revoca toda su familia.",
            )
        },
        "/api/auth/logout": {
            "post": op(
                "Cerrar la sesión (revoca este token y su familia de refresco)",
                "autenticación",
                (200, ok("Sesión cerrada.", "Mensaje")),
            )
        },
        "/api/auth/me": {
            "get": op("Mi cuenta", "autenticación", (200, ok("Su cuenta.", "UsuarioEnvuelto")))
        },
        "/api/auth/me/password": {
            "patch": op(
                "Cambiar mi contraseña (cierra las demás sesiones)",
                "autenticación",
                (200, ok("Contraseña cambiada.", "Mensaje")),
                body="CambioPassword",
                errors={429},
            )
        },
        "/api/auth/me/actividad": {
            "get": op(
                "Mi actividad",
                "autenticación",
                (200, ok("Sus acciones, las más recientes primero.", "PaginaActividad")),
                params=b.ACTIVITY_FILTERS,
            )
        },
    }


def query_paths() -> dict[str, dict[str, Operation]]:
    download = {
        "description": "El archivo, en UTF-8, enviado por partes.",
        "headers": {
            "Content-Disposition": {
                "description": "attachment; filename=consulta_<id>.<extensión>",
                "schema": {"type": "string"},
            }
        },
        "content": {kind: {"schema": schema} for kind, schema in DOWNLOAD_TYPES.items()},
    }
    return {
        "/api/consultas": {
            "get": op(
                "Todas las consultas (admin: todas; consultor: las completadas)",
                "consultas",
                (200, ok("Una página de consultas.", "PaginaConsultas")),
                params=[*b.QUERY_FILTERS, b.USER_FILTER],
            )
        },
        "/api/consultas/tiempo-real": {
            "post": op(
                "Consultar el tiempo actual: consenso de todos los proveedores",
                "consultas",
                (201, ok("Consulta completada y guardada.", "ResultadoTiempoReal")),
                body="ConsultaTiempoReal",
                errors={404, 429, 502},
                overrides=QUOTA,
                description=NO_KEY + " 404 ciudad_no_encontrada si la geocodificación no "
                "halla la ciudad.",
            )
        },
        "/api/consultas/historico": {
            "post": op(
                "Consultar un rango histórico diario u horario",
                "consultas",
                (201, ok("Consulta completada y guardada.", "ResultadoHistorico")),
                body="ConsultaHistorica",
                errors={404, 429, 502},
                overrides=QUOTA,
                description=NO_KEY + " El rango tiene un máximo de días según la granularidad.",
            )
        },
        "/api/consultas/mis-consultas": {
            "get": op(
                "Mis consultas",
                "consultas",
                (200, ok("Una página de sus consultas.", "PaginaConsultas")),
                params=b.QUERY_FILTERS,
            )
        },
        "/api/consultas/{query_id}": {
            "get": op(
                "Una consulta guardada y su resultado",
                "consultas",
                (200, ok("La consulta.", "ConsultaGuardada")),
                params=[Q],
            )
        },
        "/api/consultas/{query_id}/descargar": {
            "get": op(
                "Descargar una consulta completada en json, csv, txt o yaml",
                "consultas",
                (200, download),
                params=[Q, *b.DOWNLOAD_OPTIONS],
                errors={409},
                description="409 consulta_no_completada si la consulta no terminó bien.",
            )
        },
    }
