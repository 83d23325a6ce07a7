"""The Meteoblue adapter against a loopback server serving the real sample payloads."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import pytest

from adapters.providers.http_client import ProviderHttp
from adapters.providers.meteoblue import MeteoblueProvider
from climaguru.logging_setup import JsonFormatter, configure_logging
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import Credentials, DataKind, Granularity, TimeRange
from ports.providers import ProviderUnavailable
from tests.integration.providers.helpers import answer_late

SAMPLES = Path(__file__).parents[2] / "fixtures" / "provider-samples" / "meteoblue"
HOURLY = SAMPLES / "packages-basic-1h-forecast_days1-minsk-timestamp_ms.json"
DAILY = SAMPLES / "packages-basic-day-7days-minsk-timestamp_ms.json"
NO_ACCESS = SAMPLES / "error-no-access-to-api.json"
ASL = SAMPLES / "error-asl-out-of-range.json"

KEY = "CLAVE-mb-7f3a9c"
SECRET = "SECRETO-compartido-q81z"
MINSK = Location(53.906, 27.575)
NOW = datetime(2025, 10, 14, 9, 26, 12, tzinfo=UTC)  # 12:26 in Minsk (UTC+3)
MSK = ZoneInfo("Europe/Minsk")
FIXED = {
    "apikey": KEY,
    "format": "json",
    "timeformat": "timestamp_utc",
    "temperature": "C",
    "windspeed": "kmh",
    "precipitationamount": "mm",
    "winddirection": "degree",
}


def _serve(httpserver, path: str, sample: Path, status: int = 200) -> None:
    httpserver.expect_request(path).respond_with_data(
        sample.read_bytes(), status=status, content_type="application/json"
    )


def _provider(httpserver, now: datetime = NOW, timeout: float = 2.0) -> MeteoblueProvider:
    http = ProviderHttp("meteoblue", httpserver.url_for("/"), timeout=timeout)
    return MeteoblueProvider(http, clock=lambda: now)


def _query(httpserver) -> dict[str, str]:
    (request, _), *_ = httpserver.log
    return dict(parse_qsl(request.query_string.decode()))


def _failure(call) -> tuple[Reason, str]:
    with pytest.raises(ProviderUnavailable) as info:
        call()
    return info.value.reason, info.value.code


def test_current_is_the_hourly_row_of_the_current_hour(httpserver):
    _serve(httpserver, "/packages/basic-1h", HOURLY)
    answer = _provider(httpserver).current(MINSK, [], Credentials(KEY))

    assert _query(httpserver) == {"lat": "53.91", "lon": "27.57", **FIXED, "forecast_days": "1"}
    assert answer.provider == "meteoblue" and answer.kind is DataKind.MODEL
    (reading,) = answer.readings
    assert reading.instant == datetime(2025, 10, 14, 9, 0, tzinfo=UTC)  # 1760432400000 ms
    values = reading.values
    assert values["temperatura"] == 5.29
    assert values["sensacion_termica"] == 2.18
    assert values["humedad_relativa"] == 85
    assert values["presion_atmosferica"] == 1016.43  # sealevelpressure
    # we asked windspeed=kmh but the response declares "ms-1": 2.14 m/s x 3.6
    assert values["velocidad_viento"] == pytest.approx(7.704)
    assert values["direccion_viento"] == 318
    assert values["precipitacion"] == 0.0 and values["precipitacion"] is not None
    assert values["indice_uv"] == 0.0 and values["indice_uv"] is not None
    assert values["descripcion_clima"] == 3  # pictocode 22 (overcast) -> WMO 3
    for absent in ("rafaga_viento", "nubosidad", "visibilidad", "temperatura_min"):
        assert absent not in values
    assert answer.meta["endpoint"] == "/packages/basic-1h"
    assert answer.meta["params"]["apikey"] == "***"
    assert answer.meta["unidades"]["windspeed"] == "ms-1"
    assert answer.meta["elevacion"] == 206
    assert answer.meta["firmado"] is False


def test_current_returns_only_the_requested_variables(httpserver):
    _serve(httpserver, "/packages/basic-1h", HOURLY)
    answer = _provider(httpserver).current(MINSK, ["temperatura", "nubosidad"], Credentials(KEY))
    assert answer.readings[0].values == {"temperatura": 5.29}


def test_current_without_a_row_for_this_hour_is_an_error(httpserver):
    _serve(httpserver, "/packages/basic-1h", HOURLY)
    late = _provider(httpserver, now=NOW + timedelta(days=2))
    assert _failure(lambda: late.current(MINSK, [], Credentials(KEY))) == (
        Reason.ERROR,
        "sin_dato_actual",
    )


def test_daily_history_is_read_at_local_midnight(httpserver):
    _serve(httpserver, "/packages/basic-day", DAILY)
    span = TimeRange(date(2025, 10, 14), date(2025, 10, 16), Granularity.DAILY, "Europe/Minsk")
    answer = _provider(httpserver).history(MINSK, span, [], Credentials(KEY))

    sent = _query(httpserver)
    assert sent == {
        "lat": "53.91",
        "lon": "27.57",
        **FIXED,
        "tz": "Europe/Minsk",
        "forecast_days": "3",
    }
    assert [r.instant for r in answer.readings] == [
        datetime(2025, 10, d, tzinfo=MSK) for d in (14, 15, 16)
    ]
    assert answer.readings[0].instant == datetime(2025, 10, 13, 21, 0, tzinfo=UTC)
    first, second, third = (r.values for r in answer.readings)
    assert (first["temperatura"], first["temperatura_min"], first["temperatura_max"]) == (
        4.23,
        2.52,
        6.17,
    )
    assert first["sensacion_termica"] == 1.22
    assert first["humedad_relativa"] == 92
    assert first["presion_atmosferica"] == 1016
    assert first["velocidad_viento"] == pytest.approx(1.99 * 3.6)
    assert first["direccion_viento"] == 315
    assert first["precipitacion"] == 0.0 and first["precipitacion"] is not None
    assert first["indice_uv"] == 1
    assert first["descripcion_clima"] == 2  # daily pictocode 3 (partly cloudy)
    assert third["precipitacion"] == 0.8
    assert third["descripcion_clima"] == 61  # daily pictocode 16 (light rain)
    assert second["temperatura_max"] == 6.59
    assert answer.kind is DataKind.MODEL


def test_past_days_come_from_history_days(httpserver):
    _serve(httpserver, "/packages/basic-day", DAILY)
    later = _provider(httpserver, now=datetime(2025, 10, 16, 9, 0, tzinfo=UTC))
    span = TimeRange(date(2025, 10, 14), date(2025, 10, 15), Granularity.DAILY, "Europe/Minsk")
    answer = later.history(MINSK, span, ["temperatura_max"], Credentials(KEY))

    sent = _query(httpserver)
    assert (sent["history_days"], sent["forecast_days"]) == ("2", "1")
    assert [r.values for r in answer.readings] == [
        {"temperatura_max": 6.17},
        {"temperatura_max": 6.59},
    ]


def test_hourly_history_keeps_only_the_local_dates_asked_for(httpserver):
    _serve(httpserver, "/packages/basic-1h", HOURLY)
    span = TimeRange(date(2025, 10, 14), date(2025, 10, 14), Granularity.HOURLY, "Europe/Minsk")
    answer = _provider(httpserver).history(MINSK, span, ["temperatura"], Credentials(KEY))

    # 25 rows from 00:00 Oct 14 to 00:00 Oct 15 in Minsk: the last one is another day
    assert len(answer.readings) == 24
    assert answer.readings[0].instant == datetime(2025, 10, 13, 21, 0, tzinfo=UTC)
    assert answer.readings[-1].instant == datetime(2025, 10, 14, 20, 0, tzinfo=UTC)
    assert answer.readings[0].values == {"temperatura": 4.2}
    assert answer.readings[-1].values == {"temperatura": 2.52}


def test_hourly_history_in_bogota_cuts_days_at_bogota_midnight(httpserver):
    _serve(httpserver, "/packages/basic-1h", HOURLY)
    span = TimeRange(date(2025, 10, 13), date(2025, 10, 13), Granularity.HOURLY, "America/Bogota")
    answer = _provider(httpserver).history(MINSK, span, ["temperatura"], Credentials(KEY))

    sent = _query(httpserver)
    assert (sent["tz"], sent["history_days"], sent["forecast_days"]) == ("America/Bogota", "1", "1")
    # 21:00Z Oct 13 .. 04:00Z Oct 14 are 16:00 .. 23:00 on Oct 13 in Bogota (UTC-5)
    assert [r.instant.hour for r in answer.readings] == [21, 22, 23, 0, 1, 2, 3, 4]
    assert answer.readings[-1].values == {"temperatura": 3.96}


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2025, 10, 9), date(2025, 10, 10)), (date(2025, 10, 14), date(2025, 10, 21))],
)
def test_ranges_beyond_the_packages_are_refused_before_the_network(httpserver, start, end):
    span = TimeRange(start, end, Granularity.DAILY, "Europe/Minsk")
    call = lambda: _provider(httpserver).history(MINSK, span, [], Credentials(KEY))  # noqa: E731
    assert _failure(call) == (Reason.ERROR, "rango_no_soportado")
    assert len(httpserver.log) == 0


def test_the_oldest_and_latest_days_allowed(httpserver):
    _serve(httpserver, "/packages/basic-day", DAILY)
    span = TimeRange(date(2025, 10, 10), date(2025, 10, 20), Granularity.DAILY, "Europe/Minsk")
    _provider(httpserver).history(MINSK, span, [], Credentials(KEY))
    sent = _query(httpserver)
    assert (sent["history_days"], sent["forecast_days"]) == ("4", "7")


def test_no_key_means_no_request(httpserver):
    provider = _provider(httpserver)
    span = TimeRange(date(2025, 10, 14), date(2025, 10, 14), Granularity.DAILY, "Europe/Minsk")
    assert _failure(lambda: provider.current(MINSK, [], None)) == (Reason.SIN_CLAVE, "sin_clave")
    assert _failure(lambda: provider.history(MINSK, span, [], None)) == (
        Reason.SIN_CLAVE,
        "sin_clave",
    )
    assert len(httpserver.log) == 0


def _check_signature(request) -> str:
    """Recompute the signature from what the server received; return the signature."""
    raw = request.query_string.decode()
    unsigned, sig = raw.rsplit("&sig=", 1)
    expected = hmac.new(
        SECRET.encode(), f"{request.path}?{unsigned}".encode(), hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(sig, expected)
    expire = int(dict(parse_qsl(unsigned))["expire"])
    assert NOW.timestamp() + 600 <= expire <= NOW.timestamp() + 1200
    return sig


def test_signed_requests_carry_a_verifiable_signature(httpserver):
    _serve(httpserver, "/packages/basic-1h", HOURLY)
    _serve(httpserver, "/packages/basic-day", DAILY)
    provider = _provider(httpserver)
    creds = Credentials(KEY, api_secret=SECRET)
    current = provider.current(MINSK, [], creds)
    span = TimeRange(date(2025, 10, 13), date(2025, 10, 14), Granularity.DAILY, "America/Bogota")
    history = provider.history(MINSK, span, [], creds)

    signatures = [_check_signature(request) for request, _ in httpserver.log]
    assert len(signatures) == 2
    for answer in (current, history):
        stored = json.dumps(answer.meta, default=str)
        assert answer.meta["firmado"] is True
        assert "sig" not in answer.meta["params"]
        assert all(s not in stored for s in signatures)
        assert SECRET not in stored and KEY not in stored


def test_unsigned_requests_have_no_signature(httpserver):
    _serve(httpserver, "/packages/basic-1h", HOURLY)
    _provider(httpserver).current(MINSK, [], Credentials(KEY))
    assert "sig" not in _query(httpserver) and "expire" not in _query(httpserver)


def test_a_network_call_charges_the_key_once(httpserver):
    _serve(httpserver, "/packages/basic-1h", HOURLY)
    charges = []
    creds = Credentials(KEY, owner="usuario", charge=lambda: charges.append(1) or True)
    _provider(httpserver).current(MINSK, [], creds)
    assert charges == [1]


def test_exhausted_quota_makes_no_call(httpserver):
    creds = Credentials(KEY, owner="usuario", charge=lambda: False)
    call = lambda: _provider(httpserver).current(MINSK, [], creds)  # noqa: E731
    assert _failure(call) == (Reason.CUOTA_AGOTADA, "cuota_agotada")
    assert len(httpserver.log) == 0


@pytest.mark.parametrize(
    ("sample", "status", "expected"),
    [
        (NO_ACCESS, 200, (Reason.CLAVE_INVALIDA, "sin_acceso_al_plan")),
        (NO_ACCESS, 401, (Reason.CLAVE_INVALIDA, "http_401")),
        (NO_ACCESS, 403, (Reason.CLAVE_INVALIDA, "http_403")),
        (ASL, 200, (Reason.ERROR, "altitud_fuera_de_rango")),
        (ASL, 400, (Reason.ERROR, "http_400")),
    ],
)
def test_real_error_bodies(httpserver, sample, status, expected):
    _serve(httpserver, "/packages/basic-1h", sample, status=status)
    assert _failure(lambda: _provider(httpserver).current(MINSK, [], Credentials(KEY))) == expected


@pytest.mark.parametrize(
    ("body", "content_type", "status", "expected"),
    [
        ("{}", "application/json", 500, (Reason.ERROR, "http_500")),
        ("{}", "application/json", 429, (Reason.ERROR, "limite_del_proveedor")),
        ("<html>Bad gateway</html>", "text/html", 200, (Reason.ERROR, "respuesta_no_json")),
        ('{"metadata": {', "application/json", 200, (Reason.ERROR, "json_invalido")),
        ('{"metadata": {}, "units": {}}', "application/json", 200, (Reason.ERROR, "sin_datos")),
    ],
)
def test_faults(httpserver, body, content_type, status, expected):
    httpserver.expect_request("/packages/basic-1h").respond_with_data(
        body, status=status, content_type=content_type
    )
    assert _failure(lambda: _provider(httpserver).current(MINSK, [], Credentials(KEY))) == expected


def test_a_server_slower_than_the_budget_times_out(httpserver):
    answer_late(httpserver, "/packages/basic-1h", 0.8)
    provider = _provider(httpserver, timeout=0.3)
    started = time.monotonic()
    call = lambda: provider.current(MINSK, [], Credentials(KEY))  # noqa: E731
    assert _failure(call) == (Reason.TIMEOUT, "timeout")
    assert time.monotonic() - started < 0.8


def test_dates_as_local_strings_and_undeclared_units(httpserver):
    """A daily body as `timeformat=iso8601` and `winddirection=2char` would send it."""
    body = json.loads(DAILY.read_text())
    body["units"].update(time="YYYY-MM-DD hh:mm", winddirection="2char")
    body["data_day"]["time"] = [f"2025-10-{d} 00:00" for d in range(14, 21)]
    body["data_day"]["winddirection"] = ["NW", "W", "SW", "SW", "NW", "N", "W"]
    httpserver.expect_request("/packages/basic-day").respond_with_json(body)
    span = TimeRange(date(2025, 10, 19), date(2025, 10, 20), Granularity.DAILY, "America/Bogota")
    answer = _provider(httpserver).history(MINSK, span, [], Credentials(KEY))
    assert [r.instant for r in answer.readings] == [
        datetime(2025, 10, d, tzinfo=ZoneInfo("America/Bogota")) for d in (19, 20)
    ]
    assert [r.values["temperatura_min"] for r in answer.readings] == [0.06, 0.67]
    assert [r.values["direccion_viento"] for r in answer.readings] == [None, None]


def test_key_secret_and_signature_never_reach_meta_errors_or_logs(httpserver, caplog):
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    creds = Credentials(KEY, api_secret=SECRET)
    provider = _provider(httpserver)
    _serve(httpserver, "/packages/basic-1h", HOURLY)
    answer = provider.current(MINSK, [], creds)
    httpserver.clear()
    errors = []
    for status in (401, 500):
        _serve(httpserver, "/packages/basic-1h", NO_ACCESS, status=status)
        with pytest.raises(ProviderUnavailable) as info:
            provider.current(MINSK, [], creds)
        errors.append(info.value)
        httpserver.clear()
    _serve(httpserver, "/packages/basic-1h", NO_ACCESS)
    with pytest.raises(ProviderUnavailable) as info:
        provider.current(MINSK, [], creds)
    errors.append(info.value)
    signatures = [dict(parse_qsl(r.query_string.decode()))["sig"] for r, _ in httpserver.log]

    secrets = [KEY, SECRET, *signatures]
    stored = json.dumps(answer.meta, default=str) + repr(answer)
    texts = [stored] + [str(e) + repr(e.args) for e in errors]
    texts += [
        JsonFormatter().format(r) for r in caplog.records if not r.name.startswith("werkzeug")
    ]
    assert any("meteoblue" in t for t in texts)  # the client did log the calls
    assert not [t for t in texts for s in secrets if s in t]
