"""The catalogue of weather variables: canonical unit, how sources combine, sanity limits."""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from attrs import frozen

from domain.errors import ValidationError
from domain.model import units, weather_codes


class Kind(StrEnum):
    """How the values of several sources are combined into one."""

    MEAN = "mean"  # statistics.fmean
    MEDIAN = "median"  # statistics.median: robust to one source reporting a local shower
    CIRCULAR = "circular"  # mean of unit vectors, for directions in degrees
    CATEGORY = "category"  # majority vote over WMO categories
    ORDINAL = "ordinal"  # levels 0, 1, 2...: the upper median (a tie takes the graver level)


@frozen
class Variable:
    """One variable on the wire: its Spanish name, canonical unit and combination rule.

    `outlier_floor` is the smallest distance from the centre (canonical unit) that may ever
    count as an outlier, whatever the spread of the other sources. `valid_min`/`valid_max`
    bound physically possible values; anything outside is a broken reading.
    """

    name: str
    unit: str
    kind: Kind
    outlier_floor: float
    valid_min: float
    valid_max: float
    # Ordinal variables: the wire code of each level, mildest first ("categoria" on the wire).
    levels: tuple[str, ...] = ()

    def is_plausible(self, value: float) -> bool:
        """True when a finite value could physically be a reading of this variable."""
        if self.kind is Kind.CATEGORY:
            return weather_codes.is_known(value)
        if self.kind is Kind.ORDINAL:
            return float(value).is_integer() and 0 <= value < len(self.levels)
        return math.isfinite(value) and self.valid_min <= value <= self.valid_max


# Outlier floors. Models and stations legitimately disagree, so a floor sits at about the
# typical disagreement between good sources; MAD only decides beyond it. The real targets are
# gross errors (Kelvin or Fahrenheit left unconverted, station pressure mixed with sea level,
# a stuck sensor), which land far past every floor.
#  - temperature 2 °C: 2 m forecast errors are 1-2 °C, and in the Andes a grid cell's height
#    can differ from the city's by hundreds of metres (~0.65 °C per 100 m).
#  - apparent temperature 3 °C: providers use different formulas (heat index, wind chill, ...).
#  - relative humidity 10 %: RH follows temperature errors (~6 % per °C at 20 °C).
#  - sea-level pressure 3 hPa: analyses agree within ~1 hPa; station pressure is 100+ hPa off.
#  - wind speed 5 km/h, gusts 10 km/h: both depend on roughness and on the model's gust scheme.
#  - wind direction 45°: one octant of the compass rose; light winds wander that much.
#  - precipitation 2 mm: showers are local; differences of a few mm are normal.
#  - cloud cover 25 %: two oktas; cloud cover is the least consistent model field.
#  - visibility 2000 m: OWM caps at 10 km while models report 20-50 km in clear air.
#  - UV index 1: Meteoblue reports integers, so sources differ by rounding alone.
#  - weather code: never an outlier (majority vote), so the floor is unused (0).
# Valid ranges: the world records (-89.2 °C, 56.7 °C, 870 hPa, 1084.8 hPa, 408 km/h gust,
# 1825 mm in a day, UV 43 on the Altiplano) with a small margin.
_C = units.CELSIUS
_CATALOGUE = (
    Variable("temperatura", _C, Kind.MEAN, 2.0, -90.0, 60.0),
    Variable("temperatura_min", _C, Kind.MEAN, 2.0, -90.0, 60.0),
    Variable("temperatura_max", _C, Kind.MEAN, 2.0, -90.0, 60.0),
    Variable("sensacion_termica", _C, Kind.MEAN, 3.0, -100.0, 80.0),
    Variable("humedad_relativa", units.PERCENT, Kind.MEAN, 10.0, 0.0, 100.0),
    Variable("presion_atmosferica", units.HECTOPASCAL, Kind.MEAN, 3.0, 850.0, 1090.0),
    Variable("velocidad_viento", units.KMH, Kind.MEAN, 5.0, 0.0, 420.0),
    Variable("direccion_viento", units.DEGREE, Kind.CIRCULAR, 45.0, 0.0, 360.0),
    Variable("rafaga_viento", units.KMH, Kind.MEAN, 10.0, 0.0, 420.0),
    Variable("precipitacion", units.MILLIMETRE, Kind.MEDIAN, 2.0, 0.0, 2000.0),
    Variable("nubosidad", units.PERCENT, Kind.MEAN, 25.0, 0.0, 100.0),
    Variable("visibilidad", units.METRE, Kind.MEAN, 2000.0, 0.0, 300_000.0),
    Variable("indice_uv", units.UNITLESS, Kind.MEAN, 1.0, 0.0, 45.0),
    Variable("descripcion_clima", units.WMO_CODE, Kind.CATEGORY, 0.0, 0.0, 99.0),
)
# Forecast-only variables: a step's chance of precipitation (%). Models disagree widely on it
# (30 % against 60 % is ordinary), so its floor is 20 %. They are in the catalogue (get_variable)
# but not in ALL_VARIABLE_NAMES, the default and accepted `parametros` of current and history.
_FORECAST_ONLY = (
    Variable("probabilidad_precipitacion", units.PERCENT, Kind.MEAN, 20.0, 0.0, 100.0),
)

