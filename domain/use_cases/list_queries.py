"""GET /api/consultas/mis-consultas: the caller's queries, newest first, filtered and paged."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from attrs import frozen

from domain.errors import ValidationError
from domain.model.permissions import Permission, Principal, require
from domain.model.queries import QueryStatus, QueryType, WeatherQuery
from domain.model.query_input import parse_date
from ports.repositories import QueryFilter, UnitOfWork

MAX_PER_PAGE = 100


@frozen
class ListQueriesCommand:
    """Query-string parameters, unvalidated."""

    principal: Principal
    page: object = None
    per_page: object = None
    query_type: object = None
    status: object = None
    city: object = None
    since: object = None
    until: object = None


@frozen
class QueryPage:
    """One page of queries and the totals."""

    items: list[WeatherQuery]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page) if self.total else 0


def _positive(raw: object, field: str, default: int, maximum: int | None = None) -> int:
    if raw is None:
        return default
    try:
        value = int(str(raw))
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        bound = f"entre 1 y {maximum}" if maximum else "un entero positivo"
        raise ValidationError(f"{field} debe ser {bound}", details={field: "invalido"})
    return value


def _enum(raw: object, enum_cls, field: str):
    if raw is None:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        valid = ", ".join(e.value for e in enum_cls)
        raise ValidationError(
            f"{field} debe ser uno de: {valid}", details={field: "invalido"}
        ) from None


@frozen
class ListQueries:
    """The caller's own queries (every query is another use case, for admin and consultor)."""

    uow: Callable[[], UnitOfWork]

    def __call__(self, cmd: ListQueriesCommand) -> QueryPage:
        require(cmd.principal, Permission.READ_OWN_QUERIES)
        page = _positive(cmd.page, "page", 1)
        per_page = _positive(cmd.per_page, "per_page", 20, MAX_PER_PAGE)
        since = parse_date(cmd.since, "desde") if cmd.since is not None else None
        until = parse_date(cmd.until, "hasta") if cmd.until is not None else None
        flt = QueryFilter(
            user_id=cmd.principal.user_id,
            query_type=_enum(cmd.query_type, QueryType, "tipo"),
            status=_enum(cmd.status, QueryStatus, "estado"),
            city=cmd.city.strip() if isinstance(cmd.city, str) and cmd.city.strip() else None,
            since=datetime.combine(since, time(0), UTC) if since else None,
            until=datetime.combine(until + timedelta(days=1), time(0), UTC) if until else None,
        )
        with self.uow() as uow:
            items, total = uow.queries.search(flt, (page - 1) * per_page, per_page)
        return QueryPage(items, page, per_page, total)
