"""One JSON error body everywhere ({error, message, detalles, request_id}) and the status table."""

from __future__ import annotations

import json
import logging
from typing import Any

import falcon

from adapters import metrics
from adapters.http.converter import unstructure
from adapters.http.schemas.responses import Error
from adapters.http.schemas.results import OMIT
from adapters.log_context import safe_traceback
from domain import errors

log = logging.getLogger("climaguru.http")

# DomainError class → (HTTP status, extra headers); the first matching class in MRO wins.
STATUS: dict[type[errors.DomainError], str] = {
    errors.ValidationError: falcon.HTTP_400,
    errors.AuthenticationFailed: falcon.HTTP_401,
    errors.PermissionDenied: falcon.HTTP_403,
    errors.NotFound: falcon.HTTP_404,
    errors.Conflict: falcon.HTTP_409,
    errors.TooManyAttempts: falcon.HTTP_429,
    errors.QuotaExceeded: falcon.HTTP_429,
    errors.NoProviderCanAnswer: falcon.HTTP_422,  # permanent: no Retry-After, change the query
    errors.NoReadings: falcon.HTTP_502,
}

# Stable codes for errors Falcon raises itself (routing, methods, headers).
FALCON_CODES = {
    400: "solicitud_invalida",
    401: "no_autenticado",
    403: "prohibido",
    404: "no_encontrado",
    405: "metodo_no_permitido",
    406: "no_aceptable",
    411: "longitud_requerida",
    413: "cuerpo_demasiado_grande",
    415: "tipo_contenido_no_soportado",
    429: "demasiadas_solicitudes",
    500: "error_interno",
    503: "servicio_no_disponible",
}
FALCON_MESSAGES = {
    404: "el recurso solicitado no existe",
    405: "método no permitido para este recurso",
    500: "error interno del servidor",
}


def body(
    req: falcon.Request, code: str, message: str, details: dict[str, Any] | None = None
) -> bytes:
    request_id = getattr(req.context, "request_id", None)
    doc = Error(code, message, details or OMIT, request_id=request_id)
    return json.dumps(unstructure(doc), ensure_ascii=False).encode("utf-8")


def serialize_http_error(req: falcon.Request, resp: falcon.Response, exc: falcon.HTTPError) -> None:
    """Falcon's own errors as JSON, whatever the Accept header asks for."""
    status = exc.status_code
    title = exc.title or ""
    code = (
        title
        if title and title.islower() and " " not in title
        else FALCON_CODES.get(status, "error")
    )
    message = exc.description or FALCON_MESSAGES.get(status) or title or "error"
    resp.content_type = falcon.MEDIA_JSON
    resp.data = body(req, code, message)


def handle_domain_error(req, resp, exc: errors.DomainError, params) -> None:
    status = next((STATUS[k] for k in type(exc).__mro__ if k in STATUS), falcon.HTTP_400)
    if isinstance(exc, errors.AuthenticationFailed):
        resp.set_header("WWW-Authenticate", 'Bearer realm="climaguru"')
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        resp.set_header("Retry-After", str(int(retry_after)))
    resp.status = status
    resp.content_type = falcon.MEDIA_JSON
    resp.data = body(req, exc.code, exc.message, exc.details)


def handle_unexpected(req, resp, exc: Exception, params) -> None:
    if isinstance(exc, falcon.HTTPError):
        raise exc
    # One line, the traceback as a field, scrubbed of query strings and SQL parameters (the
    # record carries no raw exc_info, so no handler can print the unscrubbed text).
    fields = {
        "request_id": getattr(req.context, "request_id", None),
        "route": req.uri_template,
        "traceback": safe_traceback(exc),
    }
    log.error("error_no_controlado", extra={"fields": fields})
    resp.status = falcon.HTTP_500
    resp.content_type = falcon.MEDIA_JSON
    resp.data = body(req, "error_interno", FALCON_MESSAGES[500])


# Seconds a client should wait before retrying while the database is unreachable.
DATABASE_RETRY_AFTER = 5


def handle_database_unavailable(req, resp, exc: Exception, params) -> None:
    """The database is down or unreachable: 503 with Retry-After, no exception text."""
    fields = {"request_id": getattr(req.context, "request_id", None), "route": req.uri_template}
    fields["error"] = type(exc).__name__
    log.warning("base_de_datos_no_disponible", extra={"fields": fields})
    metrics.database_unavailable()
    resp.status = falcon.HTTP_503
    resp.set_header("Retry-After", str(DATABASE_RETRY_AFTER))
    resp.content_type = falcon.MEDIA_JSON
    resp.data = body(
        req,
        "base_de_datos_no_disponible",
        "la base de datos no está disponible en este momento; reintente en unos segundos",
    )


def register_error_handlers(
    app: falcon.App, database_unavailable: tuple[type[Exception], ...] = ()
) -> None:
    """The error table; `database_unavailable` are the storage errors that mean "try later"."""
    app.set_error_serializer(serialize_http_error)
    app.add_error_handler(Exception, handle_unexpected)
    app.add_error_handler(errors.DomainError, handle_domain_error)
    for exc_class in database_unavailable:
        app.add_error_handler(exc_class, handle_database_unavailable)
