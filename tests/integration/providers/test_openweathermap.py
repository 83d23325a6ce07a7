"""The OpenWeatherMap adapter against a loopback server serving OWM's real sample payloads."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from werkzeug import Response

from adapters.providers.http_client import ProviderHttp, make_session
from adapters.providers.openweathermap import OpenWeatherMapProvider
from climaguru.logging_setup import JsonFormatter, configure_logging
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import Credentials, DataKind, Granularity, TimeRange
from ports.providers import ProviderUnavailable
from tests.integration.providers.helpers import RecordingHttp

SAMPLES = Path(__file__).parents[2] / "fixtures" / "provider-samples" / "openweathermap"
KEY = "owm-CLAVE-9f8e7d6c5b4a"
CURRENT = "/data/2.5/weather"
TIMEMACHINE = "/data/3.0/onecall/timemachine"
DAY_SUMMARY = "/data/3.0/onecall/day_summary"
ALL = (
    "temperatura", "temperatura_min", "temperatura_max", "sensacion_termica", "humedad_relativa",
    "presion_atmosferica", "velocidad_viento", "direccion_viento", "rafaga_viento",
    "precipitacion", "nubosidad", "visibilidad", "indice_uv", "descripcion_clima",
)  # fmt: skip
ZOCCA = Location(44.3412, 10.9898)
PARIS = Location(48.8589, 2.32)
ORIHUELA = Location(38.2653307, -0.6988391)  # the day_summary sample's point
FIXED_NOW = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def serve(httpserver, path: str, name: str, status: int = 200, **match) -> None:
    httpserver.expect_request(path, **match).respond_with_data(
        sample(name), status=status, content_type="application/json"
    )


class Quota:
    """A key's quota counter: counts charges, refuses after `limit`."""

    def __init__(self, limit: int = 1000) -> None:
        self.limit, self.taken = limit, 0

    def __call__(self) -> bool:
        if self.taken >= self.limit:
            return False
        self.taken += 1
        return True


@pytest.fixture
def quota() -> Quota:
    return Quota()


@pytest.fixture
def creds(quota) -> Credentials:
    return Credentials(api_key=KEY, owner="usuario", key_id=7, charge=quota)


@pytest.fixture
def http(httpserver) -> ProviderHttp:
    return ProviderHttp("openweathermap", httpserver.url_for("/"), timeout=0.5)


def provider(http, **options) -> OpenWeatherMapProvider:
    """The Kelvin samples were fetched with units=standard, so most tests ask for that."""
    options.setdefault("units", "standard")
    return OpenWeatherMapProvider(http, clock=lambda: FIXED_NOW, **options)


def requests_to(httpserver, path: str) -> list[dict[str, str]]:
    return [dict(req.args) for req, _ in httpserver.log if req.path == path]


def failure(call) -> ProviderUnavailable:
    with pytest.raises(ProviderUnavailable) as info:
        call()
    return info.value


# --- current (2.5) -------------------------------------------------------------------------


def test_current_maps_the_zocca_sample_from_kelvin_and_ms(http, httpserver, creds, quota):
    query = {"lat": "44.34", "lon": "10.99", "appid": KEY, "units": "standard", "lang": "es"}
    serve(httpserver, CURRENT, "current-2.5-zocca-docs-example.json", query_string=query)
    answer = provider(http).current(ZOCCA, ALL, creds)

    assert answer.provider == "openweathermap"
    assert answer.kind is DataKind.MODEL
    (reading,) = answer.readings
    assert reading.instant == datetime(2022, 8, 30, 14, 43, 12, tzinfo=UTC)  # dt 1661870592
    v = reading.values
    assert v["temperatura"] == pytest.approx(298.48 - 273.15)
    assert v["sensacion_termica"] == pytest.approx(298.74 - 273.15)
    assert v["humedad_relativa"] == 64
    assert v["presion_atmosferica"] == 1015  # sea level; grnd_level 933 is never used
    assert v["velocidad_viento"] == pytest.approx(0.62 * 3.6)
    assert v["direccion_viento"] == 349
    assert v["rafaga_viento"] == pytest.approx(1.18 * 3.6)
    assert v["precipitacion"] == pytest.approx(3.16)
    assert v["nubosidad"] == 100
    assert v["visibilidad"] == 10000
    assert v["descripcion_clima"] == 63  # OWM 501 "moderate rain" -> WMO 63
    # main.temp_min/temp_max are the spread across the city, not the day's extremes; no UV.
    assert not {"temperatura_min", "temperatura_max", "indice_uv"} & set(v)
    assert answer.meta["params"]["appid"] == "***"
    assert answer.meta["unidades"]["temperatura"] == "K"
    assert answer.meta["endpoint"] == CURRENT
    assert quota.taken == 1


