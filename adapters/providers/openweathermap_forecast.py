"""OpenWeatherMap forecasts: ONE One Call 3.0 call (`exclude=current,minutely,alerts`) gives
`hourly[48]` and `daily[8]`; the granularity asked picks one of the two.

- hourly: the One Call `data[]` fields (as timemachine), rain.1h + snow.1h, `pop` (0-1) as %.
- daily: temp.min / temp.max, the mean of morn/day/eve/night, rain + snow (mm, where
  available), `pop` as %, wind_gust (the day's gust), uvi (the day's maximum), weather[0].id.
  OWM does not say which statistic its daily humidity, pressure, clouds and wind speed are:
  not mapped. A day is the local date of its `dt` in the answer's zone (`timezone`).
- The answer states no model or run time: provenance is `modelo` alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from adapters.providers import forecast_kit, toolkit
from adapters.providers.http_client import ProviderHttp, redact
from adapters.providers.openweathermap_calls import check_with, fetch, is_int
from adapters.providers.openweathermap_fields import (
    HOURLY_FIELDS,
    HOURLY_VARIABLES,
    UNIT_SYSTEMS,
    rain_and_code,
    values_of,
)
from domain.model.consensus import Reason
from domain.model.horizon import Horizon, HorizonUnit
from domain.model.location import Location
from domain.model.readings import Capabilities, Credentials, DataKind, Granularity, ProviderAnswer
from domain.model.units import CELSIUS, convert
from ports.providers import ProviderUnavailable

ONECALL_PATH = "/data/3.0/onecall"
FORECAST_TTL = 1800
EXCLUDE = "current,minutely,alerts"
HOURLY_HORIZON = Horizon(48, HorizonUnit.HOURS)
DAILY_HORIZON = Horizon(8, HorizonUnit.DAYS)
PROBABILITY = "probabilidad_precipitacion"
FORECAST_HOURLY_VARIABLES = HOURLY_VARIABLES | {PROBABILITY}
_DAILY_FIELDS = {"temperatura_min": ("temp.min", "T"), "temperatura_max": ("temp.max", "T")}
_DAILY_FIELDS |= {"rafaga_viento": ("wind_gust", "V"), "indice_uv": ("uvi", "")}
FORECAST_DAILY_VARIABLES = frozenset(_DAILY_FIELDS) | {
    "temperatura", "precipitacion", PROBABILITY, "descripcion_clima",
}  # fmt: skip
_onecall_error = check_with(
    lambda b: isinstance(b.get("hourly"), list) or isinstance(b.get("daily"), list)
)


def forecast(
    http: ProviderHttp, capabilities: Capabilities, now: datetime, unit_system: str,
    location: Location, days: int, granularity: Granularity, timezone: str,
    variables: Sequence[str], credentials: Credentials | None, provider: str,
    ttl: int = FORECAST_TTL,
) -> ProviderAnswer:  # fmt: skip
    forecast_kit.horizon_of(capabilities, granularity)
    daily = granularity is Granularity.DAILY
    names = toolkit.wanted(
        FORECAST_DAILY_VARIABLES if daily else FORECAST_HOURLY_VARIABLES, variables
    )
    span = forecast_kit.window(now, timezone, days, DAILY_HORIZON.amount)
    creds = toolkit.require_key(credentials)
    params = {**toolkit.rounded_point(location), "exclude": EXCLUDE, "units": unit_system}
    temp, speed = UNIT_SYSTEMS[unit_system]

    def build(body: Any) -> ProviderAnswer:
        answer_zone = toolkit.zone(body.get("timezone"), span.zone)
        readings = []
        for item in body.get("daily" if daily else "hourly") or ():
            stamp = item.get("dt") if isinstance(item, Mapping) else None
            if not is_int(stamp):
                continue
            instant = datetime.fromtimestamp(stamp, UTC)
            if daily:
                instant = toolkit.midnight(instant.astimezone(answer_zone).date(), span.zone)
                values = _day(item, temp, speed)
            else:
                instant = instant.astimezone(span.zone)
                values = values_of(item, HOURLY_FIELDS, temp, speed) | rain_and_code(item)
                values[PROBABILITY] = _percent(item)
            if span.holds(instant):
                picked = toolkit.pick(values, names)
                readings.append(forecast_kit.reading(instant, picked, None, None))
        if not readings:
            raise ProviderUnavailable(Reason.ERROR, "sin_datos")
        meta: dict[str, Any] = {"endpoint": ONECALL_PATH, "params": redact(params)}
        meta["unidades"] = {"units": unit_system, "temperatura": temp, "viento": speed}
        meta |= {
            "zona_horaria": body.get("timezone"),
            "horizonte": forecast_kit.horizon_meta(capabilities),
        }
        return ProviderAnswer(provider, DataKind.MODEL, forecast_kit.sorted_unique(readings), meta)

    key = ("openweathermap", provider, capabilities, span, daily, tuple(sorted(names)), unit_system)
    parse = forecast_kit.parsed((*key, forecast_kit.items(params)), build)
    asked = {**params, "appid": creds.api_key}
    return fetch(http, ONECALL_PATH, asked, ttl, creds, _onecall_error, parse)


def _percent(item: Mapping[str, Any]) -> float | None:
    """`pop` is a probability 0-1; anything outside is not one."""
    pop = toolkit.number(item.get("pop"))
    return pop * 100 if pop is not None and 0 <= pop <= 1 else None


def _day(item: Mapping[str, Any], temp: str, speed: str) -> dict[str, float | None]:
    values = values_of(item, _DAILY_FIELDS, temp, speed)
    parts = [_num(item, f"temp.{k}") for k in ("morn", "day", "eve", "night")]
    known = [p for p in parts if p is not None]
    values["temperatura"] = convert(sum(known) / 4, temp, CELSIUS) if len(known) == 4 else None
    amounts = [a for a in (_num(item, "rain"), _num(item, "snow")) if a is not None]
    values["precipitacion"] = sum(amounts) if amounts else None
    values[PROBABILITY] = _percent(item)
    values["descripcion_clima"] = rain_and_code(item)["descripcion_clima"]
    return values


def _num(item: Mapping[str, Any], path: str) -> float | None:
    node: Any = item
    for key in path.split("."):
        node = node.get(key) if isinstance(node, Mapping) else None
    return toolkit.number(node)
