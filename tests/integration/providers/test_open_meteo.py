"""Open-Meteo adapters against a real loopback server serving the recorded Open-Meteo answers."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from werkzeug import Response

from adapters.providers.http_client import ProviderHttp, make_session
from adapters.providers.open_meteo import (
    CURRENT_TTL,
    PAST_TTL,
    RECENT_TTL,
    OpenMeteoProvider,
)
from adapters.providers.open_meteo_geocoding import GEOCODING_TTL, OpenMeteoGeocoder
from climaguru.logging_setup import JsonFormatter, configure_logging
from domain.model.consensus import Reason
from domain.model.horizon import Horizon, HorizonUnit
from domain.model.location import Location
from domain.model.readings import Credentials, DataKind, Granularity, TimeRange
from domain.model.variables import ALL_VARIABLE_NAMES, FORECAST_VARIABLE_NAMES
from ports.providers import ProviderUnavailable
from tests.integration.providers.helpers import RecordingHttp, failure

SAMPLES = Path(__file__).parents[2] / "fixtures" / "provider-samples" / "open-meteo"
FORECAST = "/fc/v1/forecast"
ARCHIVE = "/ar/v1/archive"
SEARCH = "/geo/v1/search"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SAMARA = Location(53.1949, 50.1251, "Samara")  # sent rounded: 53.19, 50.13
ENSCHEDE = Location(52.26713, 6.820702, "Enschede")
ALL_CURRENT = (
    "temperature_2m,apparent_temperature,relative_humidity_2m,pressure_msl,wind_speed_10m,"
    "wind_direction_10m,wind_gusts_10m,precipitation,cloud_cover,visibility,uv_index,weather_code"
)
# The 429 body PROVIDERS.md quotes from Open-Meteo's docs/issues (no recorded sample).
RATE_LIMIT = (
    b'{"error":true,"reason":"Minutely API request limit exceeded. '
    b'Please try again in one minute."}'
)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def derived(name: str, change) -> bytes:
    """A sample decoded, changed in memory by `change(body)`, re-encoded (files stay intact)."""
    body = json.loads(sample(name))
    change(body)
    return json.dumps(body).encode()


HISTORICAL = "frenck-archive-historical_weather.json"


def _winter(body) -> None:
    body["utc_offset_seconds"], body["timezone_abbreviation"] = 3600, "GMT+1"


def serve(httpserver, path: str, data: bytes, status: int = 200, **kwargs) -> None:
    httpserver.expect_request(path, **kwargs).respond_with_data(
        data, status=status, content_type="application/json"
    )


def calls(httpserver, path: str) -> int:
    return sum(1 for request, _ in httpserver.log if request.path == path)


@pytest.fixture
def provider(httpserver):
    forecast = RecordingHttp("open_meteo", httpserver.url_for("/fc"), timeout=2.0)
    archive = RecordingHttp("open_meteo", httpserver.url_for("/ar"), timeout=2.0)
    return OpenMeteoProvider(forecast, archive, clock=lambda: NOW)


@pytest.fixture
def geocoder(httpserver):
    return OpenMeteoGeocoder(ProviderHttp("open_meteo", httpserver.url_for("/geo"), timeout=2.0))


def daily(start: date, end: date, tz: str = "Europe/Amsterdam") -> TimeRange:
    return TimeRange(start, end, Granularity.DAILY, tz)


def hourly(start: date, end: date, tz: str = "Europe/Amsterdam") -> TimeRange:
    return TimeRange(start, end, Granularity.HOURLY, tz)


# --- capabilities ---------------------------------------------------------------------------


def test_capabilities():
    caps = OpenMeteoProvider.capabilities
    assert OpenMeteoProvider.name == "open_meteo"
    assert (caps.current, caps.history_hourly, caps.history_daily) == (True, True, True)
    assert caps.needs_key is False
    # every catalogue variable, the forecast-only precipitation probability included
    # and what it reports of the farm ones (issue 14): dew point, FAO-56 ET0, radiation
    farm = {"punto_de_rocio", "et0", "radiacion_solar"}
    assert caps.variables == frozenset(FORECAST_VARIABLE_NAMES) | farm
    assert caps.forecast_hourly == caps.forecast_daily == Horizon(16, HorizonUnit.DAYS)


# --- current --------------------------------------------------------------------------------


def test_current_in_ms_is_converted_from_the_declared_unit(provider, httpserver):
    query = {
        "latitude": "53.19",
        "longitude": "50.13",
        "current": ALL_CURRENT,
        "timezone": "GMT",
        "wind_speed_unit": "kmh",
    }
    serve(
        httpserver,
        FORECAST,
        sample("public-forecast-current-daily-samara-ms.json"),
        query_string=query,
    )
    answer = provider.current(SAMARA, ALL_VARIABLE_NAMES, None)
    assert answer.provider == "open_meteo"
    assert answer.kind is DataKind.MODEL
    (reading,) = answer.readings
    # "2026-09-15T12:00" local with utc_offset_seconds 14400 (Europe/Samara, +4) -> 08:00 UTC
    assert reading.instant == datetime(2026, 9, 15, 8, 0, tzinfo=UTC)
    assert reading.instant.utcoffset() == timedelta(0)
    v = reading.values
    assert v["temperatura"] == 18.5
    assert v["sensacion_termica"] == 18.5
    assert v["humedad_relativa"] == 78.0
    assert v["presion_atmosferica"] == 1017.0
    assert v["velocidad_viento"] == pytest.approx(3.00 * 3.6)  # "m/s" declared -> 10.8 km/h
    assert v["direccion_viento"] == 90.0
    assert v["descripcion_clima"] == 3.0
    # requested, not in this answer: missing, never 0
    for name in ("rafaga_viento", "precipitacion", "nubosidad", "visibilidad", "indice_uv"):
        assert v[name] is None
    assert "temperatura_min" not in v and "temperatura_max" not in v
    assert answer.meta["unidades"]["wind_speed_10m"] == "m/s"
    assert answer.meta["elevacion"] == 117.0
    assert answer.meta["celda"] == {"latitud": 53.1875, "longitud": 50.125}
    assert answer.meta["intervalo_s"] == 900
    assert answer.meta["endpoint"] == "/v1/forecast"
    assert answer.meta["params"]["timezone"] == "GMT"


def test_current_in_kmh_with_another_offset(provider, httpserver):
    serve(httpserver, FORECAST, sample("public-forecast-current-meteofrance-kmh.json"))
    answer = provider.current(Location(48.8, 2.08), ALL_VARIABLE_NAMES, None)
    (reading,) = answer.readings
    # "2025-02-25T15:45" with utc_offset_seconds 3600 -> 14:45 UTC
    assert reading.instant == datetime(2025, 2, 25, 14, 45, tzinfo=UTC)
    v = reading.values
    assert v["velocidad_viento"] == 28.8  # already km/h
    assert v["temperatura"] == 8.8
    assert v["sensacion_termica"] == 3.9
    assert v["humedad_relativa"] == 87.0
    assert v["precipitacion"] == 0.30
    assert v["nubosidad"] == 100.0
    assert v["direccion_viento"] == 326.0
    assert v["descripcion_clima"] == 63.0
    assert v["presion_atmosferica"] is None  # not requested by whoever recorded it: missing


def test_current_asks_only_for_what_it_can_give(provider, httpserver):
    serve(
        httpserver,
        FORECAST,
        sample("public-forecast-current-daily-samara-ms.json"),
        query_string={
            "latitude": "53.19",
            "longitude": "50.13",
            "current": "wind_speed_10m,temperature_2m",
            "timezone": "GMT",
            "wind_speed_unit": "kmh",
        },
    )
    wanted = ["velocidad_viento", "temperatura_max", "temperatura", "no_existe"]
    (reading,) = provider.current(SAMARA, wanted, None).readings
    assert dict(reading.values) == {"velocidad_viento": pytest.approx(10.8), "temperatura": 18.5}


def test_current_without_current_block_is_sin_datos(provider, httpserver):
    serve(
        httpserver,
        FORECAST,
        derived("public-forecast-current-daily-samara-ms.json", lambda b: b.pop("current")),
    )
    assert failure(lambda: provider.current(SAMARA, ["temperatura"], None)) == (
        Reason.ERROR,
        "sin_datos",
    )


def test_current_only_unsupported_variables_makes_no_call(provider, httpserver):
    assert failure(lambda: provider.current(SAMARA, ["temperatura_min"], None)) == (
        Reason.ERROR,
        "no_soportado",
    )
    assert calls(httpserver, FORECAST) == 0


def test_current_ttl(provider, httpserver):
    serve(httpserver, FORECAST, sample("public-forecast-current-meteofrance-kmh.json"))
    provider.current(SAMARA, ["temperatura"], None)
    assert provider._forecast.ttls == [CURRENT_TTL]


# --- history --------------------------------------------------------------------------------


def test_history_daily_instants_are_local_midnight(provider, httpserver):
    query = {
        "latitude": "52.27",
        "longitude": "6.82",
        "start_date": "1953-01-31",
        "end_date": "1953-02-01",
        "daily": "wind_gusts_10m_max,precipitation_sum,temperature_2m_mean",
        "timezone": "Europe/Amsterdam",
        "wind_speed_unit": "kmh",
    }
    serve(httpserver, ARCHIVE, sample("frenck-archive-historical_weather.json"), query_string=query)
    time_range = daily(date(1953, 1, 31), date(1953, 2, 1))
    answer = provider.history(
        ENSCHEDE, time_range, ["rafaga_viento", "precipitacion", "temperatura"], None
    )
    assert answer.kind is DataKind.REANALYSIS
    first, second = answer.readings
    assert first.instant == datetime(1953, 1, 31, tzinfo=AMSTERDAM)
    assert first.instant.tzinfo == AMSTERDAM
    assert first.instant == datetime(1953, 1, 30, 23, 0, tzinfo=UTC)  # CET (+1) in 1953
    assert second.instant == datetime(1953, 2, 1, tzinfo=AMSTERDAM)
    assert dict(first.values) == {"rafaga_viento": 89.6, "precipitacion": 11.9, "temperatura": None}
    assert dict(second.values) == {
        "rafaga_viento": 84.2,
        "precipitacion": 12.5,
        "temperatura": None,
    }
    assert answer.meta["unidades"] == {"wind_gusts_10m_max": "km/h", "precipitation_sum": "mm"}
    assert answer.meta["endpoint"] == "/v1/archive"
    assert provider._archive.ttls == [PAST_TTL]


def test_history_hourly_honours_the_single_offset_of_the_answer(httpserver):
    # Recorded in summer: Open-Meteo wrote every time with today's offset (+2, "GMT+2") although
    # Amsterdam was on UTC+1 in January 1953 (one offset per answer: open-meteo#1255, #1764).
    summer = datetime(2025, 7, 1, 12, 0, tzinfo=UTC)
    forecast = ProviderHttp("open_meteo", httpserver.url_for("/fc"), timeout=2.0)
    archive = ProviderHttp("open_meteo", httpserver.url_for("/ar"), timeout=2.0)
    provider = OpenMeteoProvider(forecast, archive, clock=lambda: summer)
    query = {
        "latitude": "52.27",
        "longitude": "6.82",
        # +2 applied, +1 true at both ends: one more day each side so no local hour is lost
        "start_date": "1953-01-30",
        "end_date": "1953-02-02",
        "hourly": "temperature_2m,wind_speed_10m",
        "timezone": "Europe/Amsterdam",
        "wind_speed_unit": "kmh",
    }
    serve(httpserver, ARCHIVE, sample("frenck-archive-historical_weather.json"), query_string=query)
    time_range = hourly(date(1953, 1, 31), date(1953, 2, 1))
    answer = provider.history(ENSCHEDE, time_range, ["temperatura", "velocidad_viento"], None)
    # "1953-01-31T00:00" at +2 is 22:00 UTC = 23:00 on the 30th in Amsterdam: outside the range.
    assert [r.instant for r in answer.readings] == [
        datetime(1953, 1, 30, 23, 0, tzinfo=UTC),
        datetime(1953, 1, 31, 0, 0, tzinfo=UTC),
    ]
    assert [r.instant.replace(tzinfo=None) for r in answer.readings] == [
        datetime(1953, 1, 31, 0, 0),
        datetime(1953, 1, 31, 1, 0),
    ]
    assert all(r.instant.tzinfo == AMSTERDAM for r in answer.readings)
    assert [r.values["temperatura"] for r in answer.readings] == [5.5, 5.1]
    assert [r.values["velocidad_viento"] for r in answer.readings] == [23.7, 24.8]
    assert "visibilidad" not in answer.readings[0].values


def test_history_hourly_local_times_in_the_requested_zone(provider, httpserver):
    # The same answer as a winter server writes it (+1, the true 1953 offset): no widening.
    query = {
        "latitude": "52.27",
        "longitude": "6.82",
        "start_date": "1953-01-31",
        "end_date": "1953-02-01",
        "hourly": "temperature_2m,wind_speed_10m",
        "timezone": "Europe/Amsterdam",
        "wind_speed_unit": "kmh",
    }
    serve(httpserver, ARCHIVE, derived(HISTORICAL, _winter), query_string=query)
    time_range = hourly(date(1953, 1, 31), date(1953, 2, 1))
    answer = provider.history(ENSCHEDE, time_range, ["temperatura", "velocidad_viento"], None)
    assert [r.instant for r in answer.readings] == [
        datetime(1953, 1, 31, h, tzinfo=AMSTERDAM) for h in (0, 1, 2)
    ]
    assert answer.readings[0].instant == datetime(1953, 1, 30, 23, 0, tzinfo=UTC)
    assert all(r.instant.utcoffset() == timedelta(hours=1) for r in answer.readings)
    assert [r.values["temperatura"] for r in answer.readings] == [5.8, 5.5, 5.1]
    assert [r.values["velocidad_viento"] for r in answer.readings] == [23.2, 23.7, 24.8]


def test_history_keeps_only_days_inside_the_range(provider, httpserver):
    serve(httpserver, ARCHIVE, sample("frenck-archive-historical_weather.json"))
    time_range = daily(date(1953, 1, 31), date(1953, 1, 31))
    answer = provider.history(ENSCHEDE, time_range, ["precipitacion"], None)
    assert [(r.instant, r.values["precipitacion"]) for r in answer.readings] == [
        (datetime(1953, 1, 31, tzinfo=AMSTERDAM), 11.9)
    ]


def test_null_stays_none_and_zero_stays_zero(provider, httpserver):
    def change(body):
        _winter(body)
        body["hourly"]["temperature_2m"][1] = None
        body["hourly"]["wind_speed_10m"][0] = 0

    serve(httpserver, ARCHIVE, derived("frenck-archive-historical_weather.json", change))
    time_range = hourly(date(1953, 1, 31), date(1953, 1, 31))
    answer = provider.history(ENSCHEDE, time_range, ["temperatura", "velocidad_viento"], None)
    temps = [r.values["temperatura"] for r in answer.readings]
    winds = [r.values["velocidad_viento"] for r in answer.readings]
    assert temps == [5.8, None, 5.1]
    assert winds == [0.0, 23.7, 24.8]


def test_history_units_are_read_from_the_answer(provider, httpserver):
    def change(body):
        body["daily_units"]["wind_gusts_10m_max"] = "mp/h"
        body["daily_units"]["precipitation_sum"] = "inch"

    serve(httpserver, ARCHIVE, derived("frenck-archive-historical_weather.json", change))
    time_range = daily(date(1953, 1, 31), date(1953, 1, 31))
    (reading,) = provider.history(
        ENSCHEDE, time_range, ["rafaga_viento", "precipitacion"], None
    ).readings
    assert reading.values["rafaga_viento"] == pytest.approx(89.6 * 1.609344)
    assert reading.values["precipitacion"] == pytest.approx(11.9 * 25.4)


def test_unknown_unit_leaves_the_variable_out(provider, httpserver):
    def change(body):
        body["daily_units"]["wind_gusts_10m_max"] = "bft"

    serve(httpserver, ARCHIVE, derived("frenck-archive-historical_weather.json", change))
    time_range = daily(date(1953, 1, 31), date(1953, 1, 31))
    (reading,) = provider.history(
        ENSCHEDE, time_range, ["rafaga_viento", "precipitacion"], None
    ).readings
    assert dict(reading.values) == {"precipitacion": 11.9}


def test_model_suffixed_columns_are_tolerated(provider, httpserver):
    serve(httpserver, ARCHIVE, sample("frenck-archive-historical_weather_models.json"))
    time_range = daily(date(2024, 1, 1), date(2024, 1, 1), tz="GMT")
    answer = provider.history(ENSCHEDE, time_range, ["temperatura_max", "temperatura_min"], None)
    (reading,) = answer.readings
    assert reading.instant == datetime(2024, 1, 1, tzinfo=UTC)
    # temperature_2m_max_archive_best_match (8.0), not _era5 (8.6) or _era5_land (7.9)
    assert dict(reading.values) == {"temperatura_max": 8.0, "temperatura_min": None}


def _no_days(body):
    body["daily"] = {"time": []}


def _all_null_days(body):
    body["daily"]["wind_gusts_10m_max"] = [None, None]
    body["daily"]["precipitation_sum"] = [None, None]


@pytest.mark.parametrize("change", [_no_days, _all_null_days], ids=["empty", "all_null"])
def test_empty_or_all_null_series_is_sin_datos(provider, httpserver, change):
    serve(httpserver, ARCHIVE, derived("frenck-archive-historical_weather.json", change))
    time_range = daily(date(1953, 1, 31), date(1953, 2, 1))
    assert failure(lambda: provider.history(ENSCHEDE, time_range, ["precipitacion"], None)) == (
        Reason.ERROR,
        "sin_datos",
    )


def test_history_without_a_supported_variable_makes_no_call(provider, httpserver):
    time_range = hourly(date(1953, 1, 31), date(1953, 1, 31))
    assert failure(lambda: provider.history(ENSCHEDE, time_range, ["visibilidad"], None)) == (
        Reason.ERROR,
        "no_soportado",
    )
    time_range = daily(date(1953, 1, 31), date(1953, 1, 31), tz="Mars/Olympus")
    assert failure(lambda: provider.history(ENSCHEDE, time_range, ["precipitacion"], None)) == (
        Reason.ERROR,
        "zona_horaria_desconocida",
    )
    assert calls(httpserver, ARCHIVE) == 0


def test_recent_ranges_are_cached_briefly(provider, httpserver):
    serve(httpserver, ARCHIVE, sample("frenck-archive-historical_weather.json"))
    bogota_today = NOW.astimezone(ZoneInfo("America/Bogota")).date()
    for end in (bogota_today, bogota_today - timedelta(days=3), date(1953, 2, 1)):
        time_range = daily(date(1953, 1, 31), end, tz="America/Bogota")
        provider.history(ENSCHEDE, time_range, ["precipitacion"], None)
    assert provider._archive.ttls == [RECENT_TTL, RECENT_TTL, PAST_TTL]


def test_past_history_is_served_from_cache(httpserver, tmp_path):
    session = make_session({"backend": "sqlite", "cache_name": str(tmp_path / "c.sqlite")})
    archive = ProviderHttp("open_meteo", httpserver.url_for("/ar"), timeout=2.0, session=session)
    forecast = ProviderHttp("open_meteo", httpserver.url_for("/fc"), timeout=2.0)
    cached = OpenMeteoProvider(forecast, archive, clock=lambda: NOW)
    serve(httpserver, ARCHIVE, sample("frenck-archive-historical_weather.json"))
    time_range = daily(date(1953, 1, 31), date(1953, 2, 1))
    first = cached.history(ENSCHEDE, time_range, ["precipitacion"], None)
    second = cached.history(ENSCHEDE, time_range, ["precipitacion"], None)
    assert first.readings == second.readings
    assert calls(httpserver, ARCHIVE) == 1


# --- faults ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "status", "ctype", "expected"),
    [
        (sample("public-error-400-latitude-out-of-range.json"), 400, None, "http_400"),
        (sample("docs-forecast-error-object.json.txt"), 400, None, "http_400"),
        (sample("public-error-400-latitude-out-of-range.json"), 200, None, "cuerpo_de_error"),
        (sample("docs-forecast-error-object.json.txt"), 200, None, "json_invalido"),
        (sample("docs-forecast-response-object.json.txt"), 200, None, "json_invalido"),
        (b"<html><body>502 Bad Gateway</body></html>", 200, "text/html", "respuesta_no_json"),
        (b'{"error":true,"reason":"Internal"}', 500, None, "http_500"),
        (RATE_LIMIT, 429, None, "limite_del_proveedor"),
        (b"[]", 200, None, "respuesta_inesperada"),
    ],
)
def test_current_faults(provider, httpserver, data, status, ctype, expected):
    httpserver.expect_request(FORECAST).respond_with_data(
        data, status=status, content_type=ctype or "application/json"
    )
    assert failure(lambda: provider.current(SAMARA, ["temperatura"], None)) == (
        Reason.ERROR,
        expected,
    )


def test_history_error_body_with_200_is_refused(provider, httpserver):
    serve(httpserver, ARCHIVE, sample("public-error-400-latitude-out-of-range.json"))
    time_range = daily(date(1953, 1, 31), date(1953, 2, 1))
    assert failure(lambda: provider.history(ENSCHEDE, time_range, ["precipitacion"], None)) == (
        Reason.ERROR,
        "cuerpo_de_error",
    )


def test_401_is_an_invalid_key(provider, httpserver):
    # Open-Meteo's error shape on a 401 (the commercial API answers key errors so).
    serve(httpserver, FORECAST, sample("public-error-400-latitude-out-of-range.json"), 401)
    assert failure(lambda: provider.current(SAMARA, ["temperatura"], None)) == (
        Reason.CLAVE_INVALIDA,
        "http_401",
    )


def test_timeout(httpserver):
    slow_path = "/lento/v1/forecast"
    httpserver.expect_request(slow_path).respond_with_handler(
        lambda _req: (time.sleep(1.5), Response("{}", content_type="application/json"))[1]
    )
    forecast = ProviderHttp("open_meteo", httpserver.url_for("/lento"), timeout=0.5)
    archive = ProviderHttp("open_meteo", httpserver.url_for("/ar"), timeout=0.5)
    slow = OpenMeteoProvider(forecast, archive, clock=lambda: NOW)
    started = time.monotonic()
    assert failure(lambda: slow.current(SAMARA, ["temperatura"], None)) == (
        Reason.TIMEOUT,
        "timeout",
    )
    assert time.monotonic() - started < 1.4


def test_a_key_is_never_sent_stored_or_logged(provider, httpserver, caplog):
    configure_logging("DEBUG")
    caplog.set_level("DEBUG")
    charges: list[int] = []

    def charge() -> bool:
        charges.append(1)
        return True

    key = Credentials(api_key="CLAVE-SECRETA-OM", charge=charge)
    serve(httpserver, FORECAST, sample("public-forecast-current-daily-samara-ms.json"))
    serve(httpserver, ARCHIVE, sample("public-error-400-latitude-out-of-range.json"), 400)
    answer = provider.current(SAMARA, ["temperatura"], key)
    with pytest.raises(ProviderUnavailable) as info:
        provider.history(ENSCHEDE, daily(date(1953, 1, 31), date(1953, 2, 1)), ["temperatura"], key)
    assert charges == [1, 1]
    assert "CLAVE-SECRETA" not in repr(answer.meta)
    assert "CLAVE-SECRETA" not in str(info.value) + repr(info.value.args)
    assert all("CLAVE-SECRETA" not in request.url for request, _ in httpserver.log)
    ours = [JsonFormatter().format(r) for r in caplog.records if not r.name.startswith("werkzeug")]
    assert ours and not any("CLAVE-SECRETA" in line for line in ours)


# --- geocoding ------------------------------------------------------------------------------


def test_geocoding_enschede(geocoder, httpserver):
    query = {"name": "Enschede", "count": "5", "language": "es", "format": "json"}
    serve(httpserver, SEARCH, sample("frenck-geocoding-enschede.json"), query_string=query)
    city, airport = geocoder.search("  Enschede ")
    assert (city.name, city.latitude, city.longitude) == ("Enschede", 52.21833, 6.89583)
    assert (city.country, city.country_code, city.admin1) == ("The Netherlands", "NL", "Overijssel")
    assert city.elevation == 45.0
    assert (airport.name, airport.elevation) == ("Enschede Airport Twente", 34.0)


def test_geocoding_omitted_keys_and_country_code(geocoder, httpserver):
    query = {
        "name": "Samara",
        "count": "10",
        "language": "es",
        "format": "json",
        "countryCode": "CR",
    }
    serve(httpserver, SEARCH, sample("public-geocoding-samara-en.json"), query_string=query)
    found = geocoder.search("Samara", country="cr", limit=10)
    assert len(found) == 10  # the recorded answer was not filtered; the server does that
    samara = found[0]
    assert (samara.name, samara.latitude, samara.longitude) == ("Samara", 53.20767, 50.13553)
    assert (samara.country_code, samara.admin1, samara.elevation) == ("RU", "Samara Oblast", 107.0)
    costa_rica = found[4]
    assert (costa_rica.name, costa_rica.country, costa_rica.admin1) == (
        "Sámara",
        "Costa Rica",
        "Guanacaste Province",
    )


def test_geocoding_country_name_filters_the_answer(geocoder, httpserver):
    serve(httpserver, SEARCH, sample("public-geocoding-samara-en.json"))
    found = geocoder.search("Samara", country="costa rica", limit=3)
    assert [(c.name, c.country_code) for c in found] == [("Sámara", "CR")]
    request, _ = httpserver.log[-1]
    assert "countryCode" not in request.args
    assert request.args["count"] == "3"


def test_geocoding_without_results_key_is_empty(geocoder, httpserver):
    serve(httpserver, SEARCH, sample("frenck-geocoding-empty-no-results.json"))
    assert geocoder.search("Xyzzyville") == []


def test_geocoding_needs_two_characters(geocoder, httpserver):
    assert geocoder.search(" B ") == []
    assert calls(httpserver, SEARCH) == 0


def test_geocoding_is_cached_for_30_days(httpserver):
    http = RecordingHttp("open_meteo", httpserver.url_for("/geo"), timeout=2.0)
    serve(httpserver, SEARCH, sample("frenck-geocoding-enschede.json"))
    OpenMeteoGeocoder(http).search("Enschede")
    assert http.ttls == [GEOCODING_TTL] == [30 * 24 * 3600]


@pytest.mark.parametrize(
    ("data", "status", "expected"),
    [
        (sample("docs-geocoding-error-object.json"), 400, "http_400"),
        (sample("docs-geocoding-error-object.json"), 200, "cuerpo_de_error"),
        (sample("docs-geocoding-response-object.json.txt"), 200, "json_invalido"),
        (RATE_LIMIT, 429, "limite_del_proveedor"),
    ],
)
def test_geocoding_faults(geocoder, httpserver, data, status, expected):
    serve(httpserver, SEARCH, data, status)
    assert failure(lambda: geocoder.search("Berlin")) == (Reason.ERROR, expected)


# --- farm variables (issue 14) ----------------------------------------------------------------


def test_reported_et0_in_mm_is_the_days_mm_per_day(provider, httpserver):
    def change(body):
        body["daily"]["et0_fao_evapotranspiration"] = [0.41, 0.38]
        body["daily_units"]["et0_fao_evapotranspiration"] = "mm"

    serve(httpserver, ARCHIVE, derived(HISTORICAL, change))
    time_range = daily(date(1953, 1, 31), date(1953, 2, 1))
    answer = provider.history(ENSCHEDE, time_range, ["et0", "precipitacion"], None)

    (request,) = [r for r, _ in httpserver.log if r.path == ARCHIVE]
    assert "et0_fao_evapotranspiration" in request.args["daily"].split(",")
    assert [r.values["et0"] for r in answer.readings] == [0.41, 0.38]


def test_dew_point_and_radiation_are_asked_by_their_open_meteo_names(provider, httpserver):
    def change(body):
        body["hourly"]["dew_point_2m"] = [5.5] * len(body["hourly"]["time"])
        body["hourly"]["shortwave_radiation"] = [120.0] * len(body["hourly"]["time"])
        body["hourly_units"] |= {"dew_point_2m": "°C", "shortwave_radiation": "W/m²"}

    serve(httpserver, ARCHIVE, derived(HISTORICAL, change))
    time_range = hourly(date(1953, 1, 31), date(1953, 1, 31))
    answer = provider.history(ENSCHEDE, time_range, ["punto_de_rocio", "radiacion_solar"], None)

    (request,) = [r for r, _ in httpserver.log if r.path == ARCHIVE]
    assert set(request.args["hourly"].split(",")) == {"dew_point_2m", "shortwave_radiation"}
    assert {r.values["punto_de_rocio"] for r in answer.readings} == {5.5}
    assert {r.values["radiacion_solar"] for r in answer.readings} == {120.0}
