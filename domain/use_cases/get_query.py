"""GET /api/consultas/{id}: one query with its stored result; others' ids look missing."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.errors import NotFound
from domain.model.permissions import Permission, Principal, can, may_read_query, require
from domain.model.queries import SeriesPoint, WeatherQuery
from domain.model.results import QueryResult
from ports.repositories import UnitOfWork


@frozen
class StoredQuery:
    """A query, its datos_clima result and the first timesteps of its series."""

    query: WeatherQuery
    result: QueryResult | None
    series: list[SeriesPoint]
    total_points: int


def readable_query(uow: UnitOfWork, principal: Principal, query_id: int) -> WeatherQuery:
    """The query if the caller may read it; the same 404 whether missing or not theirs."""
    if not can(principal, Permission.READ_ALL_QUERIES):
        require(principal, Permission.READ_OWN_QUERIES)
    query = uow.queries.get(query_id)
    if query is None or not may_read_query(principal, query):
        raise NotFound("la consulta no existe", code="consulta_no_encontrada")
    return query


@frozen
class GetQuery:
    """Load one query if the caller may see it, with its result and first timesteps."""

    uow: Callable[[], UnitOfWork]
    inline_series: int = 200

    def __call__(self, principal: Principal, query_id: int) -> StoredQuery:
        with self.uow() as uow:
            query = readable_query(uow, principal, query_id)
            assert query.id is not None
            result = uow.queries.get_result(query.id)
            series = list(uow.queries.iter_series(query.id, limit=self.inline_series))
            total = uow.queries.count_series(query.id)
        return StoredQuery(query, result, series, total)
