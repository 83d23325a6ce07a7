"""Reusable responses (components.responses): every error status with the one error body."""

from __future__ import annotations

from typing import Any

JSON = "application/json"

_RETRY_AFTER = {
    "description": "segundos que conviene esperar antes de reintentar",
    "schema": {"type": "integer", "minimum": 1},
    "required": True,
}
_WWW_AUTHENTICATE = {
    "description": 'siempre Bearer realm="climaguru"',
    "schema": {"type": "string", "pattern": "^Bearer"},
    "required": True,
}


# component → an example body (error code, message) as the API writes it
EXAMPLES = {
    "SolicitudInvalida": ("validacion", "latitud debe estar entre -90 y 90"),
    "NoAutenticado": (
        "no_autenticado",
        "se requiere un token de acceso (Authorization: Bearer ...)",
    ),
    "Prohibido": ("prohibido", "su rol no permite esta acción"),
    "NoEncontrado": ("no_encontrado", "el recurso solicitado no existe"),
    "Conflicto": ("conflicto", "ya existe una cuenta con ese username"),
    "DemasiadoGrande": ("cuerpo_demasiado_grande", "el cuerpo supera el límite de 65536 bytes"),
    "TipoNoSoportado": (
        "tipo_contenido_no_soportado",
        "el cuerpo debe enviarse como application/json",
    ),
    "DemasiadosIntentos": ("demasiados_intentos", "demasiados intentos fallidos; espere"),
    "SinDatos": ("sin_datos", "ningún proveedor respondió; reintente"),
    "CuotaAgotada": ("cuota_agotada", "las claves pedidas agotaron su cuota diaria"),
    "BaseDeDatosNoDisponible": (
        "base_de_datos_no_disponible",
        "la base de datos no está disponible",
    ),
}


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    error = {"$ref": "#/components/schemas/Error"}
    doc: dict[str, Any] = {"description": description, "content": {JSON: {"schema": error}}}
    if headers:
        doc["headers"] = headers
    return doc


RESPONSES: dict[str, dict[str, Any]] = {
    "SolicitudInvalida": _error(
        "Datos inválidos (error validacion, json_invalido o solicitud_invalida); "
        "detalles dice qué campo falla."
    ),
    "NoAutenticado": _error(
        "Falta el token, o es inválido, caducado o revocado; o las credenciales no son correctas.",
        {"WWW-Authenticate": _WWW_AUTHENTICATE},
    ),
    "Prohibido": _error("Su rol no permite esta acción (error prohibido)."),
    "NoEncontrado": _error("No existe, o no es suya (los ids ajenos también dan 404)."),
    "Conflicto": _error("Choca con lo guardado: un duplicado, el último administrador, …"),
    "DemasiadoGrande": _error("El cuerpo supera MAX_BODY_BYTES (cuerpo_demasiado_grande)."),
    "TipoNoSoportado": _error("El cuerpo debe enviarse como application/json."),
    "DemasiadosIntentos": _error(
        "Demasiados intentos fallidos desde esta cuenta o dirección; espere Retry-After segundos.",
        {"Retry-After": _RETRY_AFTER},
    ),
    "SinDatos": _error(
        "Ningún proveedor (o el servicio de geocodificación) pudo responder; reintente pasado "
        "Retry-After segundos. La consulta queda guardada con estado error.",
        {"Retry-After": _RETRY_AFTER},
    ),
    "CuotaAgotada": _error(
        "Las claves de los proveedores pedidos agotaron su cuota diaria (error cuota_agotada); "
        "Retry-After dice cuántos segundos faltan para la medianoche de QUOTA_TIMEZONE.",
        {"Retry-After": _RETRY_AFTER},
    ),
    "BaseDeDatosNoDisponible": _error(
        "La base de datos no responde (error base_de_datos_no_disponible); reintente pasado "
        "Retry-After segundos.",
        {"Retry-After": _RETRY_AFTER},
    ),
}

for _name, (_code, _message) in EXAMPLES.items():
    _example = {"error": _code, "message": _message, "request_id": "9f1c2e4b7a5d4c3e"}
    RESPONSES[_name]["content"][JSON]["example"] = _example

# status → the component that answers it
BY_STATUS = {
    400: "SolicitudInvalida",
    401: "NoAutenticado",
    403: "Prohibido",
    404: "NoEncontrado",
    409: "Conflicto",
    413: "DemasiadoGrande",
    415: "TipoNoSoportado",
    429: "DemasiadosIntentos",
    502: "SinDatos",
    503: "BaseDeDatosNoDisponible",
}


def error_refs(statuses: set[int], overrides: dict[int, str] | None = None) -> dict[str, Any]:
    """Each status → its component; `overrides` picks another one (e.g. 429 on queries)."""
    names = {**BY_STATUS, **(overrides or {})}
    return {str(s): {"$ref": f"#/components/responses/{names[s]}"} for s in sorted(statuses)}
