"""OpenWeatherMap fields: which body path holds each catalogue variable, in canonical units."""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import fmean
from typing import Any

from adapters.providers import toolkit
from domain.model.units import CELSIUS, KMH, convert
from domain.model.weather_codes import from_openweathermap

# `units` changes only temperature (T) and wind speed (V); hPa, %, °, m and mm never change.
UNIT_SYSTEMS: Mapping[str, tuple[str, str]] = {
    "standard": ("K", "m/s"),
    "metric": ("°C", "m/s"),
    "imperial": ("°F", "mph"),
}
# Catalogue name -> (2.5 current path, One Call `data[]` path, "T" | "V" to convert, "" as is);
# "a|b": the first present. 2.5 main.pressure is sea level (main.sea_level wins when present),
# and so is One Call `pressure`. 2.5 temp_min/temp_max are the spread across the city right
# now, not the day's extremes: not mapped.
FIELDS: Mapping[str, tuple[str, str, str]] = {
    "temperatura": ("main.temp", "temp", "T"),
    "sensacion_termica": ("main.feels_like", "feels_like", "T"),
    "humedad_relativa": ("main.humidity", "humidity", ""),
    "presion_atmosferica": ("main.sea_level|main.pressure", "pressure", ""),
    "velocidad_viento": ("wind.speed", "wind_speed", "V"),
    "direccion_viento": ("wind.deg", "wind_deg", ""),
    "rafaga_viento": ("wind.gust", "wind_gust", "V"),
    "nubosidad": ("clouds.all", "clouds", ""),
    "visibilidad": ("visibility", "visibility", ""),
    "indice_uv": ("", "uvi", ""),  # One Call only
    "punto_de_rocio": ("", "dew_point", "T"),  # One Call only; reported, used as is
}
CURRENT_FIELDS = {name: (path, kind) for name, (path, _, kind) in FIELDS.items() if path}
HOURLY_FIELDS = {name: (path, kind) for name, (_, path, kind) in FIELDS.items()}
# day_summary. Left out on purpose: humidity.afternoon (RH at 12 h, near its daily minimum)
# and wind.max (the day's strongest wind): other statistics than the daily means averaged.
DAILY_FIELDS: Mapping[str, tuple[str, str]] = {
    "temperatura_min": ("temperature.min", "T"),
    "temperatura_max": ("temperature.max", "T"),
    "presion_atmosferica": ("pressure.afternoon", ""),  # at 12 h
    "precipitacion": ("precipitation.total", ""),  # the day's total, 0.0 when dry
    "nubosidad": ("cloud_cover.afternoon", ""),  # at 12 h
}
_EXTRA = frozenset({"precipitacion", "descripcion_clima"})  # see rain_and_code
CURRENT_VARIABLES = frozenset(CURRENT_FIELDS) | _EXTRA
HOURLY_VARIABLES = frozenset(HOURLY_FIELDS) | _EXTRA
DAILY_VARIABLES = frozenset(DAILY_FIELDS) | {"temperatura"}  # see day_values_of


def _num(source: Any, path: str) -> float | None:
    """The number at a dotted path; None when a level is missing or it is not a number."""
    for key in path.split("."):
        source = source.get(key) if isinstance(source, Mapping) else None
    return toolkit.number(source)


def values_of(
    item: Any, fields: Mapping[str, tuple[str, str]], temp: str, speed: str
) -> dict[str, float | None]:
    """Look up each field ("a|b": the first present) and convert it to canonical units."""
    conversions = {"T": (temp, CELSIUS), "V": (speed, KMH)}
    out: dict[str, float | None] = {}
    for name, (paths, kind) in fields.items():
        raw = next((v for p in paths.split("|") if (v := _num(item, p)) is not None), None)
        out[name] = convert(raw, *conversions[kind]) if kind else raw
    return out


def rain_and_code(item: Any) -> dict[str, float | None]:
    """rain.1h + snow.1h (mm) and the WMO code of weather[0].id. OWM sends the rain and snow
    blocks only "where available": neither present is a missing value, not 0 mm."""
    amounts = [a for a in (_num(item, "rain.1h"), _num(item, "snow.1h")) if a is not None]
    return {
        "precipitacion": math.fsum(amounts) if amounts else None,
        "descripcion_clima": _wmo(item),
    }


def day_values_of(body: Any, temp: str, speed: str) -> dict[str, float | None]:
    """Temperature: mean of the 00/06/12/18 h values (night, morning, afternoon, evening),
    else (min+max)/2; the rest from DAILY_FIELDS."""
    out = values_of(body, DAILY_FIELDS, temp, speed)
    four = [_num(body, f"temperature.{k}") for k in ("night", "morning", "afternoon", "evening")]
    low, high = _num(body, "temperature.min"), _num(body, "temperature.max")
    known = [t for t in four if t is not None]
    pair = [t for t in (low, high) if t is not None]
    mean = fmean(known) if len(known) == 4 else fmean(pair) if len(pair) == 2 else None
    out["temperatura"] = convert(mean, temp, CELSIUS)
    return out


def _wmo(item: Any) -> float | None:
    weather = item.get("weather") if isinstance(item, Mapping) else None
    first = weather[0] if isinstance(weather, list) and weather else None
    return toolkit.weather_code(
        first.get("id") if isinstance(first, Mapping) else None, from_openweathermap
    )
