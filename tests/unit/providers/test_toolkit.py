"""The provider toolkit: one policy for zones, numbers, wanted variables, staleness, time, keys."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.providers import toolkit
from domain.errors import ValidationError
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import Credentials
from ports.providers import ProviderUnavailable

NOW = datetime(2026, 4, 6, 5, 30, tzinfo=UTC)


def failure(call) -> tuple[Reason, str]:
    with pytest.raises(ProviderUnavailable) as caught:
        call()
    return caught.value.reason, caught.value.code


# --- time zones ------------------------------------------------------------------------


def test_a_known_zone():
    assert toolkit.zone("America/Bogota") == ZoneInfo("America/Bogota")


@pytest.mark.parametrize("bad", ["Mars/Olympus", "", "America", "../etc/passwd", None, 5, " UTC"])
def test_an_unknown_zone_has_one_error_code(bad):
    assert failure(lambda: toolkit.zone(bad)) == (Reason.ERROR, "zona_horaria_desconocida")


def test_an_unknown_zone_in_an_answer_can_fall_back():
    assert toolkit.zone("no/such", UTC) is UTC
    assert toolkit.zone(None, UTC) is UTC


@given(st.text(max_size=40))
def test_any_text_is_a_zone_or_the_one_error(name):
    try:
        toolkit.zone(name)
    except ProviderUnavailable as exc:
        assert (exc.reason, exc.code) == (Reason.ERROR, "zona_horaria_desconocida")


# --- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"), [(0, 0.0), (12, 12.0), (-3.5, -3.5), (1e300, 1e300), (10**20, 1e20)]
)
def test_json_numbers_are_floats(raw, expected):
    assert toolkit.number(raw) == expected
    assert isinstance(toolkit.number(raw), float)


@pytest.mark.parametrize(
    "raw", [math.nan, math.inf, -math.inf, True, False, None, "12", [1], {"v": 1}, 10**400]
)
def test_nan_infinities_bools_and_non_numbers_are_missing(raw):
    assert toolkit.number(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"), [("12.5", 12.5), (" -3 ", -3.0), (".5", 0.5), ("1e3", 1000.0), (7, 7.0)]
)
def test_text_numbers_where_the_upstream_writes_text(raw, expected):
    assert toolkit.number(raw, text=True) == expected


@pytest.mark.parametrize(
    "raw", ["", "NaN", "nan", "inf", "-Infinity", "1_000", "12,5", "n/a", "-", "1e999", "0x10"]
)
def test_text_that_is_not_a_plain_finite_decimal_is_missing(raw):
    assert toolkit.number(raw, text=True) is None


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_float_is_itself_when_finite_else_missing(value):
    expected = value if math.isfinite(value) else None
    assert toolkit.number(value) == expected
    assert toolkit.number(repr(value), text=True) == expected


@given(st.text(max_size=20))
def test_number_never_raises_and_is_finite(raw):
    for found in (toolkit.number(raw), toolkit.number(raw, text=True)):
        assert found is None or math.isfinite(found)
    assert toolkit.number(raw) is None  # text is a number only when asked for


# --- wanted variables ------------------------------------------------------------------


def test_wanted_keeps_request_order_without_repeats():
    supported = {"temperatura", "humedad_relativa", "precipitacion"}
    asked = ["precipitacion", "nubosidad", "temperatura", "precipitacion"]
    assert toolkit.wanted(supported, asked) == ("precipitacion", "temperatura")


def test_nothing_supported_is_no_soportado_unless_optional():
    assert failure(lambda: toolkit.wanted({"temperatura"}, ["nubosidad"])) == (
        Reason.ERROR,
        "no_soportado",
    )
    assert toolkit.wanted({"temperatura"}, ["nubosidad"], required=False) == ()


@given(st.lists(st.sampled_from("abcdef")), st.sets(st.sampled_from("abcdef"), min_size=1))
def test_wanted_is_the_ordered_intersection(asked, supported):
    found = toolkit.wanted(supported, asked, required=False)
    assert set(found) == set(asked) & supported
    assert list(found) == sorted(found, key=asked.index)


def test_pick_follows_the_names():
    values = {"a": 1.0, "b": None, "c": 3.0}
    assert toolkit.pick(values, ["c", "x", "b"]) == {"c": 3.0, "b": None}


# --- staleness -------------------------------------------------------------------------


def test_freshness_boundaries():
    rule = toolkit.Freshness.of_hours(3)
    assert rule.fresh(NOW - timedelta(hours=3), NOW)
    assert not rule.fresh(NOW - timedelta(hours=3, seconds=1), NOW)
    assert rule.usable(NOW + timedelta(minutes=10), NOW)
    assert not rule.usable(NOW + timedelta(minutes=10, seconds=1), NOW)
    assert rule.max_age_hours == 3.0
    assert toolkit.STALE == Reason.DESACTUALIZADO.value == "desactualizado"


def test_station_provenance_shape():
    at = datetime(2026, 4, 5, 23, 58, tzinfo=ZoneInfo("America/Bogota"))
    assert toolkit.station_provenance("0021205012", "Est", 8.22449, 2547.0, at) == {
        "estacion": "0021205012",
        "nombre": "Est",
        "distancia_km": 8.224,
        "altitud_estacion_m": 2547.0,
        "observado_en": "2026-04-05T23:58:00-05:00",
    }


# --- timestep alignment ----------------------------------------------------------------


def test_midnight_and_the_utc_span_of_local_days():
    bogota = ZoneInfo("America/Bogota")
    assert toolkit.midnight(date(2026, 4, 6), bogota).isoformat() == "2026-04-06T00:00:00-05:00"
    first, after = toolkit.utc_span(date(2026, 4, 6), date(2026, 4, 7), bogota)
    assert (first, after) == (
        datetime(2026, 4, 6, 5, tzinfo=UTC),
        datetime(2026, 4, 8, 5, tzinfo=UTC),
    )
    assert toolkit.day_count(date(2026, 4, 6), date(2026, 4, 7)) == 2
    assert toolkit.day_count(date(2026, 4, 7), date(2026, 4, 6)) == 0


@pytest.mark.parametrize(
    ("day", "hours"), [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 6, 1), 24)]
)
def test_hours_in_a_local_day_follow_dst(day, hours):
    assert toolkit.hours_in_day(day, ZoneInfo("Europe/Madrid")) == hours


# --- geometry --------------------------------------------------------------------------


def test_haversine_known_distances_and_symmetry():
    one_degree = math.pi * toolkit.EARTH_RADIUS_KM / 180  # 111.195 km along a meridian
    assert toolkit.haversine_km(0, 0, 1, 0) == pytest.approx(one_degree)
    assert toolkit.haversine_km(0, 0, 0, 180) == pytest.approx(180 * one_degree)
    bogota, medellin = (4.711, -74.0721), (6.2442, -75.5812)
    distance = toolkit.haversine_km(*bogota, *medellin)
    assert distance == pytest.approx(238.7, abs=0.1)
    assert toolkit.haversine_km(*medellin, *bogota) == pytest.approx(distance)
    assert toolkit.haversine_km(*bogota, *bogota) == 0.0


latitudes = st.floats(-90, 90)
longitudes = st.floats(-180, 180)


@given(latitudes, longitudes, latitudes, longitudes)
def test_haversine_is_bounded_by_half_the_circumference(lat1, lon1, lat2, lon2):
    distance = toolkit.haversine_km(lat1, lon1, lat2, lon2)
    assert 0.0 <= distance <= math.pi * toolkit.EARTH_RADIUS_KM + 1e-6


def test_box_includes_its_edges():
    box = toolkit.Box(5.95, 6.55, -75.75, -75.25)
    assert box.contains(5.95, -75.25) and box.contains(6.2442, -75.5812)
    assert not box.contains(4.711, -74.0721) and not box.contains(6.2442, -75.80)


def test_rounded_point_names_its_keys():
    here = Location(6.24419, -75.58123)
    assert toolkit.rounded_point(here) == {"lat": 6.24, "lon": -75.58}
    assert toolkit.rounded_point(here, "latitude", "longitude") == {
        "latitude": 6.24,
        "longitude": -75.58,
    }


# --- keys and weather codes ------------------------------------------------------------


def test_require_key_passes_a_key_and_refuses_none():
    mine = Credentials("mia")
    assert toolkit.require_key(mine) is mine
    assert failure(lambda: toolkit.require_key(None)) == (Reason.SIN_CLAVE, "sin_clave")
    assert failure(lambda: toolkit.require_key(Credentials(""))) == (Reason.SIN_CLAVE, "sin_clave")


class _Http:
    def __init__(self, error: ProviderUnavailable | None) -> None:
        self.error, self.calls = error, []

    def get_json(self, path, params, **options):
        self.calls.append((path, dict(params), options))
        if self.error:
            raise self.error
        return {"ok": True}


def test_get_keyed_json_charges_the_key_and_maps_key_codes():
    charge = lambda: True  # noqa: E731
    creds = Credentials("k", charge=charge)

    def ask(http):
        return toolkit.get_keyed_json(
            http, "/p", {"a": 1}, ttl=60, credentials=creds, check=None, key_codes={"mala"}
        )

    http = _Http(None)
    assert ask(http) == {"ok": True}
    assert http.calls == [("/p", {"a": 1}, {"ttl": 60, "charge": charge, "error_check": None})]
    bad_key = ProviderUnavailable(Reason.ERROR, "mala")
    assert failure(lambda: ask(_Http(bad_key))) == (Reason.CLAVE_INVALIDA, "mala")
    other = ProviderUnavailable(Reason.ERROR, "sin_datos")
    assert failure(lambda: ask(_Http(other))) == (Reason.ERROR, "sin_datos")


def test_weather_code_maps_integral_codes_only():
    def table(code: int) -> int:
        if code > 10:
            raise ValidationError("desconocido")
        return code * 10

    assert toolkit.weather_code(3, table) == 30.0
    assert toolkit.weather_code(3.0, table) == 30.0
    assert toolkit.weather_code(3.7, table) is None
    assert toolkit.weather_code(11, table) is None  # unknown upstream code
    assert toolkit.weather_code(True, table) is None
    assert toolkit.weather_code("3", table) is None
