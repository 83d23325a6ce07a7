"""GET /api/reportes/estadisticas: query totals, success, cities, latency, providers and quotas."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.errors import PermissionDenied
from domain.model.api_keys import quota_day
from domain.model.paging import day_bounds
from domain.model.permissions import Permission, Principal, can
from domain.model.statistics import Scope, StatisticsReport, provider_stats, quota_usage
from domain.model.usage import SystemKeyUsage
from ports.clock import Clock
from ports.repositories import QueryFilter, UnitOfWork


@frozen
class GetStatistics:
    """An operario sees their own numbers; admin and consultor everyone's, per user too."""

    uow: Callable[[], UnitOfWork]
    clock: Clock
    quota_timezone: str = "America/Bogota"
    system_budget: int = 100

    def __call__(
        self, principal: Principal, since: str | None, until: str | None
    ) -> StatisticsReport:
        global_view = can(principal, Permission.READ_GLOBAL_STATS)
        if not global_view and not can(principal, Permission.READ_OWN_STATS):
            raise PermissionDenied("su rol no permite ver estadísticas")
        start, end = day_bounds(since, until)
        own = None if global_view else principal.user_id
        flt = QueryFilter(user_id=own, since=start, until=end)
        with self.uow() as uow:
            totals = uow.queries.stats(flt)
            providers = provider_stats(uow.queries.answers(flt))
            per_user = tuple(uow.queries.per_user(flt)) if global_view else None
            keys = uow.api_keys.list_for_user(own)
            today = quota_day(self.clock(), self.quota_timezone)
            spent = uow.usage.system_key_usage(own, today)
        system = tuple(SystemKeyUsage(u, p, n, self.system_budget) for u, p, n in spent)
        quotas = tuple(quota_usage(k, today) for k in keys if own is None or k.user_id == own)
        scope = Scope.GLOBAL if global_view else Scope.OWN
        return StatisticsReport(scope, since, until, totals, providers, quotas, per_user, system)
