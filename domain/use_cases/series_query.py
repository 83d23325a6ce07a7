"""What the query use cases share: admit, locate, store, run, complete (series: summarise)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from attrs import frozen

from domain.model.agro.alerts import Alert
from domain.model.agro.settings import DEFAULT_SETTINGS, AgroSettings
from domain.model.forecast import ForecastFacts
from domain.model.permissions import Permission, require
from domain.model.queries import QueryLimits, SeriesPoint, SummaryValue, WeatherQuery, summarise
from domain.model.results import ProviderReport, QueryResult
from domain.use_cases.provider_calls import ProviderCalls
from domain.use_cases.query_command import QueryCommand
from domain.use_cases.query_lifecycle import NewQuery, QueryLifecycle
from domain.use_cases.resolve_location import ResolvedLocation, ResolveLocation
from ports.clock import Clock

T = TypeVar("T")
Run = Callable[[WeatherQuery, ResolvedLocation, float], T]


def sources_used(points: Sequence[SeriesPoint]) -> tuple[str, ...]:
    """Every source some step's consensus used, sorted (fuentes_utilizadas)."""
    return tuple(sorted({s for p in points for v in p.consensus.values() for s in v.sources}))


@frozen
class QueryRunner:
    """Base of the query use cases: validate first, then locate → store pendiente →
    procesando → run → store completada (or error: abandoned on an unexpected failure).
    Subclasses declare `timer` (after their own collaborators, in their constructor order)."""

    locate: ResolveLocation
    calls: ProviderCalls
    lifecycle: QueryLifecycle

    def _admit(self, cmd: QueryCommand) -> None:
        """The role may run queries, and the user has not started too many this minute."""
        require(cmd.principal, Permission.RUN_QUERY)
        self.lifecycle.admit(cmd.principal)

    def _launch(self, cmd: QueryCommand, new: Callable[[ResolvedLocation], NewQuery], run: Run):
        """Locate, store the query, run it; an unexpected failure leaves it marked error."""
        where = self.locate(cmd.place, cmd.principal.user_id)
        query = self.lifecycle.start(cmd.principal, new(where), cmd.client.ip)
        started = self.timer()  # type: ignore[attr-defined]
        try:
            return run(query, where, started)
        except Exception:
            self.lifecycle.abandon(query, started)
            raise


@frozen
class SeriesQuery(QueryRunner):
    """Base of the series use cases (history, forecast): one consensus per timestep."""

    clock: Clock
    timer: Callable[[], float]
    limits: QueryLimits
    agro: AgroSettings = DEFAULT_SETTINGS  # farm thresholds and alert levels (issue 14)

    def _store(
        self,
        query: WeatherQuery,
        started: float,
        reports: Mapping[str, ProviderReport],
        points: Sequence[SeriesPoint],
        variables: Sequence[str],
        forecast: ForecastFacts | None = None,
        alerts: Sequence[Alert] = (),
        summary: dict[str, SummaryValue] | None = None,
        used: tuple[str, ...] | None = None,
    ) -> tuple[WeatherQuery, dict[str, SummaryValue]]:
        """Summarise the series (unless the caller did: `summary`, `used`) and store the
        query completada with it (one commit)."""
        if summary is None:
            summary = summarise(points, variables)
        if used is None:
            used = sources_used(points)
        result = QueryResult(used, summary=summary, forecast=forecast, alerts=tuple(alerts))
        query = self.lifecycle.complete(query, started, reports, result, summary, points)
        return query, summary
