"""Meteoblue `basic-1h_basic-day` forecasts against a loopback server serving Meteoblue samples."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import pytest

from adapters.providers.http_client import ProviderHttp
from adapters.providers.meteoblue import MeteoblueProvider
from climaguru.logging_setup import JsonFormatter, configure_logging
from domain.model.consensus import Reason
from domain.model.horizon import Horizon, HorizonUnit
from domain.model.location import Location
from domain.model.readings import Credentials, DataKind, Granularity
from tests.integration.providers.helpers import failure

SAMPLES = Path(__file__).parents[2] / "fixtures" / "provider-samples" / "meteoblue"
HOURLY = SAMPLES / "packages-basic-1h-forecast_days1-minsk-timestamp_ms.json"
DAILY = SAMPLES / "packages-basic-day-7days-minsk-timestamp_ms.json"
NO_ACCESS = SAMPLES / "error-no-access-to-api.json"
PATH = "/packages/basic-1h_basic-day"
KEY = "CLAVE-mb-pronostico-51c"
SECRET = "SECRETO-pronostico-88x"
MINSK = Location(53.906, 27.575)
MSK = ZoneInfo("Europe/Minsk")
NOW = datetime(2025, 10, 14, 9, 30, tzinfo=UTC)  # 12:30 in Minsk, after both model runs
RUN = "2025-10-14T09:26:12+00:00"  # the basic-1h sample's metadata.modelrun_utc (ms)


def combined() -> bytes:
    """Constructed: the two published Minsk answers (basic-1h, basic-day, same point and day)
    joined as the combined package answers: basic-1h's metadata, both `units`, both sections.
    No value changed."""
    hourly, daily = json.loads(HOURLY.read_bytes()), json.loads(DAILY.read_bytes())
    body = {"metadata": hourly["metadata"], "units": {**daily["units"], **hourly["units"]}}
    return json.dumps(
        {**body, "data_1h": hourly["data_1h"], "data_day": daily["data_day"]}
    ).encode()


def serve(httpserver, data: bytes, status: int = 200) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        data, status=status, content_type="application/json"
    )


def provider(httpserver) -> MeteoblueProvider:
    http = ProviderHttp("meteoblue", httpserver.url_for("/"), timeout=2.0)
    return MeteoblueProvider(http, clock=lambda: NOW)


def query(httpserver) -> dict[str, str]:
    (request, _), *_ = httpserver.log
    return dict(parse_qsl(request.query_string.decode()))


def test_horizon_is_seven_days_for_both_granularities(httpserver):
    caps = provider(httpserver).capabilities
    assert caps.forecast_hourly == caps.forecast_daily == Horizon(7, HorizonUnit.DAYS)


def test_hourly_forecast(httpserver):
    serve(httpserver, combined())
    names = ["temperatura", "velocidad_viento", "probabilidad_precipitacion", "indice_uv"]
    answer = provider(httpserver).forecast(
        MINSK, 1, Granularity.HOURLY, "Europe/Minsk", names, Credentials(KEY)
    )
    sent = query(httpserver)
    assert (sent["forecast_days"], sent["tz"], sent["timeformat"]) == (
        "1",
        "Europe/Minsk",
        "timestamp_utc",
    )
    midnight = datetime(2025, 10, 14, tzinfo=MSK)
    # the 25th hour of the answer is tomorrow's midnight: not among the days asked
    assert [r.instant for r in answer.readings] == [
        midnight + timedelta(hours=h) for h in range(24)
    ]
    first = answer.readings[0].values
    assert first["temperatura"] == 4.2
    assert first["velocidad_viento"] == pytest.approx(2.0 * 3.6)  # declared ms-1
    assert first["probabilidad_precipitacion"] == 15.0
    assert first["indice_uv"] == 0.0
    assert answer.readings[0].provenance["temperatura"] == {"tipo": "modelo", "emitido_en": RUN}
    assert answer.kind is DataKind.MODEL and answer.meta["emitido_en"] == RUN
    assert answer.meta["horizonte"]["horaria"] == {"cantidad": 7, "unidad": "dias"}


def test_daily_forecast_cut_at_seven_days(httpserver):
    serve(httpserver, combined())
    names = ["temperatura_max", "temperatura_min", "probabilidad_precipitacion", "precipitacion"]
    answer = provider(httpserver).forecast(
        MINSK, 16, Granularity.DAILY, "Europe/Minsk", names, Credentials(KEY)
    )
    assert query(httpserver)["forecast_days"] == "7"
    assert [r.instant for r in answer.readings] == [
        datetime(2025, 10, 14 + k, tzinfo=MSK) for k in range(7)
    ]
    assert [r.values["probabilidad_precipitacion"] for r in answer.readings[:3]] == [14, 19, 30]
    third = answer.readings[2].values
    assert (third["temperatura_max"], third["temperatura_min"], third["precipitacion"]) == (
        8.85,
        4.73,
        0.8,
    )


def test_the_forecast_request_is_signed_and_nothing_secret_is_kept(httpserver, caplog):
    configure_logging("DEBUG")
    caplog.set_level("DEBUG")
    serve(httpserver, combined())
    answer = provider(httpserver).forecast(
        MINSK, 2, Granularity.DAILY, "UTC", ["temperatura_max"], Credentials(KEY, SECRET)
    )
    (request, _), *_ = httpserver.log
    unsigned, sig = request.query_string.decode().rsplit("&sig=", 1)
    message = f"{request.path}?{unsigned}".encode()
    assert hmac.compare_digest(sig, hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest())
    stored = json.dumps(answer.meta, default=str)
    assert KEY not in stored and SECRET not in stored and sig not in stored
    ours = [JsonFormatter().format(r) for r in caplog.records if not r.name.startswith("werkzeug")]
    assert any(PATH in line for line in ours)
    assert not any(KEY in line or sig in line for line in ours)


def test_no_key_and_nothing_supported_make_no_call(httpserver):
    mb = provider(httpserver)
    assert failure(
        lambda: mb.forecast(MINSK, 2, Granularity.DAILY, "UTC", ["temperatura_max"], None)
    ) == (Reason.SIN_CLAVE, "sin_clave")
    assert failure(
        lambda: mb.forecast(MINSK, 2, Granularity.DAILY, "UTC", ["visibilidad"], Credentials(KEY))
    ) == (Reason.ERROR, "no_soportado")
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("data", "status", "expected"),
    [
        (NO_ACCESS.read_bytes(), 200, (Reason.CLAVE_INVALIDA, "sin_acceso_al_plan")),
        (NO_ACCESS.read_bytes(), 401, (Reason.CLAVE_INVALIDA, "http_401")),
        (b"{}", 429, (Reason.ERROR, "limite_del_proveedor")),
        (HOURLY.read_bytes(), 200, (Reason.ERROR, "sin_datos")),  # no data_day in a 1h answer
    ],
)
def test_error_answers(httpserver, data, status, expected):
    serve(httpserver, data, status)
    mb = provider(httpserver)
    names = ["temperatura_max"]
    creds = Credentials(KEY)
    assert failure(lambda: mb.forecast(MINSK, 3, Granularity.DAILY, "UTC", names, creds)) == (
        expected
    )
