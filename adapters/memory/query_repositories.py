"""In-memory queries, results, series and API keys, with the SQL adapters' semantics."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from adapters import wire
from adapters.memory.repositories import MemoryStore
from domain.errors import Conflict
from domain.model.api_keys import ApiKey
from domain.model.queries import SeriesPoint, SummaryValue, WeatherQuery
from ports.repositories import QueryFilter


class InMemoryQueryRepository:
    """consultas, datos_clima and series_clima in dicts."""

    def __init__(self, store: MemoryStore) -> None:
        self._s = store

    def add(self, query: WeatherQuery) -> WeatherQuery:
        query.id = next(self._s.ids)
        self._s.queries[query.id] = copy.deepcopy(query)
        return query

    def get(self, query_id: int) -> WeatherQuery | None:
        query = self._s.queries.get(query_id)
        return copy.deepcopy(query) if query else None

    def update(self, query: WeatherQuery) -> None:
        if query.id in self._s.queries:
            self._s.queries[query.id] = copy.deepcopy(query)

    def save_result(
        self,
        query_id: int,
        summary: Mapping[str, SummaryValue],
        sources: Sequence[str],
        details: Mapping[str, Any],
    ) -> None:
        self._s.results[query_id] = {"fuentes_utilizadas": list(sources), **wire.details(details)}

    def get_result(self, query_id: int) -> Mapping[str, Any] | None:
        return copy.deepcopy(self._s.results.get(query_id))

    def add_series(self, query_id: int, points: Sequence[SeriesPoint]) -> None:
        rows = self._s.series.setdefault(query_id, [])
        rows.extend(
            {
                "instante": p.instant,
                "datos": wire.consensus_map(p.consensus),
                "lecturas": {k: dict(v) for k, v in p.by_provider.items()},
            }
            for p in points
        )
        rows.sort(key=lambda row: row["instante"])

    def iter_series(self, query_id: int, limit: int | None = None) -> Iterator[Mapping[str, Any]]:
        rows = self._s.series.get(query_id, [])
        yield from copy.deepcopy(rows[:limit] if limit is not None else rows)

    def count_series(self, query_id: int) -> int:
        return len(self._s.series.get(query_id, []))

    def search(self, flt: QueryFilter, offset: int, limit: int) -> tuple[list[WeatherQuery], int]:
        def keep(q: WeatherQuery) -> bool:
            return (
                (flt.user_id is None or q.user_id == flt.user_id)
                and (flt.query_type is None or q.query_type == flt.query_type)
                and (flt.status is None or q.status == flt.status)
                and (flt.city is None or (q.location.city or "").lower() == flt.city.lower())
                and (flt.since is None or q.created_at >= flt.since)
                and (flt.until is None or q.created_at < flt.until)
            )

        found = sorted(
            (q for q in self._s.queries.values() if keep(q)),
            key=lambda q: (q.created_at, q.id),
            reverse=True,
        )
        return copy.deepcopy(found[offset : offset + limit]), len(found)


class InMemoryApiKeyRepository:
    """api_keys in a dict; the store lock makes try_consume atomic."""

    def __init__(self, store: MemoryStore) -> None:
        self._s = store

    def add(self, key: ApiKey) -> ApiKey:
        if any(
            k.user_id == key.user_id and k.provider == key.provider
            for k in self._s.api_keys.values()
        ):
            raise Conflict(
                "ya tiene una clave para ese proveedor", details={"proveedor": "duplicado"}
            )
        key.id = next(self._s.ids)
        self._s.api_keys[key.id] = copy.deepcopy(key)
        return key

    def get(self, key_id: int) -> ApiKey | None:
        key = self._s.api_keys.get(key_id)
        return copy.deepcopy(key) if key else None

    def active_for(self, user_id: int, provider: str) -> ApiKey | None:
        for key in self._s.api_keys.values():
            if key.user_id == user_id and key.provider == provider and key.active:
                return copy.deepcopy(key)
        return None

    def try_consume(self, key_id: int, day: date, at: datetime) -> bool:
        key = self._s.api_keys.get(key_id)
        if key is None or not key.active:
            return False
        used = key.used_today if key.usage_day == day else 0
        if used >= key.daily_limit:
            return False
        key.used_today, key.usage_day, key.last_used = used + 1, day, at
        return True
