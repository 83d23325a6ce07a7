"""Reusable responses (components.responses): every error status with the one error body."""

from __future__ import annotations

from typing import Any

JSON = "application/json"
SECONDS = {"type": "integer", "minimum": 1}
WAIT = "segundos que conviene esperar antes de reintentar"
RETRY = {"Retry-After": {"description": WAIT, "schema": SECONDS, "required": True}}
SCHEME = {"type": "string", "pattern": "^Bearer"}
REALM = 'siempre Bearer realm="climaguru"'
BEARER = {"WWW-Authenticate": {"description": REALM, "schema": SCHEME, "required": True}}

# component → (status, description, example code and message, headers); by status, the first
# of a status is the one operations use unless they pick another (429 on queries: the quota).
ERRORS: dict[str, tuple[int, str, str, str, dict[str, Any]]] = {
    "SolicitudInvalida": (400, "Datos inválidos (error validacion, json_invalido o "
        "solicitud_invalida); detalles dice qué campo falla.", "validacion",
        "latitud debe estar entre -90 y 90", {}),
    "NoAutenticado": (401, "Falta el token, o es inválido, caducado o revocado; o las "
        "credenciales no son correctas.", "no_autenticado", "credenciales inválidas", BEARER),
    "Prohibido": (403, "Su rol no permite esta acción (error prohibido).", "prohibido",
        "su rol no permite esta acción", {}),
    "NoEncontrado": (404, "No existe, o no es suya (los ids ajenos también dan 404).",
        "no_encontrado", "el recurso solicitado no existe", {}),
    "Conflicto": (409, "Choca con lo guardado: un duplicado, el último administrador, …",
        "conflicto", "ya existe una cuenta con ese username", {}),
    "DemasiadoGrande": (413, "El cuerpo supera MAX_BODY_BYTES (cuerpo_demasiado_grande).",
        "cuerpo_demasiado_grande", "el cuerpo supera el límite de 65536 bytes", {}),
    "TipoNoSoportado": (415, "El cuerpo debe enviarse como application/json.",
        "tipo_contenido_no_soportado", "el cuerpo debe enviarse como application/json", {}),
    "DemasiadosIntentos": (429, "Demasiados intentos fallidos desde esta cuenta o dirección; "
        "espere Retry-After segundos.", "demasiados_intentos", "demasiados intentos", RETRY),
    "CuotaAgotada": (429, "Las claves de los proveedores pedidos agotaron su cuota diaria "
        "(error cuota_agotada); Retry-After dice cuántos segundos faltan para la medianoche "
        "de QUOTA_TIMEZONE. O el usuario ya inició QUERIES_PER_MINUTE consultas en este "
        "minuto (error demasiadas_consultas); Retry-After: segundos hasta el siguiente.",
        "cuota_agotada", "las claves pedidas agotaron su cuota", RETRY),
    "ProveedoresNoAplicables": (422, "Permanente, no reintente: ninguno de los proveedores "
        "pedidos puede atender esta consulta (sin_clave, clave_invalida, fuera_de_cobertura, "
        "no_soportado, rango_no_soportado o rango_invalido), o ninguno sirve lo pedido. "
        "detalles dice el motivo de cada proveedor; cambie el lugar, los proveedores, el rango "
        "o las claves. Sin Retry-After: repetir la misma solicitud da la misma respuesta. La "
        "consulta queda guardada con estado error y mensaje_error proveedores_no_aplicables.",
        "proveedores_no_aplicables", "ninguno de los proveedores pedidos puede atender esta "
        "consulta", {}),
    "SinDatos": (502, "Transitorio, reintente: algún proveedor pedido (o el servicio de "
        "geocodificación) falló por un error o un plazo vencido; reintente pasado Retry-After "
        "segundos. La consulta queda guardada con estado error (sin_respuesta_de_proveedores).",
        "sin_datos", "ningún proveedor respondió; reintente", RETRY),
    "BaseDeDatosNoDisponible": (503, "La base de datos no responde (error "
        "base_de_datos_no_disponible); reintente pasado Retry-After segundos.",
        "base_de_datos_no_disponible", "la base de datos no está disponible", RETRY),
}  # fmt: skip


def _response(description: str, code: str, message: str, headers: dict) -> dict[str, Any]:
    example = {"error": code, "message": message, "request_id": "9f1c2e4b7a5d4c3e"}
    content = {JSON: {"schema": {"$ref": "#/components/schemas/Error"}, "example": example}}
    response = {"description": description, "content": content}
    return {**response, "headers": headers} if headers else response


RESPONSES = {name: _response(*row[1:]) for name, row in ERRORS.items()}
BY_STATUS: dict[int, str] = {}
for _name, (_status, *_) in ERRORS.items():
    BY_STATUS.setdefault(_status, _name)


def error_refs(statuses: set[int], overrides: dict[int, str] | None = None) -> dict[str, Any]:
    """Each status → its component; `overrides` picks another one (e.g. 429 on queries)."""
    names = {**BY_STATUS, **(overrides or {})}
    return {str(s): {"$ref": f"#/components/responses/{names[s]}"} for s in sorted(statuses)}
