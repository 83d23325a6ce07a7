"""Test doubles for the provider ports: canned answers, failures and delays, recorded calls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from domain.model.consensus import Reason
from domain.model.readings import (
    Capabilities,
    Credentials,
    DataKind,
    GeoCandidate,
    Granularity,
    ProviderAnswer,
    Reading,
)
from domain.model.variables import ALL_VARIABLE_NAMES
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
