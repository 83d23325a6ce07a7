"""The OpenAPI 3.1 document, derived from the route table and the attrs schemas it names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from adapters.http.json_schema import Components, name_of, parameters
from adapters.http.openapi.responses import JSON, RESPONSES, error_refs
from adapters.http.route import Route, openapi_path
from adapters.http.route_ids import MAX_ID
from adapters.http.routes import ROUTES
from adapters.http.schemas import requests, responses
from domain.model.variables import (
    AGRO_VARIABLE_NAMES,
    ALL_VARIABLE_NAMES,
    DAILY_ONLY_NAMES,
    FORECAST_VARIABLE_NAMES,
)

DESCRIPTION = """API de ClimaGuru: consultas meteorológicas con el consenso de varios proveedores.

Autenticación: `POST /api/auth/login` devuelve un `access_token`; envíelo como
`Authorization: Bearer <token>`. Todos los errores son JSON
`{{"error", "message", "detalles"?, "request_id"}}`; el `request_id` es el de la cabecera
`X-Request-ID`. Los cuerpos deben ser `application/json` de como mucho {max_body} bytes (413).
"""
TAGS = {
    "servicio": "salud y documentación",
    "autenticación": "cuentas, sesiones y tokens",
    "consultas": "tiempo real, histórico y descargas",
    "claves": "claves propias de proveedores",
    "favoritas": "ciudades favoritas",
    "administración": "usuarios y auditoría (admin)",
    "reportes": "estadísticas de uso",
}
ASSET = "nombre de un archivo de Swagger UI servido por ClimaGuru"


def build_document(
    max_body: int, providers: Sequence[str] = (), keyed: Sequence[str] = (), version: str = "0.1.0"
) -> dict[str, Any]:
    """The whole document; `providers` are the enabled names, `keyed` those taking a user's key."""
    components = Components()
    components.ref(responses.Error)
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(openapi_path(route.path), {})[route.method.lower()] = operation(
            route, components
        )
    _enabled(components.schemas, providers, keyed)
    info = {"title": "ClimaGuru API", "version": version}
    return {
        "openapi": "3.1.0",
        "info": {**info, "description": DESCRIPTION.format(max_body=max_body)},
        "servers": [{"url": "/", "description": "este mismo servidor"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
            "schemas": components.schemas,
            "responses": RESPONSES,
        },
    }


def operation(route: Route, components: Components) -> dict[str, Any]:
    """One operation: its own errors plus those every operation of its kind can answer."""
    params = [*_path_params(route.path), *_query_params(route, components)]
    statuses = set(route.errors) | ({503} if route.database else set())
    statuses |= set() if route.public else {401, 403}
    statuses |= {400, 413, 415} if route.body else set()
    statuses |= {400} if params else set()
    statuses |= {404} if any(p["in"] == "path" for p in params) else set()
    op: dict[str, Any] = {"summary": route.summary, "tags": [route.tag]}
    op |= {"description": route.description} if route.description else {}
    op |= {"deprecated": True} if route.deprecated else {}
    op |= {"security": []} if route.public else {}
    op |= {"parameters": params} if params else {}
    if route.body:
        body = _body_schema(route.body, components)
        op["requestBody"] = {"required": True, "content": {JSON: {"schema": body}}}
    overrides = {429: "CuotaAgotada"} if route.quota else None
    answers = {str(route.ok): _response(route.response, components, route.summary)}
    answers |= error_refs(statuses - set(route.extra), overrides)
    answers |= {str(s): _response(r, components) for s, r in route.extra.items()}
    op["responses"] = dict(sorted(answers.items()))
    return op


def _response(response: Any, components: Components, summary: str = "") -> dict[str, Any]:
    """A response schema class as JSON content; an OpenAPI response object as it is."""
    if isinstance(response, type):
        schema = components.ref(response)
        text = components.schemas[name_of(response)].get("description", summary)
        return {"description": text, "content": {JSON: {"schema": schema}}}
    if "schema" in response:
        schema = components.ref(response["schema"])
        return {"description": response["description"], "content": {JSON: {"schema": schema}}}
    return response


LOGIN = (requests.Login, requests.LoginByUsername, requests.LoginByEmail)


def _body_schema(body: type, components: Components) -> dict[str, Any]:
    """The schema of a body; login's says what the app accepts: login or one of its aliases,
    never login beside an alias (that is 400 campo_no_permitido)."""
    if body is not requests.Login:
        return components.ref(body)
    return components.add("Login", {"oneOf": [components.ref(v) for v in LOGIN]})


def _path_params(template: str) -> list[dict[str, Any]]:
    found = re.findall(r"\{(\w+)(?::(\w+))?\}", template)
    ids = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    text = {"schema": {"type": "string"}, "description": ASSET}
    return [
        {"name": name, "in": "path", "required": True, **({"schema": ids} if kind else text)}
        for name, kind in found
    ]


def _query_params(route: Route, components: Components) -> list[dict[str, Any]]:
    return parameters(route.params, components) if route.params else []


def names_field(names: Sequence[str], what: str) -> dict[str, Any]:
    """A list of names, or the same names in one comma-separated string, or null (all)."""
    word = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or r"[^,]+"
    space, gap = f"[{requests.TEXT_SPACE}]*", f"[{requests.TEXT_SPACE},]*"  # no control chars
    listed = rf"^{gap}(?:{word})(?:{space},{gap}(?:{word}))*{gap}$"
    item = {"enum": list(names)} if names else {"type": "string"}
    return {
        "description": f"{what}: lista, o texto separado por comas; por defecto, todos",
        "oneOf": [
            {"type": "array", "items": item, "minItems": 1},
            {"type": "string", "pattern": listed},
            {"type": "null"},
        ],
    }


def _farm(schema: str) -> tuple[str, ...]:
    """The farm variables a body accepts: a current query has no day's values (et0...)."""
    if schema == "ConsultaTiempoReal":
        return tuple(n for n in AGRO_VARIABLE_NAMES if n not in DAILY_ONLY_NAMES)
    return AGRO_VARIABLE_NAMES


def _enabled(schemas: dict[str, Any], providers: Sequence[str], keyed: Sequence[str]) -> None:
    """The names this deployment accepts: variables, enabled providers, keyed providers."""
    for name, variables in (
        ("ConsultaTiempoReal", ALL_VARIABLE_NAMES),
        ("ConsultaHistorica", ALL_VARIABLE_NAMES),
        ("ConsultaPronostico", FORECAST_VARIABLE_NAMES),
    ):
        fields = schemas[name]["properties"]
        fields["parametros"] = names_field(
            (*variables, *_farm(name)), "variables (las agropecuarias, solo si se nombran)"
        )
        fields["proveedores"] = names_field(providers, "proveedores habilitados")
    provider = schemas["NuevaApiKey"]["properties"]["proveedor"]
    provider |= {"enum": list(keyed)} if keyed else {}
    if keyed:
        provider.pop("type", None)
