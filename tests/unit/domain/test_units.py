"""Unit conversions: known values, provider unit strings, round-trips and the catalogue units."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.model import units, weather_codes
from domain.model.variables import ALL_VARIABLE_NAMES, VARIABLES, Kind, get_variable
from domain.model.weather_codes import WeatherCategory

Conversion = Callable[[float], float]

PAIRS: list[tuple[Conversion, Conversion]] = [
    (units.kelvin_to_celsius, units.celsius_to_kelvin),
    (units.fahrenheit_to_celsius, units.celsius_to_fahrenheit),
    (units.ms_to_kmh, units.kmh_to_ms),
    (units.mph_to_kmh, units.kmh_to_mph),
    (units.knots_to_kmh, units.kmh_to_knots),
    (units.fts_to_kmh, units.kmh_to_fts),
    (units.inch_to_mm, units.mm_to_inch),
    (units.km_to_m, units.m_to_km),
    (units.miles_to_m, units.m_to_miles),
    (units.kpa_to_hpa, units.hpa_to_kpa),
    (units.pa_to_hpa, units.hpa_to_pa),
    (units.inhg_to_hpa, units.hpa_to_inhg),
    (units.mmhg_to_hpa, units.hpa_to_mmhg),
    (units.fraction_to_percent, units.percent_to_fraction),
]

# Units grouped by quantity, spelled as the providers declare them.
FAMILIES = {
    "temperature": ["°C", "°F", "C", "F", "K"],
    "speed": ["km/h", "m/s", "mph", "mp/h", "kn", "ms-1", "kmh", "ft/s"],
    "depth": ["mm", "inch"],
    "distance": ["m", "km", "mi"],
    "pressure": ["hPa", "hPA", "kPa", "Pa", "inHg", "mmHg"],
    "ratio": ["%", "percent", "fraction"],
}
SAME_QUANTITY = [(a, b) for family in FAMILIES.values() for a in family for b in family]
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@pytest.mark.parametrize(
    ("value", "from_unit", "to_unit", "expected"),
    [
        (273.15, "K", "°C", 0.0),
        (32, "°F", "°C", 0.0),
        (212, "F", "°C", 100.0),
        (-40, "°F", "°C", -40.0),
        (10, "m/s", "km/h", 36.0),
        (10, "ms-1", "km/h", 36.0),
        (1, "mph", "km/h", 1.609344),
        (1, "mp/h", "km/h", 1.609344),
        (1, "kn", "km/h", 1.852),
        (1, "ft/s", "km/h", 1.09728),
        (36, "kmh", "m/s", 10.0),
        (1, "inch", "mm", 25.4),
        (1.5, "km", "m", 1500.0),
        (1, "mi", "m", 1609.344),
        (101.325, "kPa", "hPa", 1013.25),
        (101325, "Pa", "hPa", 1013.25),
        (760, "mmHg", "hPa", 1013.25),
        (29.92, "inHg", "hPa", 1013.21),
        (879.3, "hPA", "hPa", 879.3),
        (0.42, "fraction", "%", 42.0),
        (55, "percent", "%", 55.0),
        (270, "GN", "°", 270.0),
        (180, "degree", "°", 180.0),
        (3.0, "", "", 3.0),
        (61, "wmo code", "wmo code", 61),
    ],
)
def test_known_values(value: float, from_unit: str, to_unit: str, expected: float) -> None:
    assert units.convert(value, from_unit, to_unit) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(
    "unit", ["°C", "°F", "km/h", "m/s", "mp/h", "kn", "mm", "inch", "%", "hPa", "°", "m", ""]
)
def test_every_open_meteo_unit_is_understood(unit: str) -> None:
    assert units.is_known_unit(unit)


@pytest.mark.parametrize("unit", ["C", "F", "ms-1", "kmh", "mph", "percent", "degree", "hPa"])
def test_every_meteoblue_unit_is_understood(unit: str) -> None:
    assert units.is_known_unit(unit)


@pytest.mark.parametrize(
    ("unit", "canonical"),
    [("mp/h", "km/h"), ("K", "°C"), ("inch", "mm"), ("km", "m"), ("hPA", "hPa"), ("GN", "°")],
)
def test_canonical_unit_of(unit: str, canonical: str) -> None:
    assert units.canonical_unit(unit) == canonical


@pytest.mark.parametrize("unit", ["bft", "2char", "furlongs", "K/s"])
def test_unknown_units_raise_validation_error(unit: str) -> None:
    with pytest.raises(ValidationError) as caught:
        units.convert(1.0, unit, "km/h")

    assert "unidad" in caught.value.details
    assert not units.is_known_unit(unit)


@pytest.mark.parametrize(("a", "b"), [("°C", "km/h"), ("mm", "m"), ("%", "hPa"), ("°", "")])
def test_different_quantities_do_not_convert(a: str, b: str) -> None:
    with pytest.raises(ValidationError):
        units.convert(1.0, a, b)


def test_unknown_unit_is_rejected_even_for_a_missing_value() -> None:
    with pytest.raises(ValidationError):
        units.convert(None, "furlongs", "m")


@pytest.mark.parametrize(("a", "b"), SAME_QUANTITY)
def test_missing_stays_missing(a: str, b: str) -> None:
    assert units.convert(None, a, b) is None


@pytest.mark.parametrize(
    ("a", "b"), [("m/s", "km/h"), ("inch", "mm"), ("km", "m"), ("fraction", "%"), ("kPa", "hPa")]
)
def test_zero_stays_zero(a: str, b: str) -> None:
    assert units.convert(0, a, b) == 0.0
    assert units.convert(0.0, a, b) is not None


def test_same_unit_returns_the_value_untouched() -> None:
    assert units.convert(0.1, "km/h", "kmh") == 0.1
    assert units.convert(7, "°C", "C") == 7


@pytest.mark.parametrize(("forward", "inverse"), PAIRS)
@given(value=finite)
def test_conversion_functions_round_trip(
    forward: Conversion, inverse: Conversion, value: float
) -> None:
    assert inverse(forward(value)) == pytest.approx(value, rel=1e-12, abs=1e-9)
    assert forward(inverse(value)) == pytest.approx(value, rel=1e-12, abs=1e-9)


@given(pair=st.sampled_from(SAME_QUANTITY), value=finite)
def test_convert_round_trips_between_any_two_units(pair: tuple[str, str], value: float) -> None:
    a, b = pair
    there = units.convert(value, a, b)

    assert there is not None
    assert units.convert(there, b, a) == pytest.approx(value, rel=1e-12, abs=1e-9)


@given(pair=st.sampled_from(SAME_QUANTITY), low=finite, high=finite)
def test_convert_preserves_order(pair: tuple[str, str], low: float, high: float) -> None:
    low, high = sorted((low, high))
    a, b = pair
    converted_low, converted_high = units.convert(low, a, b), units.convert(high, a, b)

    assert converted_low is not None
    assert converted_high is not None
    assert converted_low <= converted_high


def test_catalogue_order_and_names() -> None:
    assert ALL_VARIABLE_NAMES == (
        "temperatura", "temperatura_min", "temperatura_max", "sensacion_termica",
        "humedad_relativa", "presion_atmosferica", "velocidad_viento", "direccion_viento",
        "rafaga_viento", "precipitacion", "nubosidad", "visibilidad", "indice_uv",
        "descripcion_clima",
    )  # fmt: skip
    # the catalogue also holds the forecast-only variables, then the farm ones (issue 14)
    farm = ("punto_de_rocio", "ith", "ith_ajustado", "et0", "grados_dia", "riesgo_helada")
    farm += ("radiacion_solar",)
    assert tuple(VARIABLES) == (*ALL_VARIABLE_NAMES, "probabilidad_precipitacion", *farm)
    assert VARIABLES["probabilidad_precipitacion"].unit == "%"
    assert {n: VARIABLES[n].unit for n in farm} == {
        "punto_de_rocio": "°C", "ith": "", "ith_ajustado": "", "et0": "mm/día",
        "grados_dia": "°C·día", "riesgo_helada": "nivel", "radiacion_solar": "W/m²",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "unit", "kind"),
    [
        ("temperatura", "°C", Kind.MEAN),
        ("presion_atmosferica", "hPa", Kind.MEAN),
        ("velocidad_viento", "km/h", Kind.MEAN),
        ("direccion_viento", "°", Kind.CIRCULAR),
        ("precipitacion", "mm", Kind.MEDIAN),
        ("visibilidad", "m", Kind.MEAN),
        ("indice_uv", "", Kind.MEAN),
        ("descripcion_clima", "wmo code", Kind.CATEGORY),
    ],
)
def test_catalogue_units_are_canonical(name: str, unit: str, kind: Kind) -> None:
    variable = get_variable(name)

    assert (variable.unit, variable.kind) == (unit, kind)
    assert units.canonical_unit(variable.unit) == variable.unit


def test_every_variable_has_a_sane_range_and_floor() -> None:
    for variable in VARIABLES.values():
        assert variable.valid_min < variable.valid_max
        assert variable.outlier_floor >= 0
        assert units.canonical_unit(variable.unit) == variable.unit


def test_unknown_variable_name_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        get_variable("temperature")

    assert "variables" in caught.value.details


@pytest.mark.parametrize(
    ("name", "value", "plausible"),
    [
        ("temperatura", 295.0, False),  # Kelvin left unconverted
        ("temperatura", 29.5, True),
        ("presion_atmosferica", 752.0, False),  # IDEAM station pressure at altitude
        ("humedad_relativa", 101.0, False),
        ("direccion_viento", 360.0, True),
        ("precipitacion", -999.0, False),  # SIATA's missing-value sentinel
        ("descripcion_clima", 61, True),
        ("descripcion_clima", 62, False),
    ],
)
def test_plausibility(name: str, value: float, plausible: bool) -> None:
    assert get_variable(name).is_plausible(value) is plausible


@pytest.mark.parametrize(
    ("code", "text", "category"),
    [
        (0, "Despejado", WeatherCategory.DESPEJADO),
        (3, "Nublado", WeatherCategory.NUBES),
        (48, "Niebla con escarcha", WeatherCategory.NIEBLA),
        (55, "Llovizna densa", WeatherCategory.LLOVIZNA),
        (61, "Lluvia ligera", WeatherCategory.LLUVIA),
        (82, "Chubascos violentos", WeatherCategory.CHUBASCOS),
        (86, "Chubascos de nieve fuertes", WeatherCategory.NIEVE),
        (99, "Tormenta con granizo fuerte", WeatherCategory.TORMENTA),
    ],
)
def test_wmo_codes_in_spanish(code: int, text: str, category: WeatherCategory) -> None:
    assert weather_codes.describe(code) == text
    assert weather_codes.category_of(code) is category


def test_wmo_catalogue_is_open_meteos_subset() -> None:
    assert sorted(weather_codes.WMO_CODES) == [
        0, 1, 2, 3, 45, 48, 51, 53, 55, 56, 57, 61, 63, 65, 66, 67,
        71, 73, 75, 77, 80, 81, 82, 85, 86, 95, 96, 99,
    ]  # fmt: skip
    assert {c.category for c in weather_codes.WMO_CODES.values()} == set(WeatherCategory)
    assert WeatherCategory.TORMENTA.severity > WeatherCategory.LLUVIA.severity
    assert WeatherCategory.DESPEJADO.severity == 0


@pytest.mark.parametrize("code", [4, 62, 100, -1, True, "61", 61.5])
def test_unknown_wmo_codes(code: object) -> None:
    assert not weather_codes.is_known(code)
    with pytest.raises(ValidationError):
        weather_codes.describe(code)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("owm_id", "wmo"),
    [
        (800, 0),  # clear sky
        (801, 1),
        (804, 3),  # overcast clouds
        (300, 51),  # light drizzle
        (500, 61),  # light rain
        (502, 65),  # heavy rain
        (511, 66),  # freezing rain
        (521, 81),  # shower rain
        (601, 73),  # snow
        (622, 86),  # heavy shower snow
        (701, 45),  # mist
        (211, 95),  # thunderstorm
        (781, 99),  # tornado
        (599, 63),  # unlisted id inside the rain group
    ],
)
def test_openweathermap_conditions(owm_id: int, wmo: int) -> None:
    assert weather_codes.from_openweathermap(owm_id) == wmo


@pytest.mark.parametrize("owm_id", [100, 400, 900, 0, -500])
def test_unknown_openweathermap_conditions(owm_id: int) -> None:
    with pytest.raises(ValidationError):
        weather_codes.from_openweathermap(owm_id)


HOURLY_PICTOCODES = [
    (1, 0), (4, 1), (7, 2), (13, 1), (16, 45), (19, 3), (22, 3),
    (23, 63), (25, 65), (27, 95), (31, 80), (33, 61), (34, 71),
]  # fmt: skip


@pytest.mark.parametrize(("pictocode", "wmo"), HOURLY_PICTOCODES)
def test_meteoblue_hourly_pictocodes(pictocode: int, wmo: int) -> None:
    assert weather_codes.from_meteoblue_pictocode(pictocode) == wmo


@pytest.mark.parametrize(
    ("pictocode", "wmo"),
    [(1, 0), (3, 2), (4, 3), (5, 45), (6, 63), (7, 80), (8, 95), (9, 73), (12, 61), (16, 61)],
)
def test_meteoblue_daily_pictocodes(pictocode: int, wmo: int) -> None:
    assert weather_codes.from_meteoblue_daily_pictocode(pictocode) == wmo


def test_every_provider_mapping_lands_on_a_known_wmo_code() -> None:
    for picto in range(1, 36):
        assert weather_codes.is_known(weather_codes.from_meteoblue_pictocode(picto))
    for picto in range(1, 18):
        assert weather_codes.is_known(weather_codes.from_meteoblue_daily_pictocode(picto))
    for owm_id in range(200, 900):
        if owm_id // 100 in {2, 3, 5, 6, 7, 8}:
            assert weather_codes.is_known(weather_codes.from_openweathermap(owm_id))


@pytest.mark.parametrize("pictocode", [0, 36, -1])
def test_unknown_pictocodes(pictocode: int) -> None:
    with pytest.raises(ValidationError):
        weather_codes.from_meteoblue_pictocode(pictocode)
    with pytest.raises(ValidationError):
        weather_codes.from_meteoblue_daily_pictocode(pictocode if pictocode != 36 else 18)
