"""GET /api/reportes/estadisticas: query totals, success, cities, latency, providers and quotas."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from attrs import frozen

from domain.errors import PermissionDenied
from domain.model.api_keys import quota_day
from domain.model.paging import day_bounds
from domain.model.permissions import Permission, Principal, can
from ports.clock import Clock
from ports.repositories import QueryFilter, UnitOfWork

NOT_CALLED = {"sin_clave", "fuera_de_cobertura", "cuota_agotada"}


def provider_stats(answers: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per provider: calls made, errors, timeouts, mean latency and cache hit ratio."""
    acc: dict[str, dict[str, Any]] = {}
    for answer in answers:
        for name, outcome in (answer or {}).items():
            if not isinstance(outcome, Mapping) or outcome.get("motivo") in NOT_CALLED:
                continue
            row = acc.setdefault(
                name,
                {"llamadas": 0, "errores": 0, "timeouts": 0, "lat": [], "hits": 0, "misses": 0},
            )
            row["llamadas"] += 1
            if outcome.get("estado") == "error":
                row["errores"] += 1
                row["timeouts"] += outcome.get("motivo") == "timeout"
            meta = outcome.get("meta") or {}
            latency = meta.get("latencia_ms", outcome.get("latencia_ms"))
            if isinstance(latency, int | float):
                row["lat"].append(float(latency))
            cache = meta.get("cache", outcome.get("cache"))
            row["hits"] += cache == "hit"
            row["misses"] += cache in ("miss", "parcial")
    result = {}
    for name, row in sorted(acc.items()):
        looked = row["hits"] + row["misses"]
        result[name] = {
            "llamadas": row["llamadas"],
            "errores": row["errores"],
            "timeouts": row["timeouts"],
            "latencia_media_ms": round(statistics.fmean(row["lat"]), 1) if row["lat"] else None,
            "tasa_aciertos_cache": round(row["hits"] / looked, 3) if looked else None,
        }
    return result


@frozen
class Statistics:
    """An operario sees their own numbers; admin and consultor everyone's, per user too."""

    uow: Callable[[], UnitOfWork]
    clock: Clock
    quota_timezone: str = "America/Bogota"

    def __call__(self, principal: Principal, since: object, until: object) -> dict[str, Any]:
        global_view = can(principal, Permission.READ_GLOBAL_STATS)
        if not global_view and not can(principal, Permission.READ_OWN_STATS):
            raise PermissionDenied("su rol no permite ver estadísticas")
        start, end = day_bounds(since, until)
        flt = QueryFilter(
            user_id=None if global_view else principal.user_id, since=start, until=end
        )
        with self.uow() as uow:
            base = uow.queries.stats(flt)
            providers = provider_stats(uow.queries.answers(flt))
            per_user = uow.queries.per_user(flt) if global_view else None
            keys = uow.api_keys.list_for_user(None if global_view else principal.user_id)
        total = base["total"]
        completed = base["por_estado"].get("completada", 0)
        report: dict[str, Any] = {
            "alcance": "global" if global_view else "propio",
            "desde": since,
            "hasta": until,
            "total_consultas": total,
            "completadas": completed,
            "errores": base["por_estado"].get("error", 0),
            "tasa_exito": round(completed / total, 4) if total else None,
            "por_tipo": base["por_tipo"],
            "ciudades_principales": [{"ciudad": c, "consultas": n} for c, n in base["ciudades"]],
            "tiempo_respuesta_medio_ms": base["tiempo_medio_ms"],
            "ultima_consulta": base["ultima_consulta"],
            "proveedores": providers,
            "cuotas_hoy": self._quotas(keys, principal.user_id if not global_view else None),
        }
        if per_user is not None:
            report["por_usuario"] = per_user
        return report

    def _quotas(self, keys, user_id: int | None) -> list[dict[str, Any]]:
        today = quota_day(self.clock(), self.quota_timezone)
        return [
            {
                "api_key_id": k.id,
                "usuario_id": k.user_id,
                "proveedor": k.provider,
                "activa": k.active,
                "usadas_hoy": k.used_today if k.usage_day == today else 0,
                "limite_diario": k.daily_limit,
            }
            for k in keys
            if user_id is None or k.user_id == user_id
        ]