def test_current_london_2013_without_sea_level_rain_or_visibility(http, httpserver, creds):
    serve(httpserver, CURRENT, "pyowm-current-2.5-london-2013.json")
    answer = provider(http).current(Location(51.50853, -0.12574), ALL, creds)

    (reading,) = answer.readings
    assert reading.instant == datetime(2013, 9, 11, 10, 26, 17, tzinfo=UTC)
    v = reading.values
    assert v["temperatura"] == pytest.approx(288.44 - 273.15)
    assert v["presion_atmosferica"] == 1022  # main.pressure (sea level) when no main.sea_level
    assert v["rafaga_viento"] == pytest.approx(2.57 * 3.6)
    assert v["precipitacion"] is None  # no rain block: not reported, which is not 0 mm
    assert v["visibilidad"] is None
    assert v["sensacion_termica"] is None  # the old format has no feels_like
    assert v["descripcion_clima"] == 3  # 804 overcast
    assert requests_to(httpserver, CURRENT)[0]["lat"] == "51.51"


def test_current_returns_only_the_requested_variables(http, httpserver, creds):
    serve(httpserver, CURRENT, "pyowm-current-2.5-london-2013.json")
    answer = provider(http).current(Location(51.5, -0.12), ["humedad_relativa", "nubosidad"], creds)
    assert answer.readings[0].values == {"humedad_relativa": 75, "nubosidad": 92}


def test_default_request_is_metric_in_spanish(http, httpserver, creds):
    serve(httpserver, CURRENT, "current-2.5-zocca-docs-example.json")
    owm = OpenWeatherMapProvider(http)
    answer = owm.current(ZOCCA, ["velocidad_viento", "humedad_relativa"], creds)
    (sent,) = requests_to(httpserver, CURRENT)
    assert sent["units"] == "metric" and sent["lang"] == "es"
    # wind is m/s in both metric and standard
    assert answer.readings[0].values["velocidad_viento"] == pytest.approx(0.62 * 3.6)
    assert answer.meta["unidades"]["temperatura"] == "°C"


def test_unknown_units_are_refused():
    with pytest.raises(ValueError):
        OpenWeatherMapProvider(ProviderHttp("openweathermap", "http://127.0.0.1:9", 1.0), units="x")


# --- history: hourly (timemachine, one instant per call) -----------------------------------


