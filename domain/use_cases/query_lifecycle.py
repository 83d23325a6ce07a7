"""The stored life of a query: pendiente → procesando → completada | error, with its audit."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime

import attrs
from attrs import frozen

from domain.errors import RateLimited
from domain.model.activity import Action, audit
from domain.model.failures import no_readings_error, stored_code
from domain.model.location import Location
from domain.model.permissions import Principal
from domain.model.queries import (
    ExportFormat,
    QueryParameters,
    QueryStatus,
    QueryType,
    SeriesPoint,
    SummaryValue,
    WeatherQuery,
)
from domain.model.results import ProviderReport, QueryResult
from domain.model.tokens import ClientInfo
from domain.model.usage import minute_window
from ports.clock import Clock
from ports.repositories import UnitOfWork

ACTIONS = {
    QueryType.CURRENT: Action.CURRENT_QUERY,
    QueryType.HISTORY: Action.HISTORY_QUERY,
    QueryType.FORECAST: Action.FORECAST_QUERY,
}


@frozen
class NewQuery:
    """What a query use case asks to store before any provider is called."""

    query_type: QueryType
    location: Location
    export_format: ExportFormat
    parameters: QueryParameters
    dates: tuple[date, date] | None = None

    def pending(self, user_id: int, at: datetime, client_ip: str | None) -> WeatherQuery:
        return WeatherQuery(
            id=None,
            user_id=user_id,
            query_type=self.query_type,
            location=self.location,
            export_format=self.export_format,
            parameters=self.parameters,
            status=QueryStatus.PENDING,
            created_at=at,
            start_date=self.dates[0] if self.dates else None,
            end_date=self.dates[1] if self.dates else None,
            client_ip=client_ip,
        )


@frozen
class QueryLifecycle:
    """Each step is its own unit of work, so a query is visible while it runs."""

    uow: Callable[[], UnitOfWork]
    clock: Clock
    timer: Callable[[], float]
    quota_timezone: str
    per_minute: int = 30  # queries a user may start in one minute, across workers and hosts

    def admit(self, principal: Principal) -> None:
        """Count the query in the user's current minute; RateLimited (429) beyond the limit."""
        window = minute_window(self.clock())
        with self.uow() as uow:
            allowed = uow.usage.try_hit(principal.user_id, window.number, self.per_minute)
            uow.commit()
        if not allowed:
            raise RateLimited(
                f"más de {self.per_minute} consultas por minuto; espere",
                retry_after=window.retry_after,
            )

    def start(self, principal: Principal, new: NewQuery, client_ip: str | None) -> WeatherQuery:
        """Store the query procesando with its audit row, in one commit: it is visible (and
        swept if its worker dies) from before the first provider call."""
        pending = new.pending(principal.user_id, self.clock(), client_ip)
        query = attrs.evolve(pending, status=QueryStatus.PROCESSING)
        with self.uow() as uow:
            query = uow.queries.add(query)
            at, client = query.created_at, ClientInfo(client_ip, None)
            detail = {"query_id": query.id, "city": new.location.city}
            uow.activity.add(
                audit(ACTIONS[new.query_type], principal.user_id, at, client, **detail)
            )
            uow.commit()
        return query

    def _finish(self, query: WeatherQuery, started: float, reports) -> None:
        query.provider_answers = dict(reports)
        query.response_ms = round((self.timer() - started) * 1000)
        query.completed_at = self.clock()

    def complete(
        self,
        query: WeatherQuery,
        started: float,
        reports: Mapping[str, ProviderReport],
        result: QueryResult,
        columns: Mapping[str, SummaryValue],
        series: Sequence[SeriesPoint] = (),
    ) -> WeatherQuery:
        """Store the query completada with its result (and series) in one commit."""
        self._finish(query, started, reports)
        done = attrs.evolve(query, status=QueryStatus.COMPLETED)
        with self.uow() as uow:
            uow.queries.update(done)
            if series:
                uow.queries.add_series(done.id, series)
            uow.queries.save_result(done.id, result, columns)
            uow.commit()
        return done  # completada only once it is stored

    def fail(
        self, query: WeatherQuery, started: float, reports: Mapping[str, ProviderReport]
    ) -> None:
        """Store the query as error with the code of the error the client gets (never
        exception text), then raise that error: what the providers' reasons call for."""
        error = no_readings_error(reports, self.clock(), self.quota_timezone)
        code = stored_code(error)
        self._finish(query, started, reports)
        query.status, query.error_code = QueryStatus.ERROR, code
        with self.uow() as uow:
            uow.queries.update(query)
            client, detail = ClientInfo(query.client_ip, None), {"query_id": query.id, "code": code}
            uow.activity.add(
                audit(Action.QUERY_FAILED, query.user_id, self.clock(), client, **detail)
            )
            uow.commit()
        raise error

    def abandon(self, query: WeatherQuery, started: float) -> None:
        """An unexpected failure: keep the row, marked error_interno, and let the error rise.

        The stored row decides (not the object in memory, which may say completada while its
        commit failed); nothing already completed or failed is overwritten.
        """
        with self.uow() as uow:
            stored = uow.queries.get(query.id) if query.id is not None else None
            if stored is None or stored.status in (QueryStatus.COMPLETED, QueryStatus.ERROR):
                return
            stored.status = QueryStatus.ERROR
            stored.error_code = "error_interno"
            stored.response_ms = round((self.timer() - started) * 1000)
            stored.completed_at = self.clock()
            uow.queries.update(stored)
            uow.commit()
