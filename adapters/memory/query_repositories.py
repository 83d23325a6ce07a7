"""In-memory queries, results, series and API keys, with the SQL adapters' semantics."""

from __future__ import annotations

import copy
import statistics
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import attrs

from adapters import wire
from adapters.memory.repositories import MemoryStore
from domain.errors import Conflict
from domain.model.api_keys import ApiKey
from domain.model.favorites import Favorite
from domain.model.queries import SeriesPoint, SummaryValue, WeatherQuery
from domain.model.variables import ALL_VARIABLE_NAMES
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
                "datos": wire.consensus_map(p.consensus, p.origins),
                "lecturas": {k: dict(v) for k, v in p.by_provider.items()},
            }
            for p in points
        )
        rows.sort(key=lambda row: row["instante"])

    def iter_series(self, query_id: int, limit: int | None = None) -> Iterator[Mapping[str, Any]]:
        rows = self._s.series.get(query_id, [])
        yield from copy.deepcopy(rows[:limit] if limit is not None else rows)

    def iter_series_values(
        self, query_id: int, with_readings: bool = False
    ) -> Iterator[Mapping[str, Any]]:
        for row in self._s.series.get(query_id, []):
            datos = row["datos"]
            values = {name: (datos.get(name) or {}).get("valor") for name in ALL_VARIABLE_NAMES}
            doc = {"instante": row["instante"], "valores": values}
            if with_readings:
                doc["lecturas"] = copy.deepcopy(row["lecturas"])
            yield doc

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
        return copy.deepcopy(found[offset : offset + limit]), len(found)

    def stats(self, flt: QueryFilter) -> dict[str, Any]:
        found = self._matching(flt)
        times = [
            q.response_ms
            for q in found
            if q.status.value == "completada" and q.response_ms is not None
        ]
        cities = Counter(q.location.city for q in found if q.location.city)
        return {
            "total": len(found),
            "por_estado": dict(Counter(q.status.value for q in found)),
            "por_tipo": dict(Counter(q.query_type.value for q in found)),
            "tiempo_medio_ms": round(statistics.fmean(times), 1) if times else None,
            "ultima_consulta": wire.iso(found[0].created_at) if found else None,
            "ciudades": sorted(cities.items(), key=lambda item: (-item[1], item[0]))[:5],
        }

    def answers(self, flt: QueryFilter) -> Iterator[Mapping[str, Any]]:
        for query in reversed(self._matching(flt)):
            if query.provider_answers is not None:
                yield copy.deepcopy(query.provider_answers)

    def per_user(self, flt: QueryFilter) -> list[dict[str, Any]]:
        found = self._matching(attrs.evolve(flt, user_id=None))
        rows = []
        for user in sorted(self._s.users.values(), key=lambda u: u.id):
            if not user.active:
                continue
            own = [q for q in found if q.user_id == user.id]
            rows.append(
                {
                    "id": user.id,
                    "username": user.username,
                    "nombre_completo": user.full_name,
                    "total_consultas": len(own),
                    "consultas_exitosas": sum(q.status.value == "completada" for q in own),
                    "ultima_consulta": wire.iso(max((q.created_at for q in own), default=None)),
                }
            )
        return rows


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

    def list_for_user(self, user_id: int | None) -> list[ApiKey]:
        keys = [k for k in self._s.api_keys.values() if user_id is None or k.user_id == user_id]
        return copy.deepcopy(sorted(keys, key=lambda k: (k.provider, k.id)))

    def update(self, key: ApiKey) -> None:
        stored = self._s.api_keys.get(key.id)
        if stored is not None:
            stored.active, stored.description = key.active, key.description
            stored.daily_limit = key.daily_limit
            stored.key_ciphertext, stored.secret_ciphertext = (
                key.key_ciphertext,
                key.secret_ciphertext,
            )

    def delete(self, key_id: int) -> None:
        self._s.api_keys.pop(key_id, None)

    def batch_after(self, last_id: int, size: int) -> list[ApiKey]:
        keys = sorted((k for k in self._s.api_keys.values() if k.id > last_id), key=lambda k: k.id)
        return copy.deepcopy(keys[:size])


class InMemoryFavoriteRepository:
    """ciudades_favoritas in a dict."""

    def __init__(self, store: MemoryStore) -> None:
        self._s = store

    def _clash(self, favorite: Favorite) -> bool:
        return any(
            f.user_id == favorite.user_id
            and f.id != favorite.id
            and round(f.location.latitude, 8) == round(favorite.location.latitude, 8)
            and round(f.location.longitude, 8) == round(favorite.location.longitude, 8)
            for f in self._s.favorites.values()
        )

    def add(self, favorite: Favorite) -> Favorite:
        if self._clash(favorite):
            raise Conflict(
                "ya tiene una ciudad favorita en esas coordenadas",
                details={"latitud": "duplicada", "longitud": "duplicada"},
            )
        favorite.id = next(self._s.ids)
        self._s.favorites[favorite.id] = copy.deepcopy(favorite)
        return favorite

    def get(self, favorite_id: int) -> Favorite | None:
        favorite = self._s.favorites.get(favorite_id)
        return copy.deepcopy(favorite) if favorite else None

    def list_for_user(self, user_id: int) -> list[Favorite]:
        own = [f for f in self._s.favorites.values() if f.user_id == user_id]
        return copy.deepcopy(sorted(own, key=lambda f: f.id))

    def update(self, favorite: Favorite) -> None:
        if self._clash(favorite):
            raise Conflict(
                "ya tiene una ciudad favorita en esas coordenadas",
                details={"latitud": "duplicada", "longitud": "duplicada"},
            )
        self._s.favorites[favorite.id] = copy.deepcopy(favorite)

    def delete(self, favorite_id: int) -> None:
        self._s.favorites.pop(favorite_id, None)

    def clear_default(self, user_id: int) -> None:
        for favorite in self._s.favorites.values():
            if favorite.user_id == user_id:
                favorite.is_default = False

    def default_for(self, user_id: int) -> Favorite | None:
        for favorite in self._s.favorites.values():
            if favorite.user_id == user_id and favorite.is_default:
                return copy.deepcopy(favorite)
        return None
