"""The golden script: every route, its success and error answers, each download format."""

from __future__ import annotations

from typing import Any

from climaguru.container import Container
from tests.conftest import FakeClock
from tests.golden.recorder import Session, digest
from tests.golden.script_accounts import (
    accounts,
    api_keys,
    favorites,
    last_admin_and_logout,
    users,
)
from tests.golden.script_queries import downloads, listings, queries, quota, reports


def run(s: Session, container: Container, clock: FakeClock) -> None:
    """The whole session, in order (later steps use ids and tokens from earlier ones)."""
    _public(s)
    admin, operaria, otro = accounts(s, container, clock)
    lector = users(s, admin, operaria)
    favorites(s, operaria, lector)
    key_id = api_keys(s, operaria, otro)
    current, history = queries(s, operaria, lector)
    listings(s, admin, operaria, otro, current)
    downloads(s, operaria, current, history)
    quota(s, operaria, key_id)
    reports(s, admin, operaria)
    last_admin_and_logout(s, admin, operaria)


def _public(s: Session) -> None:
    s.call("health", "GET", "/api/health")
    s.call("method not allowed", "DELETE", "/api/health")
    s.call("unknown route", "GET", "/api/no-existe")
    s.call("openapi document", "GET", "/api/openapi.json", summary=_operations)
    s.call("swagger page", "GET", "/api/docs")
    s.call("swagger asset", "GET", "/api/docs/swagger-ui.css", summary=digest)
    s.call("unknown asset", "GET", "/api/docs/nada.js")


def _operations(result: Any) -> dict[str, Any]:
    """The OpenAPI document will be regenerated: keep its operations and their statuses."""
    doc = result.json
    return {
        "openapi": doc.get("openapi"),
        "operations": {
            f"{method.upper()} {path}": sorted(op.get("responses", {}))
            for path, item in doc["paths"].items()
            for method, op in item.items()
            if isinstance(op, dict) and "responses" in op
        },
    }
