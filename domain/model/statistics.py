"""Usage statistics: query totals, per-user totals, per-provider behaviour, today's quotas."""

from __future__ import annotations

import enum
import statistics
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from attrs import define, field, frozen

from domain.model.api_keys import ApiKey
from domain.model.consensus import Reason
from domain.model.queries import QueryStatus, QueryType
from domain.model.results import ProviderReport
from domain.model.usage import SystemKeyUsage

# Providers that were never called: they say nothing about how the upstream behaves.
NOT_CALLED = {Reason.NO_KEY, Reason.OUT_OF_COVERAGE, Reason.QUOTA_SPENT}
TOP_CITIES = 5


class Scope(enum.StrEnum):
    """Whose numbers a report holds."""

    GLOBAL = "global"
    OWN = "propio"


@frozen
class CityCount:
    """How many queries asked about one city."""

    city: str
    queries: int


@frozen
class QueryStatistics:
    """Totals over the queries that match a filter (the repository computes them)."""

    total: int
    by_status: Mapping[QueryStatus, int]
    by_type: Mapping[QueryType, int]
    mean_response_ms: float | None
    last_query_at: datetime | None
    top_cities: tuple[CityCount, ...]

    @property
    def completed(self) -> int:
        return self.by_status.get(QueryStatus.COMPLETED, 0)

    @property
    def errors(self) -> int:
        return self.by_status.get(QueryStatus.ERROR, 0)

    @property
    def success_rate(self) -> float | None:
        return round(self.completed / self.total, 4) if self.total else None


@frozen
class UserQueryTotals:
    """One active user's queries over the period."""

    user_id: int
    username: str
    full_name: str | None
    total: int
    completed: int
    last_query_at: datetime | None


@frozen
class ProviderStats:
    """How one provider behaved when it was called."""

    calls: int
    errors: int
    timeouts: int
    mean_latency_ms: float | None
    cache_hit_ratio: float | None


@frozen
class QuotaUsage:
    """One key's use of today's quota."""

    key_id: int | None
    user_id: int
    provider: str
    active: bool
    used_today: int
    daily_limit: int


def quota_usage(key: ApiKey, today: date) -> QuotaUsage:
    """A key's usage today: the counter only counts on the day it was last charged."""
    used = key.used_today if key.usage_day == today else 0
    return QuotaUsage(key.id, key.user_id, key.provider, key.active, used, key.daily_limit)


@define
class _Tally:
    calls: int = 0
    errors: int = 0
    timeouts: int = 0
    latencies: list[float] = field(factory=list)
    hits: int = 0
    misses: int = 0

    def add(self, report: ProviderReport) -> None:
        self.calls += 1
        if not report.ok:
            self.errors += 1
            self.timeouts += report.reason == Reason.TIMEOUT
        latency = report.meta.get("latencia_ms", report.latency_ms)
        if isinstance(latency, int | float):
            self.latencies.append(float(latency))
        cache = report.meta.get("cache", report.cache)
        self.hits += cache == "hit"
        self.misses += cache in ("miss", "parcial")

    def stats(self) -> ProviderStats:
        looked = self.hits + self.misses
        return ProviderStats(
            self.calls,
            self.errors,
            self.timeouts,
            round(statistics.fmean(self.latencies), 1) if self.latencies else None,
            round(self.hits / looked, 3) if looked else None,
        )


def provider_stats(answers: Iterable[Mapping[str, ProviderReport]]) -> dict[str, ProviderStats]:
    """Per provider, by name: calls made, errors, timeouts, mean latency, cache hit ratio."""
    tallies: dict[str, _Tally] = {}
    for answer in answers:
        for name, report in answer.items():
            if report.reason in NOT_CALLED:
                continue
            tallies.setdefault(name, _Tally()).add(report)
    return {name: tally.stats() for name, tally in sorted(tallies.items())}


@frozen
class StatisticsReport:
    """GET /api/reportes/estadisticas: the period as asked, the totals and their breakdowns."""

    scope: Scope
    since: str | None
    until: str | None
    queries: QueryStatistics
    providers: Mapping[str, ProviderStats]
    quotas: tuple[QuotaUsage, ...]
    per_user: tuple[UserQueryTotals, ...] | None = None
    system_keys: tuple[SystemKeyUsage, ...] = ()  # today's use of the system-key budgets
