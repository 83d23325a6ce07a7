"""One route of the HTTP contract, and the permission check derived from a table of them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from attrs import evolve, field, frozen

from domain.errors import PermissionDenied
from domain.model.permissions import POLICY, Permission, Principal

PUBLIC = "publico"
ANY_USER = frozenset(Permission)  # any authenticated role (each has at least one of them)
Policy = str | frozenset[Permission]


@frozen
class Route:
    """Path, method, responder (resource class + method), who may call it, what goes in and out.

    `response` is a response schema (attrs class) or, for files and pages, an OpenAPI response
    object; `extra` adds responses by status; `errors` are the statuses particular to it (the
    document adds those every route of its kind answers: 401/403, 400/413/415, 404, 503).
    """

    path: str
    method: str
    resource: type
    permission: Policy
    summary: str
    response: Any = None
    ok: int = 200
    body: type | None = None
    params: type | None = None
    errors: frozenset[int] = field(default=frozenset(), converter=frozenset)
    description: str | None = None
    database: bool = True
    extra: Mapping[int, Any] = {}
    quota: bool = False  # its 429 is a spent provider quota, not a login throttle
    deprecated: bool = False
    docs: bool = False  # routed only while the API documentation is on
    console: bool = False  # routed only while the web console is on (CONSOLE)
    tag: str = ""  # the document's group, set by `tagged`

    @property
    def responder(self) -> str:
        return f"on_{self.method.lower()}"

    @property
    def public(self) -> bool:
        return self.permission == PUBLIC


def tagged(tag: str, *routes: Route) -> tuple[Route, ...]:
    """Routes of one group of the document (its tag)."""
    return tuple(evolve(route, tag=tag) for route in routes)


def openapi_path(template: str) -> str:
    """Falcon's `{query_id:id}` is OpenAPI's `{query_id}`."""
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", template)


def allowed(principal: Principal, policy: Policy) -> bool:
    return policy == PUBLIC or bool(policy & POLICY.get(principal.role, frozenset()))


def require(principal: Principal, policy: Policy) -> None:
    """The route's own check, with the answer the use cases give (403 prohibido)."""
    if not allowed(principal, policy):
        raise PermissionDenied("su rol no permite esta acción")


def index(routes: Iterable[Route]) -> dict[tuple[str, str], Route]:
    """(template, METHOD) → route, for the middleware."""
    return {(r.path, r.method): r for r in routes}
