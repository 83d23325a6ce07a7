"""The farm day of an hourly consensus series: heat-load hours, ET0, degree days, frost risk.

Per local day (domain.model.daily's days: local midnight to local midnight):
- `thi_hours` [horas_ith]: hours with an ITH in each LWSI band (hours without one are not
  counted); `relief_hours` [horas_alivio_nocturno]: night hours (local 18:00-05:59 of the
  date) whose ITH is below the relief threshold (75; Harrington & Bowles);
- from the day's extremes of the hourly consensus temperature, only for a complete day (a
  maximum of part of a day is a bound, not the day's maximum): `et0` (Hargreaves-Samani),
  `degree_days` (modified average) and `frost` (the minimum; one level up when the dew point
  and wind at dawn, the coldest hour before 10:00, are dry and calm);
- `degree_days_total` [grados_dia_acumulados]: the running sum from the first day; None from
  the first day without degree days on (a sum with a hole is not the sum growers track).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from attrs import frozen

from domain.model.agro.degree_days import growing_degree_days
from domain.model.agro.dew_point import dew_point
from domain.model.agro.evapotranspiration import hargreaves_et0
from domain.model.agro.frost import FrostRisk, frost_risk
from domain.model.agro.heat_stress import HeatStressCategory, thi, thi_category
from domain.model.agro.settings import DEFAULT_SETTINGS, AgroSettings
from domain.model.daily import aggregate_days

NIGHT_FROM_HOUR = 18  # local hour a night starts (the evening of the date)
NIGHT_UNTIL_HOUR = 6  # local hour a night ends (the early morning of the date)
DAWN_BEFORE_HOUR = 10  # the coldest hour before this local hour is the day's dawn
# What a daily summary reads from the hourly consensus (fetched when asked for one).
SUMMARY_INPUTS = ("temperatura", "humedad_relativa", "velocidad_viento", "punto_de_rocio", "ith")

Hourly = Mapping[datetime, Mapping[str, float | int | None]]


@frozen
class FarmDay:
    """One local day of the summary; None where the day lacks what a value needs."""

    day: date
    thi_hours: Mapping[HeatStressCategory, int]
    relief_hours: int
    et0: float | None
    degree_days: float | None
    degree_days_total: float | None
    frost: FrostRisk | None


def _number(values: Mapping[str, float | int | None], name: str) -> float | None:
    value = values.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _thi(values: Mapping[str, float | int | None]) -> float | None:
    """The hour's consensus ITH, else the ITH of its consensus temperature and humidity."""
    given = _number(values, "ith")
    if given is not None:
        return given
    return thi(_number(values, "temperatura"), _number(values, "humedad_relativa"))


def _dawn(hours: Sequence[tuple[datetime, Mapping[str, float | int | None]]], zone: ZoneInfo):
    """The dew point and wind of the coldest hour before 10:00 local (None, None: unknown)."""
    morning = [
        (t, v)
        for t, v in hours
        if t.astimezone(zone).hour < DAWN_BEFORE_HOUR and _number(v, "temperatura") is not None
    ]
    if not morning:
        return None, None
    _, values = min(morning, key=lambda item: (_number(item[1], "temperatura"), item[0]))
    dew = _number(values, "punto_de_rocio")
    if dew is None:
        humidity = _number(values, "humedad_relativa")
        temperature = _number(values, "temperatura")
        dew = dew_point(temperature, humidity) if humidity else None
    return dew, _number(values, "velocidad_viento")


def summarise_days(
    series: Hourly, timezone: str, latitude: float, settings: AgroSettings = DEFAULT_SETTINGS
) -> tuple[FarmDay, ...]:
    """The farm day of every local day the hourly series touches, in date order."""
    if not series:
        return ()
    zone = ZoneInfo(timezone)
    extremes = {
        d.day: (d.values["temperatura_max"].value, d.values["temperatura_min"].value)
        for d in aggregate_days(series, timezone, ("temperatura_max", "temperatura_min"))
    }
    by_day: dict[date, list[tuple[datetime, Mapping[str, float | int | None]]]] = {}
    for instant in sorted(series):
        by_day.setdefault(instant.astimezone(zone).date(), []).append((instant, series[instant]))
    days: list[FarmDay] = []
    total: float | None = 0.0
    heat = settings.heat_stress
    for day in sorted(by_day):
        hours = by_day[day]
        counts = dict.fromkeys(HeatStressCategory, 0)
        relief = 0
        for instant, values in hours:
            index = _thi(values)
            if index is None:
                continue
            counts[thi_category(index, heat)] += 1  # type: ignore[index]
            hour = instant.astimezone(zone).hour
            night = hour >= NIGHT_FROM_HOUR or hour < NIGHT_UNTIL_HOUR
            relief += int(night and index < heat.relief_below)
        t_max, t_min = extremes.get(day, (None, None))
        et0 = hargreaves_et0(t_max, t_min, latitude, day.timetuple().tm_yday)
        gd = growing_degree_days(t_max, t_min, settings.degree_days)
        frost = frost_risk(t_min, *_dawn(hours, zone), thresholds=settings.frost)
        total = None if gd is None or total is None else total + gd
        days.append(FarmDay(day, counts, relief, et0, gd, total, frost))
    return tuple(days)
