"""What the series queries (history, forecast) share: admit, locate, store, run, complete."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TypeVar

from attrs import frozen

from domain.model.forecast import ForecastFacts
from domain.model.permissions import Permission, Principal, require
from domain.model.queries import QueryLimits, SeriesPoint, SummaryValue, WeatherQuery, summarise
from domain.model.results import ProviderReport, QueryResult
from domain.model.tokens import ClientInfo
from domain.use_cases.provider_calls import ProviderCalls
from domain.use_cases.query_lifecycle import NewQuery, QueryLifecycle
from domain.use_cases.resolve_location import LocationRequest, ResolvedLocation, ResolveLocation
from ports.clock import Clock

T = TypeVar("T")
Run = Callable[[WeatherQuery, ResolvedLocation, float], T]


class PlaceCommand(Protocol):
    """The fields every query command has: who asks, from where, about which place."""

    principal: Principal
    city: object
    latitude: object
    longitude: object
    country: object
    client: ClientInfo


@frozen
class SeriesQuery:
    """Base of the series use cases: validate first, then locate → store pendiente →
    procesando → run → store completada (or error: abandoned on an unexpected failure)."""

    locate: ResolveLocation
    calls: ProviderCalls
    lifecycle: QueryLifecycle
    clock: Clock
    timer: Callable[[], float]
    limits: QueryLimits

    def _admit(self, cmd: PlaceCommand) -> None:
        """The role may run queries, and the user has not started too many this minute."""
        require(cmd.principal, Permission.RUN_QUERY)
        self.lifecycle.admit(cmd.principal)

    def _launch(self, cmd: PlaceCommand, new: Callable[[ResolvedLocation], NewQuery], run: Run):
        """Locate, store the query, run it; an unexpected failure leaves it marked error."""
        place = LocationRequest(cmd.city, cmd.latitude, cmd.longitude, cmd.country)
        where = self.locate(place, cmd.principal.user_id)
        query = self.lifecycle.start(cmd.principal, new(where), cmd.client.ip)
        started = self.timer()
        try:
            return run(query, where, started)
        except Exception:
            self.lifecycle.abandon(query, started)
            raise

    def _store(
        self,
        query: WeatherQuery,
        started: float,
        reports: Mapping[str, ProviderReport],
        points: Sequence[SeriesPoint],
        variables: Sequence[str],
        forecast: ForecastFacts | None = None,
    ) -> tuple[WeatherQuery, dict[str, SummaryValue]]:
        """Summarise the series and store the query completada with it (one commit)."""
        summary = summarise(points, variables)
        used = tuple(sorted({s for p in points for v in p.consensus.values() for s in v.sources}))
        result = QueryResult(used, summary=summary, forecast=forecast)
        query = self.lifecycle.complete(query, started, reports, result, summary, points)
        return query, summary
