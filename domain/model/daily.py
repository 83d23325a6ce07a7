"""Local-day aggregation: one provider's hourly series turned into daily values per local day.

A local day is [local midnight, next local midnight) in an IANA zone, so it holds 23 or 25
hours on the days a zone changes clock (America/Bogota never does). Rules, per daily output:

| daily output               | from hourly                | statistic                        |
|----------------------------|----------------------------|----------------------------------|
| temperatura                | temperatura                | mean                             |
| temperatura_min            | temperatura                | min                              |
| temperatura_max            | temperatura                | max                              |
| sensacion_termica          | sensacion_termica          | mean                             |
| humedad_relativa           | humedad_relativa           | mean                             |
| presion_atmosferica        | presion_atmosferica        | mean                             |
| velocidad_viento           | velocidad_viento           | mean (Open-Meteo's daily mean)   |
| direccion_viento           | direccion_viento           | circular mean of unit vectors    |
| rafaga_viento              | rafaga_viento              | max (a gust is a maximum)        |
| precipitacion              | precipitacion              | sum (mm per hour -> mm per day)  |
| probabilidad_precipitacion | probabilidad_precipitacion | max (the day's chance of rain)   |
| nubosidad                  | nubosidad                  | mean                             |
| visibilidad                | visibilidad                | mean                             |
| indice_uv                  | indice_uv                  | max (the UV index of a day)      |
| descripcion_clima          | descripcion_clima          | most severe WMO code of the day  |
| punto_de_rocio             | punto_de_rocio             | mean                             |
| radiacion_solar            | radiacion_solar            | mean (W/m² over the whole day)   |

Coverage: every daily value carries `hours` [n_horas], the hours of the day with a usable
value, and `expected_hours` [horas_del_dia], 23, 24 or 25. The value is None unless
hours >= min_coverage x expected_hours; the default min_coverage is 1.0, so by default only a
complete day gets a value: a max or a sum from part of a day is a bound, not the day's value.
A caller that relaxes it still shows n_horas, so nobody takes 3 hours for a day unknowingly.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from attrs import field, frozen

from domain.errors import ValidationError
from domain.model import weather_codes
from domain.model.consensus import circular_mean
from domain.model.timegrid import hourly_phase, slots_between


class Statistic(StrEnum):
    """How the hours of one local day make one daily value."""

    MEAN = "media"
    MIN = "minimo"
    MAX = "maximo"
    SUM = "suma"
    CIRCULAR_MEAN = "media_circular"
    MOST_SEVERE = "mas_severo"


def _most_severe(codes: Sequence[float]) -> float:
    """The most severe WMO category of the day, then its highest (most intense) code."""
    known = [int(c) for c in codes]
    return max(known, key=lambda c: (weather_codes.category_of(c).severity, c))


def _mean(values: Sequence[float]) -> float:
    """statistics.fmean, clamped to the hours' range: fmean of equal values can miss by 1 ulp."""
    return min(max(statistics.fmean(values), min(values)), max(values))


_APPLY: Mapping[Statistic, Callable[[Sequence[float]], float | None]] = {
    Statistic.MEAN: _mean,
    Statistic.MIN: min,
    Statistic.MAX: max,
    Statistic.SUM: math.fsum,
    Statistic.CIRCULAR_MEAN: circular_mean,
    Statistic.MOST_SEVERE: _most_severe,
}

_S = Statistic
# daily output -> (hourly source variable, statistic): the table in the module docstring.
RULES: Mapping[str, tuple[str, Statistic]] = MappingProxyType(
    {
        "temperatura": ("temperatura", _S.MEAN),
        "temperatura_min": ("temperatura", _S.MIN),
        "temperatura_max": ("temperatura", _S.MAX),
        "sensacion_termica": ("sensacion_termica", _S.MEAN),
        "humedad_relativa": ("humedad_relativa", _S.MEAN),
        "presion_atmosferica": ("presion_atmosferica", _S.MEAN),
        "velocidad_viento": ("velocidad_viento", _S.MEAN),
        "direccion_viento": ("direccion_viento", _S.CIRCULAR_MEAN),
        "rafaga_viento": ("rafaga_viento", _S.MAX),
        "precipitacion": ("precipitacion", _S.SUM),
        "probabilidad_precipitacion": ("probabilidad_precipitacion", _S.MAX),
        "nubosidad": ("nubosidad", _S.MEAN),
        "visibilidad": ("visibilidad", _S.MEAN),
        "indice_uv": ("indice_uv", _S.MAX),
        "descripcion_clima": ("descripcion_clima", _S.MOST_SEVERE),
        "punto_de_rocio": ("punto_de_rocio", _S.MEAN),
        "radiacion_solar": ("radiacion_solar", _S.MEAN),
    }
)


@frozen
class DailyValue:
    """A daily value [valor], the hours behind it [n_horas], the day's length [horas_del_dia]."""

    value: float | None
    hours: int
    expected_hours: int

    @property
    def complete(self) -> bool:
        """True when every hour of the local day had a value."""
        return self.hours == self.expected_hours


@frozen
class LocalDay:
    """The daily values of one local date; `start`/`end` are its bounds in UTC."""

    day: date
    start: datetime
    end: datetime
    expected_hours: int
    values: Mapping[str, DailyValue] = field(factory=dict)


def _usable(variable: str, raw: object) -> float | None:
    """None, NaN and infinities are missing, and so is an unknown WMO code."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValidationError("valor de proveedor no numérico", details={variable: repr(raw)})
    if not math.isfinite(raw):
        return None
    if variable == "descripcion_clima" and not weather_codes.is_known(raw):
        return None
    return float(raw)


def _outputs(
    series: Mapping[datetime, Mapping[str, object]], wanted: Iterable[str] | None
) -> list[str]:
    if wanted is None:
        present = {name for values in series.values() for name in values}
        return sorted(out for out, (source, _) in RULES.items() if source in present)
    unknown = sorted(set(wanted) - set(RULES))
    if unknown:
        raise ValidationError(
            "variable sin regla diaria", details={"variables": ", ".join(unknown)}
        )
    return sorted(set(wanted))


def aggregate_days(
    series: Mapping[datetime, Mapping[str, float | int | None]],
    timezone: str,
    variables: Iterable[str] | None = None,
    min_coverage: float = 1.0,
) -> tuple[LocalDay, ...]:
    """Daily values per local day touched by the series (aware instants on one hourly grid).

    `variables` are daily outputs (keys of RULES); None means every output whose source
    appears in the series. Days come in date order; a day no instant falls in is not listed.
    """
    if not 0.0 < min_coverage <= 1.0:
        raise ValidationError("min_coverage debe estar en (0, 1]")
    zone = ZoneInfo(timezone)
    phase = hourly_phase(series)
    outputs = _outputs(series, variables)
    by_day: dict[date, list[Mapping[str, float | int | None]]] = {}
    for instant, values in series.items():
        by_day.setdefault(instant.astimezone(zone).date(), []).append(values)
    days = []
    for day in sorted(by_day):
        start = datetime.combine(day, time(0), zone).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
        expected = slots_between(start, end, phase)
        daily = {}
        for out in outputs:
            source, statistic = RULES[out]
            present = [_usable(source, v.get(source)) for v in by_day[day]]
            hours = [v for v in present if v is not None]
            enough = bool(hours) and len(hours) >= min_coverage * expected
            value = _APPLY[statistic](hours) if enough else None
            daily[out] = DailyValue(value, len(hours), expected)
        days.append(LocalDay(day, start, end, expected, MappingProxyType(daily)))
    return tuple(days)