def test_hourly_history_makes_one_call_per_local_hour(http, httpserver, creds, quota):
    # Only 00:00 UTC (01:00 in Paris) gets the Paris sample; other hours get London's answer,
    # whose dt (2023-03-16) lies outside the range and must be dropped.
    serve(httpserver, TIMEMACHINE, "public-onecall-3.0-timemachine-paris-2023-03-21.json",
          query_string={"lat": "48.86", "lon": "2.32", "dt": "1679356800", "appid": KEY,
                        "units": "standard"})  # fmt: skip
    serve(httpserver, TIMEMACHINE, "public-onecall-3.0-timemachine-london-now.json")
    day = TimeRange(date(2023, 3, 21), date(2023, 3, 21), Granularity.HOURLY, "Europe/Paris")
    answer = provider(http).history(PARIS, day, ALL, creds)

    sent = requests_to(httpserver, TIMEMACHINE)
    midnight_paris = 1679353200  # 2023-03-20T23:00Z
    assert [int(r["dt"]) for r in sent] == [midnight_paris + 3600 * h for h in range(24)]
    assert all(r["appid"] == KEY and "lang" not in r for r in sent)
    assert quota.taken == 24
    assert answer.kind is DataKind.MODEL
    (reading,) = answer.readings
    assert reading.instant == datetime(2023, 3, 21, 1, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert reading.instant.utcoffset().total_seconds() == 3600
    v = reading.values
    assert v["temperatura"] == pytest.approx(286.13 - 273.15)
    assert v["sensacion_termica"] == pytest.approx(285.31 - 273.15)
    assert v["presion_atmosferica"] == 1020
    assert v["humedad_relativa"] == 70
    assert v["nubosidad"] == 82
    assert v["visibilidad"] == 10000
    assert v["velocidad_viento"] == pytest.approx(1.46 * 3.6)
    assert v["direccion_viento"] == 151
    assert v["rafaga_viento"] == pytest.approx(1.5 * 3.6)
    assert v["indice_uv"] == pytest.approx(3.53)
    assert v["descripcion_clima"] == 2  # 803 broken clouds
    assert v["precipitacion"] is None
    assert "temperatura_min" not in v
    assert answer.meta["llamadas"] == 24
    assert answer.meta["params"]["appid"] == "***"


def test_hourly_history_keeps_the_providers_own_instant(http, httpserver, creds):
    serve(httpserver, TIMEMACHINE, "public-onecall-3.0-timemachine-london-now.json")
    day = TimeRange(date(2023, 3, 16), date(2023, 3, 16), Granularity.HOURLY, "Europe/London")
    answer = provider(http).history(Location(51.5073, -0.1276), day, ALL, creds)
    (reading,) = answer.readings  # the same data point every hour: one reading
    assert reading.instant == datetime(2023, 3, 16, 14, 26, 26, tzinfo=UTC)
    assert reading.values["rafaga_viento"] is None  # no wind_gust in this answer
    assert reading.values["velocidad_viento"] == pytest.approx(6.17 * 3.6)


@pytest.mark.parametrize(
    ("granularity", "days", "code"),
    [(Granularity.HOURLY, 3, "rango_no_soportado"), (Granularity.DAILY, 32, "rango_no_soportado")],
)
def test_ranges_beyond_the_caps_make_no_call(http, httpserver, creds, granularity, days, code):
    start = date(2024, 1, 1)
    span = TimeRange(start, date.fromordinal(start.toordinal() + days - 1), granularity, "UTC")
    error = failure(lambda: provider(http).history(PARIS, span, ALL, creds))
    assert (error.reason, error.code) == (Reason.ERROR, code)
    assert len(httpserver.log) == 0


def test_history_disabled_is_not_supported(http, httpserver, creds):
    owm = provider(http, history_enabled=False)
    assert not owm.capabilities.history_hourly and not owm.capabilities.history_daily
    day = TimeRange(date(2024, 9, 26), date(2024, 9, 26), Granularity.DAILY, "UTC")
    error = failure(lambda: owm.history(ORIHUELA, day, ALL, creds))
    assert (error.reason, error.code) == (Reason.ERROR, "no_soportado")
    assert len(httpserver.log) == 0


# --- history: daily (day_summary, one day per call) ----------------------------------------


def test_daily_history_uses_the_units_the_answer_declares(http, httpserver, creds):
    # The sample says "units": "standard" (Kelvin) although we ask for metric by default.
    query = {"lat": "38.27", "lon": "-0.7", "date": "2024-09-26", "tz": "+02:00", "appid": KEY,
             "units": "metric"}  # fmt: skip
    serve(httpserver, DAY_SUMMARY, "public-onecall-3.0-day_summary-2024-09-26-standard.json",
          query_string=query)  # fmt: skip
    day = TimeRange(date(2024, 9, 26), date(2024, 9, 26), Granularity.DAILY, "Europe/Madrid")
    answer = OpenWeatherMapProvider(http, clock=lambda: FIXED_NOW).history(
        ORIHUELA, day, ALL, creds
    )

    (reading,) = answer.readings
    assert reading.instant == datetime(2024, 9, 26, tzinfo=ZoneInfo("Europe/Madrid"))
    v = reading.values
    # mean of night/morning/afternoon/evening (00/06/12/18 h)
    assert v["temperatura"] == pytest.approx((295.94 + 293.55 + 301.28 + 303.74) / 4 - 273.15)
    assert v["temperatura_min"] == pytest.approx(293.37 - 273.15)
    assert v["temperatura_max"] == pytest.approx(304.57 - 273.15)
    assert v["presion_atmosferica"] == 1013
    assert v["precipitacion"] == 0.0 and v["precipitacion"] is not None  # a measured zero
    assert v["nubosidad"] == 0.0 and v["nubosidad"] is not None
    # RH at 12 h and the day's strongest wind are other statistics: not mapped; no UV/visibility
    assert not {"humedad_relativa", "velocidad_viento", "indice_uv", "visibilidad"} & set(v)
    assert answer.meta["unidades"]["temperatura"] == "K"
    assert answer.meta["endpoint"] == DAY_SUMMARY


def test_daily_history_one_call_per_day_with_the_zones_offset(http, httpserver, creds, quota):
    serve(httpserver, DAY_SUMMARY, "public-onecall-3.0-day_summary-2024-09-26-standard.json")
    days = TimeRange(date(2024, 9, 25), date(2024, 9, 27), Granularity.DAILY, "America/Bogota")
    answer = provider(http).history(ORIHUELA, days, ["temperatura_max"], creds)
    sent = requests_to(httpserver, DAY_SUMMARY)
    assert [(r["date"], r["tz"]) for r in sent] == [
        ("2024-09-25", "-05:00"),
        ("2024-09-26", "-05:00"),
        ("2024-09-27", "-05:00"),
    ]
    assert quota.taken == 3
    # every answer is the 26th: the other days' requests got no summary of their own day
    (reading,) = answer.readings
    assert reading.instant == datetime(2024, 9, 26, tzinfo=ZoneInfo("America/Bogota"))
    assert reading.values == {"temperatura_max": pytest.approx(304.57 - 273.15)}


def test_past_days_are_cached_for_30_days_today_for_an_hour(httpserver, creds):
    serve(httpserver, DAY_SUMMARY, "public-onecall-3.0-day_summary-2024-09-26-standard.json")
    http = RecordingHttp("openweathermap", httpserver.url_for("/"), timeout=0.5)
    clock = lambda: datetime(2024, 9, 26, 15, 0, tzinfo=UTC)  # noqa: E731
    owm = OpenWeatherMapProvider(http, clock=clock)
    days = TimeRange(date(2024, 9, 25), date(2024, 9, 26), Granularity.DAILY, "Europe/Madrid")
    owm.history(ORIHUELA, days, ["temperatura"], creds)
    assert http.ttls == [30 * 86400, 3600]


def test_cache_hits_take_no_quota(tmp_path, httpserver, creds, quota):
    serve(httpserver, DAY_SUMMARY, "public-onecall-3.0-day_summary-2024-09-26-standard.json")
    session = make_session({"backend": "sqlite", "cache_name": str(tmp_path / "owm.sqlite")})
    http = ProviderHttp("openweathermap", httpserver.url_for("/"), timeout=2.0, session=session)
    day = TimeRange(date(2024, 9, 26), date(2024, 9, 26), Granularity.DAILY, "Europe/Madrid")
    first = provider(http).history(ORIHUELA, day, ["temperatura"], creds)
    second = provider(http).history(ORIHUELA, day, ["temperatura"], creds)
    assert first.readings == second.readings
    assert quota.taken == 1
    assert len(requests_to(httpserver, DAY_SUMMARY)) == 1
    assert KEY.encode() not in (tmp_path / "owm.sqlite").read_bytes()


# --- keys, quota and faults ----------------------------------------------------------------


def test_no_key_means_sin_clave_and_no_request(http, httpserver):
    owm = provider(http)
    day = TimeRange(date(2024, 9, 26), date(2024, 9, 26), Granularity.DAILY, "UTC")
    calls = [
        lambda: owm.current(ZOCCA, ALL, None),
        lambda: owm.history(ORIHUELA, day, ALL, None),
    ]
    for call in calls:
        error = failure(call)
        assert (error.reason, error.code) == (Reason.SIN_CLAVE, "sin_clave")
    assert owm.capabilities.needs_key
    assert len(httpserver.log) == 0


def test_exhausted_quota_makes_no_request(http, httpserver):
    serve(httpserver, CURRENT, "current-2.5-zocca-docs-example.json")
    creds = Credentials(api_key=KEY, charge=Quota(limit=0))
    error = failure(lambda: provider(http).current(ZOCCA, ALL, creds))
    assert (error.reason, error.code) == (Reason.CUOTA_AGOTADA, "cuota_agotada")
    assert len(httpserver.log) == 0


def test_variables_no_endpoint_has_make_no_request(http, httpserver, creds):
    error = failure(lambda: provider(http).current(ZOCCA, ["temperatura_min"], creds))
    assert (error.reason, error.code) == (Reason.ERROR, "no_soportado")
    assert len(httpserver.log) == 0


@pytest.mark.parametrize(
    ("body", "status", "reason", "code"),
    [
        ("public-error-401-invalid-api-key.json", 401, Reason.CLAVE_INVALIDA, "http_401"),
        ("issue-error-429-account-blocked.json", 429, Reason.ERROR, "limite_del_proveedor"),
        ("public-error-400-wrong-latitude.json", 400, Reason.ERROR, "http_400"),
        ("public-error-404-city-not-found.json", 404, Reason.ERROR, "http_404"),
        # the same error bodies inside a 200: `cod` (int or string) decides
        ("pyowm-error-404-city-not-found-legacy.json", 200, Reason.ERROR, "cuerpo_de_error"),
        ("public-error-404-city-not-found.json", 200, Reason.ERROR, "cuerpo_de_error"),
        ("issue-error-429-account-blocked.json", 200, Reason.ERROR, "limite_del_proveedor"),
        ("public-error-401-invalid-api-key.json", 200, Reason.CLAVE_INVALIDA, "clave_invalida"),
        ("public-onecall-3.0-error-400-latitude-range.json", 200, Reason.ERROR, "cuerpo_de_error"),
        # an answer without `main`/`dt` (here: an air-pollution body) carries no weather
        ("pyowm-air_pollution-london.json", 200, Reason.ERROR, "sin_datos"),
    ],
)
def test_current_error_answers(http, httpserver, creds, body, status, reason, code):
    serve(httpserver, CURRENT, body, status=status)
    error = failure(lambda: provider(http).current(ZOCCA, ALL, creds))
    assert (error.reason, error.code) == (reason, code)
    assert KEY not in str(error) and all(KEY not in str(a) for a in error.args)


def test_one_call_without_the_subscription_in_a_200_is_sin_acceso_al_plan(http, httpserver, creds):
    # Wording quoted in github.com/kizniche/Mycodo/pull/1429 (normally sent with HTTP 401).
    message = "Please note that using One Call 3.0 requires a separate subscription to the One Call by Call plan."  # noqa: E501
    httpserver.expect_request(DAY_SUMMARY).respond_with_json({"cod": 401, "message": message})
    day = TimeRange(date(2024, 9, 26), date(2024, 9, 26), Granularity.DAILY, "UTC")
    error = failure(lambda: provider(http).history(ORIHUELA, day, ALL, creds))
    assert (error.reason, error.code) == (Reason.CLAVE_INVALIDA, "sin_acceso_al_plan")


def test_one_call_400_error_body(http, httpserver, creds):
    serve(httpserver, DAY_SUMMARY, "public-onecall-3.0-error-400-latitude-range.json", status=400)
    day = TimeRange(date(2024, 9, 26), date(2024, 9, 26), Granularity.DAILY, "UTC")
    error = failure(lambda: provider(http).history(ORIHUELA, day, ALL, creds))
    assert (error.reason, error.code) == (Reason.ERROR, "http_400")


def test_timemachine_without_data_is_sin_datos(http, httpserver, creds):
    httpserver.expect_request(TIMEMACHINE).respond_with_json(
        {"lat": 48.86, "lon": 2.32, "timezone": "Europe/Paris", "data": []}
    )
    day = TimeRange(date(2023, 3, 21), date(2023, 3, 21), Granularity.HOURLY, "Europe/Paris")
    error = failure(lambda: provider(http).history(PARIS, day, ALL, creds))
    assert (error.reason, error.code) == (Reason.ERROR, "sin_datos")
    assert len(requests_to(httpserver, TIMEMACHINE)) == 1  # the first failure stops the series


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ("<html><body>502 Bad Gateway</body></html>", "text/html", 200, "respuesta_no_json"),
        ('{"coord": {"lon": 10.99', "application/json", 200, "json_invalido"),
        ('{"message": "Internal error"}', "application/json", 500, "http_500"),
    ],
)
def test_broken_answers(http, httpserver, creds, data, content_type, status, code):
    httpserver.expect_request(CURRENT).respond_with_data(
        data, status=status, content_type=content_type
    )
    error = failure(lambda: provider(http).current(ZOCCA, ALL, creds))
    assert (error.reason, error.code) == (Reason.ERROR, code)


