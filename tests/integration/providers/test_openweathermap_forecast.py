"""OpenWeatherMap One Call 3.0 forecasts against a loopback server serving OWM's samples."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adapters.providers.http_client import ProviderHttp
from adapters.providers.openweathermap import OpenWeatherMapProvider
from climaguru.logging_setup import JsonFormatter, configure_logging
from domain.model.consensus import Reason
from domain.model.horizon import Horizon, HorizonUnit
from domain.model.location import Location
from domain.model.readings import Credentials, DataKind, Granularity
from ports.providers import ProviderUnavailable
from tests.integration.providers.helpers import failure

SAMPLES = Path(__file__).parents[2] / "fixtures" / "provider-samples" / "openweathermap"
KEY = "owm-CLAVE-forecast-1a2b3c"
ONECALL = "/data/3.0/onecall"
CHICAGO = ZoneInfo("America/Chicago")
POINT = Location(60.99, 30.9)  # the pyowm fixture's lat/lon
PYOWM = "pyowm-onecall-fixture.json"  # units=standard (Kelvin, m/s)
PYOWM_NOW = datetime(2020, 4, 4, 11, 30, tzinfo=UTC)  # half an hour before its hourly step
HOURLY = ["temperatura", "velocidad_viento", "precipitacion", "descripcion_clima"]
DAILY = ["temperatura", "temperatura_min", "temperatura_max", "precipitacion", "indice_uv"]


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def fragment_answer() -> bytes:
    """Constructed: the published One Call `hourly[]` item (metric) inside the envelope of a One
    Call answer (lat, lon, timezone, timezone_offset, hourly); the item is unchanged."""
    item = json.loads(sample("onecall-3.0-hourly-item-fragment.json"))
    envelope = {"lat": 51.5, "lon": -0.12, "timezone": "Europe/London", "timezone_offset": 3600}
    return json.dumps({**envelope, "hourly": [item]}).encode()


@pytest.fixture
def quota():
    taken = []
    return lambda: taken.append(1) is None, taken


def serve(httpserver, data: bytes, status: int = 200) -> None:
    httpserver.expect_request(ONECALL).respond_with_data(
        data, status=status, content_type="application/json"
    )


def provider(httpserver, now: datetime, units: str = "standard") -> OpenWeatherMapProvider:
    http = ProviderHttp("openweathermap", httpserver.url_for("/"), timeout=1.0)
    return OpenWeatherMapProvider(http, units=units, clock=lambda: now)


def asked(httpserver) -> list[dict[str, str]]:
    return [dict(r.args) for r, _ in httpserver.log if r.path == ONECALL]


def test_horizons_are_declared(httpserver):
    caps = provider(httpserver, PYOWM_NOW).capabilities
    assert caps.forecast_hourly == Horizon(48, HorizonUnit.HOURS)
    assert caps.forecast_daily == Horizon(8, HorizonUnit.DAYS)
    assert "probabilidad_precipitacion" in caps.variables


def test_hourly_forecast_in_canonical_units_with_one_charged_call(httpserver, quota):
    charge, taken = quota
    serve(httpserver, sample(PYOWM))
    creds = Credentials(api_key=KEY, charge=charge)
    answer = provider(httpserver, PYOWM_NOW).forecast(
        POINT, 2, Granularity.HOURLY, "America/Chicago", HOURLY, creds
    )
    (query,) = asked(httpserver)
    assert query["exclude"] == "current,minutely,alerts" and query["units"] == "standard"
    assert (query["lat"], query["lon"], query["appid"]) == ("60.99", "30.9", KEY)
    assert len(taken) == 1
    (reading,) = answer.readings
    assert reading.instant == datetime(2020, 4, 4, 7, tzinfo=CHICAGO)
    assert reading.values["temperatura"] == pytest.approx(7.0)  # 280.15 K
    assert reading.values["velocidad_viento"] == pytest.approx(4.88 * 3.6)
    assert reading.values["precipitacion"] == 1.37 and reading.values["descripcion_clima"] == 63
    assert reading.provenance["temperatura"] == {"tipo": "modelo"}  # OWM names no model
    assert answer.kind is DataKind.MODEL
    assert answer.meta["horizonte"]["horaria"] == {"cantidad": 48, "unidad": "horas"}
    assert KEY not in json.dumps(answer.meta, default=str)


def test_daily_forecast_from_the_same_call(httpserver):
    serve(httpserver, sample(PYOWM))
    answer = provider(httpserver, PYOWM_NOW).forecast(
        POINT, 8, Granularity.DAILY, "America/Chicago", DAILY, Credentials(api_key=KEY)
    )
    (reading,) = answer.readings
    assert reading.instant == datetime(2020, 4, 4, tzinfo=CHICAGO)
    values = reading.values
    assert values["temperatura_min"] == pytest.approx(279.92 - 273.15)
    assert values["temperatura_max"] == pytest.approx(285.17 - 273.15)
    mean = (280.15 + 281.46 + 285.17 + 283.74) / 4 - 273.15  # morn, day, eve, night
    assert values["temperatura"] == pytest.approx(mean)
    assert values["precipitacion"] == 5.97 and values["indice_uv"] == 9.63


def test_pop_is_a_percentage(httpserver):
    serve(httpserver, fragment_answer())
    now = datetime(2024, 4, 26, 21, 10, tzinfo=UTC)
    answer = provider(httpserver, now, units="metric").forecast(
        POINT,
        1,
        Granularity.HOURLY,
        "UTC",
        ["probabilidad_precipitacion", "rafaga_viento", "precipitacion"],
        Credentials(api_key=KEY),
    )
    (reading,) = answer.readings
    assert reading.values["probabilidad_precipitacion"] == pytest.approx(79.0)
    assert reading.values["rafaga_viento"] == pytest.approx(1.39 * 3.6)
    assert reading.values["precipitacion"] is None  # no rain block: unknown, not 0 mm
    assert asked(httpserver)[0]["units"] == "metric"


def test_steps_past_the_days_asked_are_left_out(httpserver):
    serve(httpserver, sample(PYOWM))
    later = datetime(2020, 4, 5, 6, tzinfo=UTC)  # 01:00 in Chicago on the 5th: step is past
    error = failure(
        lambda: provider(httpserver, later).forecast(
            POINT, 1, Granularity.HOURLY, "America/Chicago", HOURLY, Credentials(api_key=KEY)
        )
    )
    assert error == (Reason.ERROR, "sin_datos")


def test_no_key_or_no_variable_makes_no_call(httpserver):
    owm = provider(httpserver, PYOWM_NOW)
    assert failure(lambda: owm.forecast(POINT, 2, Granularity.HOURLY, "UTC", HOURLY, None)) == (
        Reason.SIN_CLAVE,
        "sin_clave",
    )
    creds = Credentials(api_key=KEY)
    only_daily = ["temperatura_min"]
    assert failure(
        lambda: owm.forecast(POINT, 2, Granularity.HOURLY, "UTC", only_daily, creds)
    ) == (Reason.ERROR, "no_soportado")
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("name", "status", "reason", "code"),
    [
        ("public-error-401-invalid-api-key.json", 401, Reason.CLAVE_INVALIDA, "http_401"),
        ("issue-error-429-account-blocked.json", 429, Reason.ERROR, "limite_del_proveedor"),
        ("public-onecall-3.0-error-400-latitude-range.json", 400, Reason.ERROR, "http_400"),
        ("public-error-401-invalid-api-key.json", 200, Reason.CLAVE_INVALIDA, "clave_invalida"),
        ("public-onecall-3.0-timemachine-london-now.json", 200, Reason.ERROR, "sin_datos"),
    ],
)
def test_error_answers(httpserver, name, status, reason, code):
    serve(httpserver, sample(name), status)
    owm = provider(httpserver, PYOWM_NOW)
    creds = Credentials(api_key=KEY)
    error = failure(lambda: owm.forecast(POINT, 2, Granularity.DAILY, "UTC", DAILY, creds))
    assert error == (reason, code)


def test_the_key_never_reaches_logs_or_errors(httpserver, caplog):
    configure_logging("DEBUG")
    caplog.set_level("DEBUG")
    serve(httpserver, sample("public-error-401-invalid-api-key.json"), 401)
    owm = provider(httpserver, PYOWM_NOW)
    with pytest.raises(ProviderUnavailable) as info:
        owm.forecast(POINT, 2, Granularity.DAILY, "UTC", DAILY, Credentials(api_key=KEY))
    assert KEY not in repr(info.value) and KEY not in str(info.value.args)
    ours = [JsonFormatter().format(r) for r in caplog.records if not r.name.startswith("werkzeug")]
    assert any(ONECALL in line for line in ours)
    assert not any(KEY in line for line in ours)
