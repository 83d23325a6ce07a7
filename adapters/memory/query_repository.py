"""consultas, datos_clima and series_clima in memory, as domain values."""

from __future__ import annotations

import copy
import statistics
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime

import attrs

from adapters.memory.store import StoreBacked
from domain.model.queries import (
    ABANDONED,
    QueryStatus,
    SeriesPoint,
    SummaryValue,
    WeatherQuery,
)
from domain.model.results import ProviderReport, QueryResult, SeriesValues
from domain.model.statistics import CityCount, QueryStatistics, UserQueryTotals
from domain.model.variables import FORECAST_VARIABLE_NAMES
from ports.repositories import QueryFilter


class InMemoryQueryRepository(StoreBacked):
    """consultas, datos_clima and series_clima in dicts."""

    def add(self, query: WeatherQuery) -> WeatherQuery:
        return self._insert(self._s.queries, query)

    def get(self, query_id: int) -> WeatherQuery | None:
        return self._copy_of(self._s.queries, query_id)

    def abandon_stale(self, before: datetime, at: datetime) -> int:
        stale = [
            q
            for q in self._s.queries.values()
            if q.status in (QueryStatus.PENDING, QueryStatus.PROCESSING) and q.created_at < before
        ]
        for q in stale:
            q.status, q.error_code, q.completed_at = QueryStatus.ERROR, ABANDONED, at
        return len(stale)

    def update(self, query: WeatherQuery) -> None:
        if query.id in self._s.queries:
            self._s.queries[query.id] = copy.deepcopy(query)

    def save_result(
        self, query_id: int, result: QueryResult, columns: Mapping[str, SummaryValue]
    ) -> None:
        self._s.results[query_id] = copy.deepcopy(result)

    def get_result(self, query_id: int) -> QueryResult | None:
        return copy.deepcopy(self._s.results.get(query_id))

    def add_series(self, query_id: int, points: Sequence[SeriesPoint]) -> None:
        rows = self._s.series.setdefault(query_id, [])
        rows.extend(copy.deepcopy(list(points)))
        rows.sort(key=lambda point: point.instant)

    def iter_series(self, query_id: int, limit: int | None = None) -> Iterator[SeriesPoint]:
        rows = self._s.series.get(query_id, [])
        yield from copy.deepcopy(rows[:limit] if limit is not None else rows)

    def iter_series_values(
        self, query_id: int, with_readings: bool = False
    ) -> Iterator[SeriesValues]:
        for point in self._s.series.get(query_id, []):
            values = {
                name: point.consensus[name].value if name in point.consensus else None
                for name in FORECAST_VARIABLE_NAMES
            }
            readings = copy.deepcopy(dict(point.by_provider)) if with_readings else None
            yield SeriesValues(point.instant, values, readings)

    def count_series(self, query_id: int) -> int:
        return len(self._s.series.get(query_id, []))

    def _matching(self, flt: QueryFilter) -> list[WeatherQuery]:
        def keep(q: WeatherQuery) -> bool:
            return (
                (flt.user_id is None or q.user_id == flt.user_id)
                and (flt.query_type is None or q.query_type == flt.query_type)
                and (flt.status is None or q.status == flt.status)
                and (flt.city is None or (q.location.city or "").lower() == flt.city.lower())
                and (flt.since is None or q.created_at >= flt.since)
                and (flt.until is None or q.created_at < flt.until)
            )

        return sorted(
            (q for q in self._s.queries.values() if keep(q)),
            key=lambda q: (q.created_at, q.id),
            reverse=True,
        )

    def search(self, flt: QueryFilter, offset: int, limit: int) -> tuple[list[WeatherQuery], int]:
        found = self._matching(flt)
        listed = [
            attrs.evolve(q, provider_answers=None, client_ip=None)  # as the SQL listing reads
            for q in found[offset : offset + limit]
        ]
        return copy.deepcopy(listed), len(found)

    def stats(self, flt: QueryFilter) -> QueryStatistics:
        found = self._matching(flt)
        times = [
            q.response_ms
            for q in found
            if q.status is QueryStatus.COMPLETED and q.response_ms is not None
        ]
        cities = Counter(q.location.city for q in found if q.location.city)
        top = sorted(cities.items(), key=lambda item: (-item[1], item[0]))[:5]
        return QueryStatistics(
            total=len(found),
            by_status=dict(Counter(q.status for q in found)),
            by_type=dict(Counter(q.query_type for q in found)),
            mean_response_ms=round(statistics.fmean(times), 1) if times else None,
            last_query_at=found[0].created_at if found else None,
            top_cities=tuple(CityCount(city, n) for city, n in top),
        )

    def answers(self, flt: QueryFilter) -> Iterator[Mapping[str, ProviderReport]]:
        for query in reversed(self._matching(flt)):
            if query.provider_answers is not None:
                yield copy.deepcopy(query.provider_answers)

    def per_user(self, flt: QueryFilter) -> list[UserQueryTotals]:
        found = self._matching(attrs.evolve(flt, user_id=None))
        rows = []
        for user in sorted(self._s.users.values(), key=lambda u: u.id):
            if not user.active:
                continue
            own = [q for q in found if q.user_id == user.id]
            rows.append(
                UserQueryTotals(
                    user_id=user.id,
                    username=user.username,
                    full_name=user.full_name,
                    total=len(own),
                    completed=sum(q.status is QueryStatus.COMPLETED for q in own),
                    last_query_at=max((q.created_at for q in own), default=None),
                )
            )
        return rows
