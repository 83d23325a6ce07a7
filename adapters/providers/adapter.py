"""The provider ports written once, for every adapter: `current` and `history` (and `forecast`
for those that forecast) with the ports' signatures, delegating to the adapter's own pieces.

An adapter implements `_current(ask)` and, when it has history, `_history(ask)`: one request
value each (`Ask`, `HistoryAsk`) instead of the port's four positional arguments, so the port's
signature and its arguments are spelled here only. A forecasting adapter names its module's
forecast function in `_forecast_call` (forecast_kit holds the policy they share).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, tzinfo
from typing import Any

from attrs import frozen

from adapters.providers import toolkit
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import Capabilities, Credentials, Granularity, ProviderAnswer, TimeRange
from ports.providers import ProviderUnavailable


@frozen
class Ask:
    """What the caller asks for: where, the catalogue variables as asked, with which key."""

    location: Location
    variables: Sequence[str]
    credentials: Credentials | None


@frozen
class HistoryAsk(Ask):
    """An Ask over the local dates `time_range.start` .. `end` of `time_range.timezone`."""

    time_range: TimeRange

    @property
    def start(self) -> date:
        return self.time_range.start

    @property
    def end(self) -> date:
        return self.time_range.end

    @property
    def daily(self) -> bool:
        return self.time_range.granularity is Granularity.DAILY

    def zone(self) -> tzinfo:
        """The range's zone; an unknown one is ERROR zona_horaria_desconocida (toolkit.zone)."""
        return toolkit.zone(self.time_range.timezone)


class ProviderAdapter:
    """Base of the WeatherProvider adapters (ports.providers.WeatherProvider)."""

    name: str
    capabilities: Capabilities

    def current(
        self, location: Location, variables: Sequence[str], credentials: Credentials | None
    ) -> ProviderAnswer:
        return self._current(Ask(location, variables, credentials))

    def history(
        self,
        location: Location,
        time_range: TimeRange,
        variables: Sequence[str],
        credentials: Credentials | None,
    ) -> ProviderAnswer:
        return self._history(HistoryAsk(location, variables, credentials, time_range))

    def _current(self, ask: Ask) -> ProviderAnswer:
        raise NotImplementedError

    def _history(self, ask: HistoryAsk) -> ProviderAnswer:
        """An adapter without history: ERROR no_soportado, without any network call."""
        raise ProviderUnavailable(Reason.ERROR, toolkit.NOT_SUPPORTED)


class Forecasting(ProviderAdapter):
    """Base of the forecasting adapters: `_forecast_call` names the module's forecast function
    and the arguments that go before the ask; the provider's name goes last."""

    # Seconds a forecast answer is reused from the provider cache (FORECAST_CACHE_TTL); set
    # by the composition root. The cache key is the upstream request, so what differs in the
    # call (days, block, variables, zone) never shares an answer; a hit charges no quota.
    forecast_ttl: int = 1800

    def _forecast_call(
        self, granularity: Granularity
    ) -> tuple[Callable[..., ProviderAnswer], tuple[Any, ...]]:
        raise NotImplementedError

    def forecast(
        self,
        location: Location,
        days: int,
        granularity: Granularity,
        timezone: str,
        variables: Sequence[str],
        credentials: Credentials | None,
    ) -> ProviderAnswer:
        run, before = self._forecast_call(granularity)
        asked = (location, days, granularity, timezone, variables, credentials)
        return run(*before, *asked, self.name, ttl=self.forecast_ttl)