def test_a_server_that_does_not_answer_in_time(httpserver, creds):
    # A unique path prefix: the single-threaded server keeps sleeping after we give up.
    httpserver.expect_request("/lento" + CURRENT).respond_with_handler(
        lambda _req: (time.sleep(1.2), Response(sample("current-2.5-zocca-docs-example.json")))[1]
    )
    http = ProviderHttp("openweathermap", httpserver.url_for("/lento"), timeout=0.5)
    started = time.monotonic()
    error = failure(lambda: provider(http).current(ZOCCA, ALL, creds))
    assert (error.reason, error.code) == (Reason.TIMEOUT, "timeout")
    assert time.monotonic() - started < 1.1
    deadline = time.monotonic() + 3
    while not requests_to(httpserver, "/lento" + CURRENT) and time.monotonic() < deadline:
        time.sleep(0.05)  # let the sleeping handler finish before the next test


def test_the_key_never_reaches_meta_errors_or_logs(http, httpserver, creds, caplog):
    configure_logging("DEBUG")
    caplog.set_level("DEBUG")
    serve(httpserver, CURRENT, "current-2.5-zocca-docs-example.json")
    serve(httpserver, DAY_SUMMARY, "public-error-401-invalid-api-key.json", status=401)
    owm = provider(http)
    answer = owm.current(ZOCCA, ALL, creds)
    day = TimeRange(date(2024, 9, 26), date(2024, 9, 26), Granularity.DAILY, "UTC")
    error = failure(lambda: owm.history(ORIHUELA, day, ALL, creds))

    assert KEY not in json.dumps(answer.meta, default=str) and KEY not in repr(answer)
    assert KEY not in repr(error) and KEY not in str(error.args)
    assert KEY not in repr(creds)
    ours = [JsonFormatter().format(r) for r in caplog.records if not r.name.startswith("werkzeug")]
    assert any(CURRENT in line for line in ours)
    assert not any(KEY in line for line in ours)
    assert requests_to(httpserver, CURRENT)[0]["appid"] == KEY  # it did go upstream
