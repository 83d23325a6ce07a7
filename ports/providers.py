"""Ports to the outside weather world: providers, geocoders and how they fail."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import (
    Capabilities,
    Credentials,
    GeoCandidate,
    Granularity,
    ProviderAnswer,
    TimeRange,
)


class ProviderUnavailable(Exception):
    """A provider could not answer. `reason` is a consensus Reason; `code` a stable detail.

    Neither ever contains exception text, URLs or keys: both are safe to store and show.
    """

    def __init__(self, reason: Reason, code: str) -> None:
        super().__init__(f"{reason.value}:{code}")
        self.reason = reason
        self.code = code


class WeatherProvider(Protocol):
    """One upstream. Returns values in canonical units under catalogue variable names."""

    name: str
    capabilities: Capabilities

    def current(
        self, location: Location, variables: Sequence[str], credentials: Credentials | None
    ) -> ProviderAnswer:
        """The latest values (one Reading). Raises ProviderUnavailable."""
        ...

    def history(
        self,
        location: Location,
        time_range: TimeRange,
        variables: Sequence[str],
        credentials: Credentials | None,
    ) -> ProviderAnswer:
        """One Reading per timestep of the range. Raises ProviderUnavailable."""
        ...


class ForecastProvider(WeatherProvider, Protocol):
    """A WeatherProvider that also forecasts, within `capabilities.forecast_hourly/_daily`."""

    def forecast(
        self,
        location: Location,
        days: int,
        granularity: Granularity,
        timezone: str,
        variables: Sequence[str],
        credentials: Credentials | None,
    ) -> ProviderAnswer:
        """The forecast for `days` local days from today (today included) in `timezone`, cut
        at the provider's horizon: hourly, one Reading per hour (aware instant); daily, one per
        local day at local midnight. Kind `modelo`; each value's provenance names the model
        and the issue time when the provider states them; `meta["horizonte"]` is the declared
        horizon. Raises ProviderUnavailable (no_soportado for a granularity it lacks)."""
        ...


class Geocoder(Protocol):
    """City name → candidates, best first."""

    def search(self, name: str, country: str | None = None, limit: int = 5) -> list[GeoCandidate]:
        """Raises ProviderUnavailable when the geocoding service cannot answer."""
        ...


class FanOut(Protocol):
    """Runs provider calls concurrently and waits at most `deadline` seconds for all of them.

    Returns each call's answer or the ProviderUnavailable it raised; a call still running at
    the deadline is reported as ProviderUnavailable(TIMEOUT, "plazo_global").
    """

    def __call__(
        self, calls: Mapping[str, Callable[[], ProviderAnswer]], deadline: float
    ) -> dict[str, ProviderAnswer | ProviderUnavailable]: ...