# Farm and herd variables (issue 14, AGRO.md): requestable in current, history and forecast
# queries, never in the default set (a query that does not name them is unchanged). All but
# radiacion_solar are derived per provider reading from that provider's own inputs
# (domain.model.agro.derive) unless the provider reports them itself. et0, grados_dia and
# riesgo_helada are daily quantities. Floors: dew point follows temperature and humidity
# errors (2 °C); 1 °C of temperature moves the ITH by about 1.5, so 3 ITH units; Mader's
# adjustment adds wind and sun, which models disagree on most (5); ET0 1 mm/day (FAO PM against
# Hargreaves differ by about that); degree days 2 °C·day (a 2 °C error in the mean); frost one
# level; radiation 150 W/m² (one passing cloud). riesgo_helada levels 0-3 are FrostRisk's.
_AGRO = (
    Variable("punto_de_rocio", _C, Kind.MEAN, 2.0, -90.0, 60.0),
    Variable("ith", units.UNITLESS, Kind.MEAN, 3.0, -60.0, 150.0),
    Variable("ith_ajustado", units.UNITLESS, Kind.MEAN, 5.0, -150.0, 200.0),
    Variable("et0", units.MILLIMETRE_PER_DAY, Kind.MEAN, 1.0, 0.0, 30.0),
    Variable("grados_dia", units.DEGREE_DAY, Kind.MEAN, 2.0, 0.0, 150.0),
    Variable(
        "riesgo_helada",
        units.LEVEL,
        Kind.ORDINAL,
        1.0,
        0.0,
        3.0,
        levels=("ninguno", "bajo", "moderado", "alto"),
    ),
    Variable("radiacion_solar", units.WATT_PER_SQUARE_METRE, Kind.MEAN, 150.0, 0.0, 1500.0),
)

VARIABLES: Mapping[str, Variable] = MappingProxyType(
    {v.name: v for v in _CATALOGUE + _FORECAST_ONLY + _AGRO}
)
ALL_VARIABLE_NAMES: tuple[str, ...] = tuple(v.name for v in _CATALOGUE)
AGRO_VARIABLE_NAMES: tuple[str, ...] = tuple(v.name for v in _AGRO)
# Daily quantities: a value per local day, never per hour.
DAILY_ONLY_NAMES: frozenset[str] = frozenset({"et0", "grados_dia", "riesgo_helada"})
# What current and history accept in `parametros`: the default set, then the farm variables.
REQUESTABLE_NAMES: tuple[str, ...] = ALL_VARIABLE_NAMES + AGRO_VARIABLE_NAMES
# Every variable a forecast may ask for: the present and past ones, then the forecast-only ones.
FORECAST_VARIABLE_NAMES: tuple[str, ...] = ALL_VARIABLE_NAMES + tuple(
    v.name for v in _FORECAST_ONLY
)


def level_name(variable: Variable, value: float | None) -> str | None:
    """The wire code of an ordinal value (riesgo_helada 3 -> "alto"); None otherwise."""
    if not variable.levels or value is None or not variable.is_plausible(value):
        return None
    return variable.levels[int(value)]


def get_variable(name: str) -> Variable:
    """The catalogue entry for a wire name; ValidationError for an unknown name."""
    try:
        return VARIABLES[name]
    except (KeyError, TypeError):
        raise ValidationError(
            f"variable desconocida: {name!r}",
            details={"variables": f"{name!r} no está en el catálogo"},
        ) from None
