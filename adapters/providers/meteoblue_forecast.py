"""Meteoblue forecasts: ONE call to the `basic-1h_basic-day` package (`forecast_days` 1-7) gives
`data_1h` and `data_day`; the granularity asked picks one. The fields are history's plus
`precipitation_probability` (%). `metadata.modelrun_utc` is the issue time in the provenance;
Meteoblue's basic packages mix several models and name none, so there is no model name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from adapters.providers import forecast_kit, toolkit
from adapters.providers.meteoblue_rows import instant_of, rows_of
from domain.model.consensus import Reason
from domain.model.horizon import Horizon, HorizonUnit
from domain.model.location import Location
from domain.model.readings import Capabilities, Credentials, DataKind, Granularity, ProviderAnswer
from ports.providers import ProviderUnavailable

PACKAGE = "basic-1h_basic-day"
FORECAST_TTL = 1800
MAX_DAYS = 7
HORIZON = Horizon(MAX_DAYS, HorizonUnit.DAYS)
PROBABILITY = (
    "probabilidad_precipitacion",
    "precipitation_probability",
    "precipitation_probability",
    "percent",
)

# fetch(package, location, credentials, extra params, ttl, section, parse) -> what `parse`
# builds from (body, meta) (parsed_answers.py; the call's parameters are added to its key)
Fetch = Callable[..., ProviderAnswer]


def forecast(
    fetch: Fetch, capabilities: Capabilities, fields: Sequence[tuple], now: datetime,
    location: Location, days: int, granularity: Granularity, timezone: str,
    variables: Sequence[str], credentials: Credentials | None, provider: str,
    ttl: int = FORECAST_TTL,
) -> ProviderAnswer:  # fmt: skip
    """`fields` are history's (name, field, unit key, unit) for the granularity asked."""
    forecast_kit.horizon_of(capabilities, granularity)
    daily = granularity is Granularity.DAILY
    fields = (*fields, PROBABILITY)
    supported = {name for name, *_ in fields} | {"descripcion_clima"}
    names = frozenset(toolkit.wanted(supported, variables))
    span = forecast_kit.window(now, timezone, days, MAX_DAYS)
    creds = toolkit.require_key(credentials)
    section = "data_day" if daily else "data_1h"
    extra = {"forecast_days": span.days, "tz": timezone}

    def build(body: Any, meta: dict[str, Any]) -> ProviderAnswer:
        issued = _issued(body)
        readings = []
        try:
            for when, values in rows_of(body, section, fields, names, span.zone, daily=daily):
                instant = toolkit.midnight(when, span.zone) if daily else when.astimezone(span.zone)
                if span.holds(instant):
                    readings.append(forecast_kit.reading(instant, values, None, issued))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ProviderUnavailable(Reason.ERROR, "respuesta_inesperada") from None
        meta |= {"emitido_en": issued, "horizonte": forecast_kit.horizon_meta(capabilities)}
        return ProviderAnswer(provider, DataKind.MODEL, forecast_kit.sorted_unique(readings), meta)

    key = ("meteoblue", provider, capabilities, span, daily, fields, tuple(sorted(names)))
    return fetch(PACKAGE, location, creds, extra, ttl, section, forecast_kit.parsed(key, build))


def _issued(body: Any) -> str | None:
    """metadata.modelrun_utc (in the answer's time format) as ISO 8601 UTC."""
    metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
    units = body.get("units") if isinstance(body.get("units"), dict) else {}
    run = instant_of(metadata.get("modelrun_utc"), str(units.get("time", "")), UTC)
    return run.astimezone(UTC).isoformat() if run else None
