"""What a provider answers, already in canonical units: readings per instant, with provenance."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from attrs import field, frozen

from domain.model.horizon import Horizon


class Granularity(enum.StrEnum):
    """Timestep of a historical series (wire names)."""

    DAILY = "diaria"
    HOURLY = "horaria"


class DataKind(enum.StrEnum):
    """Where a value comes from: a station, a forecast model or a reanalysis (ERA5)."""

    OBSERVED = "observado"
    MODEL = "modelo"
    REANALYSIS = "reanalisis"


@frozen
class TimeRange:
    """Inclusive local dates in an IANA time zone; days are cut at local midnight."""

    start: date
    end: date
    granularity: Granularity
    timezone: str = "America/Bogota"


@frozen
class Reading:
    """One provider's values at one instant (aware datetime), keyed by catalogue variable name.

    A missing value is absent or None, never 0. For daily series the instant is local midnight.
    """

    instant: datetime
    values: Mapping[str, float | None] = field(factory=dict)
    # Per variable, where an observed value came from, for station providers: {"estacion",
    # "nombre", "distancia_km", "diferencia_elevacion_m", "observado_en" (ISO with offset)}.
    provenance: Mapping[str, Mapping[str, object]] = field(factory=dict)
    # Per variable, why a value is None when it is not plain absence (e.g. "desactualizado").
    missing_reasons: Mapping[str, str] = field(factory=dict)


@frozen
class ProviderAnswer:
    """A provider's normalised answer; `meta` is provenance that is safe to store (no keys)."""

    provider: str
    kind: DataKind
    readings: tuple[Reading, ...]
    meta: Mapping[str, Any] = field(factory=dict)


@frozen
class Credentials:
    """The key (and secret) to call a provider with; never logged, stored or returned."""

    api_key: str = field(repr=False)
    api_secret: str | None = field(default=None, repr=False)
    owner: str = "sistema"  # "usuario" or "sistema"
    key_id: int | None = None
    # Called right before a real network call (not on a cache hit) to take one unit of the
    # key's daily quota; returns False when the quota is exhausted. None: nothing to charge.
    charge: Callable[[], bool] | None = field(default=None, eq=False, repr=False)
    # A probe's call: never answered from the provider cache (a revoked key must show).
    fresh: bool = False


@frozen
class Capabilities:
    """What a provider can answer."""

    current: bool
    history_hourly: bool
    history_daily: bool
    variables: frozenset[str]
    needs_key: bool
    # How far ahead the provider forecasts each granularity; None: it does not (observations).
    forecast_hourly: Horizon | None = None
    forecast_daily: Horizon | None = None

    @property
    def forecasts(self) -> bool:
        """True when the provider answers forecasts at some granularity."""
        return self.forecast_hourly is not None or self.forecast_daily is not None


@frozen
class GeoCandidate:
    """One geocoding match."""

    name: str
    latitude: float
    longitude: float
    country: str | None = None
    country_code: str | None = None
    admin1: str | None = None  # departamento / state
    elevation: float | None = None
