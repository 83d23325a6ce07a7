"""Meteosource forecasts: ONE `point` call (`sections=hourly,daily`, metric) answers both
granularities, so the second one asked is a cache hit. `timezone` is the zone asked (an IANA
name, as Meteosource takes it), so that each `day` is a local day of that zone; naive hourly
dates are read in the zone the answer names.

Horizons by tier: the free tier serves 24 hourly items and 7 days (PROVIDERS.md 4.2, sample
Toronto). For the paid tiers our sources state no per-tier numbers: the documentation says
"out to 30 days", and the paid-tier London sample has 155 hourly items (from the hour after
issue) and 30 days; those are declared for startup, standard and flexi alike.

- hourly: the items' fields as `current`, plus `probability.precipitation` (%).
- daily: `all_day` of each `day`: temperature (mean), temperature_min/max, the same fields as
  hourly (wind gusts are the day's highest, cf. the day parts) and the day's weather text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from adapters.providers import forecast_kit, toolkit
from adapters.providers.meteosource_weather import (
    HOURLY_VARIABLES,
    check_metric,
    meta_of,
    time_of,
    values_of,
)
from adapters.providers.parsed_answers import Parse
from domain.model.horizon import Horizon, HorizonUnit
from domain.model.location import Location
from domain.model.readings import Capabilities, Credentials, DataKind, Granularity, ProviderAnswer

FORECAST_TTL = 1800
PROBABILITY = "probabilidad_precipitacion"
FREE = (Horizon(24, HorizonUnit.HOURS), Horizon(7, HorizonUnit.DAYS))
PAID = (Horizon(155, HorizonUnit.HOURS), Horizon(30, HorizonUnit.DAYS))
FORECAST_HOURLY_VARIABLES = HOURLY_VARIABLES | {PROBABILITY}
FORECAST_DAILY_VARIABLES = FORECAST_HOURLY_VARIABLES | {"temperatura_min", "temperatura_max"}
_EXTREMES = {"temperatura_min": "temperature_min", "temperatura_max": "temperature_max"}

# get(path, params with the key, credentials, ttl, section that must be there, parse) -> what
# `parse` builds from the body (parsed_answers.py)
Get = Callable[[str, dict[str, Any], Credentials, int, str, Parse], Any]


def horizons(tier: str) -> tuple[Horizon, Horizon]:
    """(hourly, daily) horizon of a tier."""
    return FREE if tier == "free" else PAID


def forecast(
    get: Get, tier: str, capabilities: Capabilities, now: datetime, location: Location,
    days: int, granularity: Granularity, timezone: str, variables: Sequence[str],
    credentials: Credentials | None, provider: str,
    ttl: int = FORECAST_TTL,
) -> ProviderAnswer:  # fmt: skip
    horizon = forecast_kit.horizon_of(capabilities, granularity)
    daily = granularity is Granularity.DAILY
    names = frozenset(
        toolkit.wanted(FORECAST_DAILY_VARIABLES if daily else FORECAST_HOURLY_VARIABLES, variables)
    )
    span = forecast_kit.window(now, timezone, days, horizon.amount if daily else PAID[1].amount)
    creds = toolkit.require_key(credentials)
    path, params = f"/api/v1/{tier}/point", toolkit.rounded_point(location)
    params.update(sections="hourly,daily", units="metric", language="en", timezone=timezone)
    section = "daily" if daily else "hourly"

    def build(body: Any) -> ProviderAnswer:
        check_metric(body)
        answer_zone = toolkit.zone(body.get("timezone"), span.zone)  # naive dates are in it
        block = body.get(section) if isinstance(body.get(section), dict) else {}
        readings = []
        for item in block.get("data") or ():
            if not isinstance(item, dict):
                continue
            if daily:
                instant, values = _day(item, names, span.zone)  # `day`: a date in `timezone`
            else:
                instant = time_of(item.get("date"), answer_zone)
                values = _hour(item, names)
            if instant is not None and span.holds(instant.astimezone(span.zone)):
                instant = instant.astimezone(span.zone)
                readings.append(forecast_kit.reading(instant, values, None, None))
        meta = meta_of(path, params, body) | {"horizonte": forecast_kit.horizon_meta(capabilities)}
        return ProviderAnswer(provider, DataKind.MODEL, forecast_kit.sorted_unique(readings), meta)

    key = ("meteosource", provider, tier, capabilities, span, daily, tuple(sorted(names)))
    parse = forecast_kit.parsed((*key, forecast_kit.items(params)), build)
    return get(path, {**params, "key": creds.api_key}, creds, ttl, section, parse)


def _hour(item: Mapping[str, Any], names: frozenset[str]) -> dict[str, float | None]:
    values = values_of(dict(item), names)
    if PROBABILITY in names:
        values[PROBABILITY] = _probability(item)
    return values


def _day(item: Mapping[str, Any], names: frozenset[str], zone) -> tuple[datetime | None, dict]:
    try:
        day = date.fromisoformat(item.get("day")) if isinstance(item.get("day"), str) else None
    except ValueError:
        day = None
    whole = item.get("all_day") if isinstance(item.get("all_day"), dict) else {}
    values = _hour(whole, names)
    for name, key in _EXTREMES.items():
        if name in names:
            values[name] = toolkit.number(whole.get(key))  # °C with units=metric
    return (toolkit.midnight(day, zone) if day else None), values


def _probability(item: Mapping[str, Any]) -> float | None:
    found = item.get("probability")
    value = toolkit.number(found.get("precipitation")) if isinstance(found, dict) else None
    return value if value is not None and 0 <= value <= 100 else None
