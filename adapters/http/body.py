"""Strict JSON request bodies: content type, size limit, no NaN/Infinity, bounded nesting; and
the query strings of the list operations."""

from __future__ import annotations

import json
from typing import Any

import attrs
import falcon

from adapters.http.converter import structure
from adapters.http.route import require
from adapters.http.schemas.params import query_command

MAX_DEPTH = 32


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} no es JSON válido")


def read_json(req: falcon.Request, limit: int) -> dict[str, Any]:
    """The body as a JSON object, or the right 4xx error (400, 413, 415)."""
    mime = (req.content_type or "").split(";")[0].strip().lower()
    if mime != "application/json" and not (
        mime.startswith("application/") and mime.endswith("+json")
    ):
        raise falcon.HTTPUnsupportedMediaType(
            title="tipo_contenido_no_soportado",
            description="el cuerpo debe enviarse como application/json",
        )
    if req.content_length is not None and req.content_length > limit:
        raise _too_large(limit)
    raw = _read_body(req, limit)
    if len(raw) > limit:
        raise _too_large(limit)
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _bad("el cuerpo no es JSON válido") from None
    if _depth(data) > MAX_DEPTH:
        raise _bad(f"el JSON anida más de {MAX_DEPTH} niveles")
    try:  # "\ud800" parses, but is not text: it could never be stored or hashed
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise _bad("el cuerpo contiene texto que no es UTF-8 válido") from None
    if not isinstance(data, dict):
        raise _bad("el cuerpo debe ser un objeto JSON")
    return data


def _read_body(req: falcon.Request, limit: int) -> bytes:
    """At most limit + 1 bytes. A chunked body has no Content-Length, so bounded_stream would
    read nothing: the server (gunicorn) decodes the chunks and ends wsgi.input at the last one."""
    chunked = "chunked" in (req.get_header("Transfer-Encoding") or "").lower()
    if req.content_length is not None or not chunked:
        return req.bounded_stream.read(limit + 1)
    parts, size = [], 0
    while size <= limit:
        part = req.stream.read(limit + 1 - size)
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def parse(req: falcon.Request, schema: type, limit: int, **server_fields: Any) -> Any:
    """Body → schema → command, then the route's permission: the order the use case kept (a
    malformed body is 400 for anyone). The caller's principal and client fill the command."""
    data = read_json(req, limit)
    wanted = attrs.fields_dict(schema.command)
    known = {k: getattr(req.context, k) for k in ("principal", "client") if k in wanted}
    command = structure(data, schema, **known, **server_fields)
    route = getattr(req.context, "route", None)
    if route is not None and not route.public:
        require(req.context.principal, route.permission)
    return command


def query(req: falcon.Request, command: type) -> Any:
    """Query string → command: the parameters the route declares (its `params` schema), each
    into its command field, raw (the use case validates them), plus the caller."""
    params = req.context.route.params
    return query_command(req.get_param, params, command, principal=req.context.principal)


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _bad(message: str) -> falcon.HTTPBadRequest:
    return falcon.HTTPBadRequest(title="json_invalido", description=message)


def _too_large(limit: int) -> falcon.HTTPContentTooLarge:
    return falcon.HTTPContentTooLarge(
        title="cuerpo_demasiado_grande", description=f"el cuerpo supera el límite de {limit} bytes"
    )
