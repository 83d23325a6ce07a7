"""Test doubles for the provider ports: canned answers, failures and delays, recorded calls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import attrs

from domain.model.consensus import Reason
from domain.model.horizon import Horizon
from domain.model.readings import (
    Capabilities,
    Credentials,
    DataKind,
    GeoCandidate,
    Granularity,
    ProviderAnswer,
    Reading,
)
from domain.model.variables import ALL_VARIABLE_NAMES, FORECAST_VARIABLE_NAMES
from ports.providers import ProviderUnavailable


class FakeProvider:
    """A WeatherProvider whose answers the test chooses; it records every call."""

    def __init__(
        self,
        name: str,
        values: Mapping[str, float | None] | None = None,
        *,
        needs_key: bool = False,
        fail: tuple[Reason, str] | None = None,
        delay: float = 0.0,
        daily: Callable[[datetime], Mapping[str, float | None]] | None = None,
        instant: datetime | None = None,
        history: bool = True,
    ) -> None:
        self.name = name
        self.values = dict(values or {})
        self.fail = fail
        self.delay = delay
        self.daily = daily
        self.instant = instant or datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
        self.capabilities = Capabilities(
            current=True,
            history_hourly=history,
            history_daily=history,
            variables=frozenset(ALL_VARIABLE_NAMES),
            needs_key=needs_key,
        )
        self.calls: list[tuple[str, Credentials | None]] = []
        self._lock = threading.Lock()

    def _enter(self, kind: str, credentials: Credentials | None) -> None:
        with self._lock:
            self.calls.append((kind, credentials))
        if self.delay:
            time.sleep(self.delay)
        if credentials is not None and credentials.charge is not None and not credentials.charge():
            raise ProviderUnavailable(Reason.CUOTA_AGOTADA, "cuota_agotada")
        if self.fail:
            raise ProviderUnavailable(*self.fail)

    def current(self, location, variables: Sequence[str], credentials) -> ProviderAnswer:
        self._enter("current", credentials)
        values = {k: v for k, v in self.values.items() if k in variables}
        return ProviderAnswer(self.name, DataKind.MODEL, (Reading(self.instant, values),))

    def history(self, location, time_range, variables, credentials) -> ProviderAnswer:
        self._enter("history", credentials)
        zone = ZoneInfo(time_range.timezone)
        step = (
            timedelta(hours=1)
            if time_range.granularity is Granularity.HOURLY
            else timedelta(days=1)
        )
        instant = datetime.combine(time_range.start, datetime.min.time(), zone)
        end = datetime.combine(time_range.end + timedelta(days=1), datetime.min.time(), zone)
        readings = []
        while instant < end:
            row = self.daily(instant) if self.daily else self.values
            readings.append(Reading(instant, {k: v for k, v in row.items() if k in variables}))
            instant = (instant.astimezone(UTC) + step).astimezone(zone)
        return ProviderAnswer(self.name, DataKind.REANALYSIS, tuple(readings))


class FakeGeocoder:
    """Known places only; anything else is not found."""

    PLACES: ClassVar[dict[str, list[GeoCandidate]]] = {
        "medellín": [
            GeoCandidate("Medellín", 6.25184, -75.56359, "Colombia", "CO", "Antioquia", 1495.0),
            GeoCandidate("Medellín", 8.9, -75.4, "Colombia", "CO", "Córdoba", 30.0),
        ],
        "bogotá": [
            GeoCandidate("Bogotá", 4.60971, -74.08175, "Colombia", "CO", "Bogotá D.C.", 2582.0)
        ],
    }

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def search(self, name: str, country: str | None = None, limit: int = 5) -> list[GeoCandidate]:
        self.calls.append((name, country))
        return list(self.PLACES.get(name.strip().lower(), []))[:limit]


class FakeForecaster(FakeProvider):
    """A forecasting provider: hourly steps from the hour of `now` and daily steps from today,
    each cut at its horizon as the real adapters cut theirs; `daily_values` are its own daily
    outputs (missing ones are built from its hours by the use case)."""

    def __init__(
        self,
        name: str,
        values: Mapping[str, float | None],
        now: Callable[[], datetime],
        hourly: Horizon | None = None,
        daily: Horizon | None = None,
        daily_values: Mapping[str, float | None] | None = None,
        **keywords,
    ) -> None:
        super().__init__(name, values, **keywords)
        self.now = now
        self.daily_values = dict(daily_values or {})
        self.capabilities = attrs.evolve(
            self.capabilities,
            variables=frozenset(FORECAST_VARIABLE_NAMES),
            forecast_hourly=hourly,
            forecast_daily=daily,
        )

    def forecast(self, location, days, granularity, timezone, variables, credentials):
        self._enter(f"forecast_{granularity.value}", credentials)
        zone, now = ZoneInfo(timezone), self.now()
        horizon = (
            self.capabilities.forecast_hourly
            if granularity is Granularity.HOURLY
            else self.capabilities.forecast_daily
        )
        if horizon is None:
            raise ProviderUnavailable(Reason.ERROR, "no_soportado")
        limit = horizon.limit(now, zone)
        today = now.astimezone(zone).date()
        end = datetime.combine(today + timedelta(days=days), datetime.min.time(), zone)
        readings = []
        if granularity is Granularity.HOURLY:
            instant = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
            while instant < min(end, limit):
                row = {k: v for k, v in self.values.items() if k in variables}
                readings.append(Reading(instant.astimezone(zone), row, _model(row)))
                instant += timedelta(hours=1)
        else:
            for k in range(days):
                day = datetime.combine(today + timedelta(days=k), datetime.min.time(), zone)
                after = datetime.combine(day.date() + timedelta(days=1), day.time(), zone)
                if after > limit:
                    break
                row = {n: v for n, v in self.daily_values.items() if n in variables}
                readings.append(Reading(day, row, _model(row)))
        return ProviderAnswer(self.name, DataKind.MODEL, tuple(readings))


def _model(row: Mapping[str, float | None]) -> dict[str, dict[str, object]]:
    return {n: {"tipo": "modelo", "modelo": "fake_model"} for n, v in row.items() if v is not None}
