"""Pure conversions from every unit the providers declare into ClimaGuru's canonical units."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from attrs import frozen

from domain.errors import ValidationError

# Canonical units (one per quantity); variables.py gives each variable one of these.
CELSIUS = "°C"
KMH = "km/h"
MILLIMETRE = "mm"
METRE = "m"
HECTOPASCAL = "hPa"
PERCENT = "%"
DEGREE = "°"
UNITLESS = ""
WMO_CODE = "wmo code"
WATT_PER_SQUARE_METRE = "W/m²"
MILLIMETRE_PER_DAY = "mm/día"  # a daily depth (ET0); providers write "mm" for a day's total
DEGREE_DAY = "°C·día"  # derived only: no provider sends it
LEVEL = "nivel"  # an ordinal level (riesgo_helada 0-3): derived only

# Exact definitions (SI / international units); the inverses below divide by the same numbers.
ABSOLUTE_ZERO_C = 273.15
KMH_PER_MS = 3.6
KMH_PER_MPH = 1.609344
KMH_PER_KNOT = 1.852
KMH_PER_FTS = 1.09728  # 0.3048 m/s x 3.6
MM_PER_INCH = 25.4
M_PER_KM = 1000.0
M_PER_MILE = 1609.344
HPA_PER_KPA = 10.0
PA_PER_HPA = 100.0
HPA_PER_INHG = 33.86389  # conventional inch of mercury (NIST): 3386.389 Pa
HPA_PER_MMHG = 1.33322387415  # 1 mmHg = 133.322387415 Pa


def kelvin_to_celsius(value: float) -> float:
    return value - ABSOLUTE_ZERO_C


def celsius_to_kelvin(value: float) -> float:
    return value + ABSOLUTE_ZERO_C


def fahrenheit_to_celsius(value: float) -> float:
    return (value - 32.0) * 5.0 / 9.0


def celsius_to_fahrenheit(value: float) -> float:
    return value * 9.0 / 5.0 + 32.0


def ms_to_kmh(value: float) -> float:
    return value * KMH_PER_MS


def kmh_to_ms(value: float) -> float:
    return value / KMH_PER_MS


def mph_to_kmh(value: float) -> float:
    return value * KMH_PER_MPH


def kmh_to_mph(value: float) -> float:
    return value / KMH_PER_MPH


def knots_to_kmh(value: float) -> float:
    return value * KMH_PER_KNOT


def kmh_to_knots(value: float) -> float:
    return value / KMH_PER_KNOT


def fts_to_kmh(value: float) -> float:
    return value * KMH_PER_FTS


def kmh_to_fts(value: float) -> float:
    return value / KMH_PER_FTS


def inch_to_mm(value: float) -> float:
    return value * MM_PER_INCH


def mm_to_inch(value: float) -> float:
    return value / MM_PER_INCH


def km_to_m(value: float) -> float:
    return value * M_PER_KM


def m_to_km(value: float) -> float:
    return value / M_PER_KM


def miles_to_m(value: float) -> float:
    return value * M_PER_MILE


def m_to_miles(value: float) -> float:
    return value / M_PER_MILE


def kpa_to_hpa(value: float) -> float:
    return value * HPA_PER_KPA


def hpa_to_kpa(value: float) -> float:
    return value / HPA_PER_KPA


def pa_to_hpa(value: float) -> float:
    return value / PA_PER_HPA


def hpa_to_pa(value: float) -> float:
    return value * PA_PER_HPA


def inhg_to_hpa(value: float) -> float:
    return value * HPA_PER_INHG


def hpa_to_inhg(value: float) -> float:
    return value / HPA_PER_INHG


def mmhg_to_hpa(value: float) -> float:
    return value * HPA_PER_MMHG


def hpa_to_mmhg(value: float) -> float:
    return value / HPA_PER_MMHG


def fraction_to_percent(value: float) -> float:
    return value * 100.0


def percent_to_fraction(value: float) -> float:
    return value / 100.0


def _same(value: float) -> float:
    return value


_Conversion = Callable[[float], float]


@frozen
class _Unit:
    """How one declared unit relates to the canonical unit of its quantity."""

    quantity: str
    to_canonical: _Conversion
    from_canonical: _Conversion


_CANONICAL_OF = {
    "temperature": CELSIUS,
    "speed": KMH,
    "depth": MILLIMETRE,  # precipitation amounts
    "distance": METRE,  # visibility
    "pressure": HECTOPASCAL,
    "ratio": PERCENT,
    "angle": DEGREE,
    "index": UNITLESS,
    "code": WMO_CODE,
    "irradiance": WATT_PER_SQUARE_METRE,
    "daily_depth": MILLIMETRE_PER_DAY,
    "degree_day": DEGREE_DAY,
    "level": LEVEL,
}


def _table() -> dict[str, _Unit]:
    # Keys are compared after strip().casefold(), so "hPA" (IDEAM) and "hPa" are one unit.
    groups: list[tuple[str, tuple[str, ...], _Conversion, _Conversion]] = [
        ("temperature", ("°c", "ºc", "c", "celsius", "degc"), _same, _same),
        (
            "temperature",
            ("°f", "ºf", "f", "fahrenheit", "degf"),
            fahrenheit_to_celsius,
            celsius_to_fahrenheit,
        ),
        ("temperature", ("k", "kelvin"), kelvin_to_celsius, celsius_to_kelvin),
        ("speed", ("km/h", "kmh", "kph", "km h-1", "kmh-1"), _same, _same),
        ("speed", ("m/s", "ms", "ms-1", "m s-1", "m/sec"), ms_to_kmh, kmh_to_ms),
        ("speed", ("mph", "mp/h", "mi/h"), mph_to_kmh, kmh_to_mph),
        ("speed", ("kn", "kt", "kts", "knot", "knots"), knots_to_kmh, kmh_to_knots),
        ("speed", ("ft/s", "fts", "ft s-1"), fts_to_kmh, kmh_to_fts),
        ("depth", ("mm", "millimetre", "millimeter"), _same, _same),
        ("depth", ("inch", "in", "inches"), inch_to_mm, mm_to_inch),
        ("distance", ("m", "metre", "meter", "metres", "meters"), _same, _same),
        ("distance", ("km",), km_to_m, m_to_km),
        ("distance", ("mi", "mile", "miles"), miles_to_m, m_to_miles),
        ("pressure", ("hpa", "mb", "mbar", "millibar"), _same, _same),
        ("pressure", ("kpa",), kpa_to_hpa, hpa_to_kpa),
        ("pressure", ("pa",), pa_to_hpa, hpa_to_pa),
        ("pressure", ("inhg", "in hg"), inhg_to_hpa, hpa_to_inhg),
        ("pressure", ("mmhg", "mm hg"), mmhg_to_hpa, hpa_to_mmhg),
        ("ratio", ("%", "percent", "pct"), _same, _same),
        ("ratio", ("fraction",), fraction_to_percent, percent_to_fraction),
        # IDEAM labels wind direction "GN" (grados desde el norte).
        ("angle", ("°", "º", "degree", "degrees", "deg", "gn"), _same, _same),
        ("index", ("", "index", "uv index"), _same, _same),
        ("code", ("wmo code", "wmo"), _same, _same),
        ("irradiance", ("w/m²", "w/m2", "wm-2", "w m-2", "w/m^2"), _same, _same),
        ("daily_depth", ("mm/día", "mm/dia", "mm/day", "mm/d", "mm d-1"), _same, _same),
        ("degree_day", ("°c·día", "°c·dia", "°c day", "gdd"), _same, _same),
        ("level", ("nivel", "level"), _same, _same),
    ]
    table: dict[str, _Unit] = {}
    for quantity, aliases, forward, backward in groups:
        for alias in aliases:
            table[alias] = _Unit(quantity, forward, backward)
    return table


_UNITS: Mapping[str, _Unit] = MappingProxyType(_table())


def _lookup(unit: str) -> _Unit:
    found = _UNITS.get(unit.strip().casefold()) if isinstance(unit, str) else None
    if found is None:
        raise ValidationError(
            f"unidad desconocida: {unit!r}", details={"unidad": f"no se reconoce {unit!r}"}
        )
    return found


def is_known_unit(unit: str) -> bool:
    """True when `convert` understands this unit string."""
    return isinstance(unit, str) and unit.strip().casefold() in _UNITS


def canonical_unit(unit: str) -> str:
    """The canonical unit of the quantity `unit` measures ("mp/h" -> "km/h")."""
    return _CANONICAL_OF[_lookup(unit).quantity]


def convert(value: float | None, from_unit: str, to_unit: str) -> float | None:
    """Convert `value` between two units of the same quantity; None stays None.

    Raises ValidationError for an unknown unit or for units of different quantities
    (Beaufort and compass letters are not supported: ask providers for numbers).
    """
    try:
        step = _STEPS[from_unit, to_unit]
    except (KeyError, TypeError):  # not seen yet, or not a string at all
        step = _step(from_unit, to_unit)
    if value is None:
        return None
    return value if step is None else step[1](step[0](value))


# (from, to) -> None (the same scale) or (to canonical, from canonical): a forecast converts
# tens of thousands of values through a handful of unit pairs, each looked up once here.
_STEPS: dict[tuple[str, str], tuple[_Conversion, _Conversion] | None] = {}
_MAX_STEPS = 512  # unit strings come from upstreams: never an unbounded table


def _step(from_unit: str, to_unit: str) -> tuple[_Conversion, _Conversion] | None:
    source, target = _lookup(from_unit), _lookup(to_unit)
    if source.quantity != target.quantity:
        raise ValidationError(
            f"no se puede convertir de {from_unit!r} a {to_unit!r}",
            details={"unidad": f"{from_unit!r} y {to_unit!r} miden magnitudes distintas"},
        )
    same = source is target or source.to_canonical is target.to_canonical
    step = None if same else (source.to_canonical, target.from_canonical)
    if len(_STEPS) < _MAX_STEPS:
        _STEPS[from_unit, to_unit] = step
    return step
