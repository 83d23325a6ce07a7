"""GET /api/consultas/{id}: one query with its stored result; others' ids look missing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from attrs import frozen

from domain.errors import NotFound
from domain.model.permissions import Permission, Principal, can, require
from domain.model.queries import QueryStatus, WeatherQuery
from ports.repositories import UnitOfWork


@frozen
class StoredQuery:
    """A query, its datos_clima result and the first timesteps of its series."""

    query: WeatherQuery
    result: Mapping[str, Any] | None
    series: list[Mapping[str, Any]]
    total_points: int


def visible(principal: Principal, query: WeatherQuery | None) -> bool:
    """Owners see their queries; admin every query; consultor every completed query."""
    if query is None:
        return False
    if query.user_id == principal.user_id:
        return True
    if can(principal, Permission.READ_ALL_QUERIES):
        return principal.role.value == "admin" or query.status is QueryStatus.COMPLETED
    return False


@frozen
class GetQuery:
    """Load one query if the caller may see it; the same 404 whether missing or not theirs."""

    uow: Callable[[], UnitOfWork]
    inline_series: int = 200

    def __call__(self, principal: Principal, query_id: int) -> StoredQuery:
        if not can(principal, Permission.READ_ALL_QUERIES):
            require(principal, Permission.READ_OWN_QUERIES)
        with self.uow() as uow:
            query = uow.queries.get(query_id)
            if not visible(principal, query):
                raise NotFound("la consulta no existe", code="consulta_no_encontrada")
            assert query is not None and query.id is not None
            result = uow.queries.get_result(query.id)
            series = list(uow.queries.iter_series(query.id, limit=self.inline_series))
            total = uow.queries.count_series(query.id)
        return StoredQuery(query, result, series, total)
