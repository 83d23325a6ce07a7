"""Assemble the OpenAPI 3.1 document: info, security, components and every path."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from adapters.http.openapi.bodies import bodies
from adapters.http.openapi.paths import auth_paths, query_paths
from adapters.http.openapi.paths_more import account_paths, service_paths
from adapters.http.openapi.responses import RESPONSES
from adapters.http.openapi.schemas import SCHEMAS

DESCRIPTION = """API de ClimaGuru: consultas meteorológicas con el consenso de varios proveedores.

Autenticación: `POST /api/auth/login` devuelve un `access_token`; envíelo como
`Authorization: Bearer <token>`. Todos los errores son JSON
`{{"error", "message", "detalles"?, "request_id"}}`; el `request_id` es el de la cabecera
`X-Request-ID`. Los cuerpos deben ser `application/json` de como mucho {max_body} bytes (413).
"""


def build_document(
    max_body: int, providers: Sequence[str] = (), keyed: Sequence[str] = (), version: str = "0.1.0"
) -> dict[str, Any]:
    """The whole document as a fresh dict (the docs resource serialises it once).

    `providers` are the enabled provider names, `keyed` those of them that take a user's key.
    """
    paths: dict[str, Any] = {}
    for group in (service_paths(), auth_paths(), query_paths(), account_paths()):
        paths.update(group)
    return copy.deepcopy(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "ClimaGuru API",
                "version": version,
                "description": DESCRIPTION.format(max_body=max_body),
            },
            "servers": [{"url": "/", "description": "este mismo servidor"}],
            "security": [{"bearerAuth": []}],
            "tags": [
                {"name": "servicio", "description": "salud y documentación"},
                {"name": "autenticación", "description": "cuentas, sesiones y tokens"},
                {"name": "consultas", "description": "tiempo real, histórico y descargas"},
                {"name": "claves", "description": "claves propias de proveedores"},
                {"name": "favoritas", "description": "ciudades favoritas"},
                {"name": "administración", "description": "usuarios y auditoría (admin)"},
                {"name": "reportes", "description": "estadísticas de uso"},
            ],
            "paths": paths,
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                },
                "schemas": {**SCHEMAS, **bodies(providers, keyed)},
                "responses": RESPONSES,
            },
        }
    )
