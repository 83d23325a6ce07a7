"""The Meteosource adapter against a loopback server serving the real sample payloads."""

from __future__ import annotations

import json
import logging
import math
import time
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import pytest

from adapters.providers.http_client import ProviderHttp
from adapters.providers.meteosource import MeteosourceProvider
from climaguru.logging_setup import JsonFormatter, configure_logging
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import Credentials, DataKind, Granularity, TimeRange
from ports.providers import ProviderUnavailable
from tests.integration.providers.helpers import answer_late

SAMPLES = Path(__file__).parents[2] / "fixtures" / "provider-samples" / "meteosource"
POINT = SAMPLES / "point-flexi-all-sections-london.json"
TIME_MACHINE = SAMPLES / "time_machine-prague-2020-10-01.json"
MISSING_KEY = SAMPLES / "docs-error-missing-key.json"

KEY = "CLAVE-ms-5d2e8b"
LONDON = Location(51.50853, -0.12574)
PRAGUE = Location(50.08804, 14.42076)
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
# time_machine-prague-2020-10-01.json, hours 00..23 UTC
TEMPERATURES = [7.9, 7.3, 7.5, 6.8, 6.9, 6.5, 8, 10.1, 12.4, 13.8, 15.4, 16.8, 17.7, 18, 18.4, 18.2,
                16.3, 13.3, 11.8, 10.9, 10.4, 9.1, 9, 8.6]  # fmt: skip
PRESSURES = [1012, 1011, 1010, 1010, 1009, 1009, 1009, 1009, 1008, 1008, 1007, 1006, 1005, 1005,
             1004, 1004, 1003, 1004, 1004, 1004, 1004, 1004, 1003, 1003]  # fmt: skip
ANGLES = [291, 292, 288, 282, 267, 261, 271, 278, 299, 322, 316, 328, 336, 1, 21, 24, 57, 73, 95,
          123, 153, 167, 180, 198]  # fmt: skip
SPEEDS = [1] * 15 + [0] + [1] * 8  # m/s; 15:00 is a calm 0


def _serve(httpserver, path: str, sample: Path, status: int = 200) -> None:
    httpserver.expect_request(path).respond_with_data(
        sample.read_bytes(), status=status, content_type="application/json"
    )


def _provider(httpserver, tier: str = "flexi", timeout: float = 2.0) -> MeteosourceProvider:
    http = ProviderHttp("meteosource", httpserver.url_for("/"), timeout=timeout)
    return MeteosourceProvider(http, tier=tier, clock=lambda: NOW)


def _queries(httpserver) -> list[dict[str, str]]:
    return [dict(parse_qsl(request.query_string.decode())) for request, _ in httpserver.log]


def _failure(call) -> tuple[Reason, str]:
    with pytest.raises(ProviderUnavailable) as info:
        call()
    return info.value.reason, info.value.code


def _day(tz: str = "UTC", granularity: Granularity = Granularity.DAILY) -> TimeRange:
    return TimeRange(date(2020, 10, 1), date(2020, 10, 1), granularity, tz)


def test_current_in_canonical_units(httpserver):
    _serve(httpserver, "/api/v1/flexi/point", POINT)
    answer = _provider(httpserver).current(LONDON, [], Credentials(KEY))

    assert _queries(httpserver) == [
        {
            "lat": "51.51",
            "lon": "-0.13",
            "sections": "current,hourly",
            "units": "metric",
            "language": "en",
            "timezone": "UTC",
            "key": KEY,
        }
    ]
    assert answer.provider == "meteosource" and answer.kind is DataKind.MODEL
    (reading,) = answer.readings
    assert reading.instant == datetime(2021, 9, 8, 9, 0, tzinfo=UTC)  # first hourly item
    assert reading.values == {
        "temperatura": 19.8,
        "sensacion_termica": 18.8,
        "humedad_relativa": 81,
        "presion_atmosferica": 1015,
        "velocidad_viento": pytest.approx(2.6 * 3.6),
        "direccion_viento": 102,
        "rafaga_viento": pytest.approx(5.7 * 3.6),
        "precipitacion": 0.0,
        "nubosidad": 10,  # a plain number in `current`, {"total": ...} in hourly items
        "visibilidad": pytest.approx(9120.0),  # 9.12 km
        "indice_uv": 1.09,
        "descripcion_clima": 0,  # icon "sunny", icon_num 2
        "punto_de_rocio": 14.8,  # reported dew point (issue 14)
        "radiacion_solar": 258.62,  # irradiance, W/m²
    }
    assert reading.values["precipitacion"] is not None
    assert answer.meta["endpoint"] == "/api/v1/flexi/point"
    assert answer.meta["params"]["units"] == "metric" and "key" not in answer.meta["params"]
    assert answer.meta["unidades"] == "metric"
    assert answer.meta["elevacion"] == 25
    assert answer.meta["coordenadas"] == [51.50853, -0.12574]


def test_free_tier_current_uses_the_free_path_and_only_asked_variables(httpserver):
    _serve(httpserver, "/api/v1/free/point", POINT)
    provider = _provider(httpserver, tier="free")
    answer = provider.current(LONDON, ["visibilidad", "temperatura_max"], Credentials(KEY))
    assert answer.readings[0].values == {"visibilidad": pytest.approx(9120.0)}
    assert provider.capabilities.current is True
    assert provider.capabilities.history_hourly is provider.capabilities.history_daily is False


def test_free_tier_has_no_history_and_asks_nobody(httpserver):
    provider = _provider(httpserver, tier="free")
    call = lambda: provider.history(PRAGUE, _day(), [], Credentials(KEY))  # noqa: E731
    assert _failure(call) == (Reason.ERROR, "no_soportado")
    assert len(httpserver.log) == 0


def test_hourly_history_from_time_machine(httpserver):
    _serve(httpserver, "/api/v1/flexi/time_machine", TIME_MACHINE)
    answer = _provider(httpserver).history(
        PRAGUE, _day(granularity=Granularity.HOURLY), [], Credentials(KEY)
    )

    assert _queries(httpserver) == [
        {
            "lat": "50.09",
            "lon": "14.42",
            "units": "metric",
            "timezone": "UTC",
            "date": "2020-10-01",
            "key": KEY,
        }
    ]
    assert [r.instant for r in answer.readings] == [
        datetime(2020, 10, 1, h, tzinfo=UTC) for h in range(24)
    ]
    first = answer.readings[0].values
    assert first["temperatura"] == 7.9
    assert first["velocidad_viento"] == pytest.approx(3.6)
    assert first["rafaga_viento"] == pytest.approx(10.8)
    assert first["direccion_viento"] == 291
    assert first["nubosidad"] == 34
    assert first["presion_atmosferica"] == 1012
    assert first["precipitacion"] == 0.0 and first["precipitacion"] is not None
    assert first["descripcion_clima"] == 2  # partly_sunny
    for missing in ("humedad_relativa", "visibilidad", "indice_uv", "sensacion_termica"):
        assert first[missing] is None  # time_machine does not carry them
    calm = answer.readings[15].values
    assert calm["velocidad_viento"] == 0.0 and calm["velocidad_viento"] is not None
    assert calm["descripcion_clima"] == 1  # mostly_sunny
    assert "temperatura_min" not in first
    assert answer.kind is DataKind.MODEL
    assert answer.meta["fechas_utc"] == ["2020-10-01"]


def test_daily_history_is_aggregated_from_the_hours(httpserver):
    _serve(httpserver, "/api/v1/flexi/time_machine", TIME_MACHINE)
    answer = _provider(httpserver).history(PRAGUE, _day(), [], Credentials(KEY))

    (reading,) = answer.readings
    assert reading.instant == datetime(2020, 10, 1, tzinfo=ZoneInfo("UTC"))
    values = reading.values
    assert values["temperatura"] == pytest.approx(sum(TEMPERATURES) / 24)
    assert (values["temperatura_min"], values["temperatura_max"]) == (6.5, 18.4)
    assert values["presion_atmosferica"] == pytest.approx(sum(PRESSURES) / 24)
    assert values["velocidad_viento"] == pytest.approx(sum(SPEEDS) / 24 * 3.6)
    assert values["rafaga_viento"] == pytest.approx(5 * 3.6)
    x = sum(math.cos(math.radians(a)) for a in ANGLES)
    y = sum(math.sin(math.radians(a)) for a in ANGLES)
    assert values["direccion_viento"] == pytest.approx(math.degrees(math.atan2(y, x)) % 360, 0.01)
    assert values["precipitacion"] == 0.0 and values["precipitacion"] is not None
    assert values["descripcion_clima"] == 3  # mostly_cloudy is the cloudiest hour of the day
    assert values["humedad_relativa"] is None and values["visibilidad"] is None
    assert answer.meta["agregacion"] == "diaria_desde_horaria"


def test_a_local_day_spans_two_utc_days(httpserver):
    """Prague is UTC+2 in October: its 1 October is 30 Sep 22:00Z .. 1 Oct 22:00Z."""
    _serve(httpserver, "/api/v1/flexi/time_machine", TIME_MACHINE)
    charges = []
    creds = Credentials(KEY, owner="usuario", charge=lambda: charges.append(1) or True)
    answer = _provider(httpserver).history(PRAGUE, _day("Europe/Prague"), [], creds)

    assert [q["date"] for q in _queries(httpserver)] == ["2020-09-30", "2020-10-01"]
    assert charges == [1, 1]
    (reading,) = answer.readings
    assert reading.instant == datetime(2020, 10, 1, tzinfo=ZoneInfo("Europe/Prague"))
    # The server sent the 1 October sample for both dates: items of another day are dropped,
    # so 22:00Z and 23:00Z (2 October in Prague) and the 30 September hours are missing ...
    assert reading.values["temperatura_min"] == 6.5
    assert reading.values["temperatura"] == pytest.approx(sum(TEMPERATURES[:22]) / 22)
    # ... and a precipitation sum over 22 of 24 hours would be too low: it is missing, not 0
    assert reading.values["precipitacion"] is None


def test_hourly_history_keeps_only_the_local_day(httpserver):
    _serve(httpserver, "/api/v1/flexi/time_machine", TIME_MACHINE)
    span = _day("Europe/Prague", Granularity.HOURLY)
    answer = _provider(httpserver).history(PRAGUE, span, ["temperatura"], Credentials(KEY))
    assert len(answer.readings) == 22  # 00:00Z .. 21:00Z of the sample are 1 October in Prague
    assert answer.readings[-1].instant == datetime(2020, 10, 1, 21, tzinfo=UTC)
    assert answer.readings[-1].values == {"temperatura": 9.1}


@pytest.mark.parametrize(
    "span",
    [
        TimeRange(date(2020, 10, 1), date(2020, 11, 1), Granularity.DAILY, "UTC"),  # 32 days
        TimeRange(date(2025, 3, 1), date(2025, 3, 2), Granularity.DAILY, "UTC"),  # tomorrow
    ],
)
def test_ranges_it_cannot_serve_are_refused_before_the_network(httpserver, span):
    call = lambda: _provider(httpserver).history(PRAGUE, span, [], Credentials(KEY))  # noqa: E731
    assert _failure(call) == (Reason.ERROR, "rango_no_soportado")
    assert len(httpserver.log) == 0


def test_no_key_means_no_request(httpserver):
    provider = _provider(httpserver)
    assert _failure(lambda: provider.current(LONDON, [], None)) == (Reason.SIN_CLAVE, "sin_clave")
    assert _failure(lambda: provider.history(PRAGUE, _day(), [], None)) == (
        Reason.SIN_CLAVE,
        "sin_clave",
    )
    assert len(httpserver.log) == 0


def test_unknown_tier_is_refused():
    with pytest.raises(ValueError):
        MeteosourceProvider(ProviderHttp("meteosource", "http://127.0.0.1:9", 1.0), tier="gold")


def test_exhausted_quota_makes_no_call(httpserver):
    creds = Credentials(KEY, owner="usuario", charge=lambda: False)
    call = lambda: _provider(httpserver).current(LONDON, [], creds)  # noqa: E731
    assert _failure(call) == (Reason.CUOTA_AGOTADA, "cuota_agotada")
    assert len(httpserver.log) == 0


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (401, (Reason.CLAVE_INVALIDA, "http_401")),
        (403, (Reason.CLAVE_INVALIDA, "http_403")),
        (200, (Reason.CLAVE_INVALIDA, "clave_rechazada")),
    ],
)
def test_the_real_missing_key_body(httpserver, status, expected):
    _serve(httpserver, "/api/v1/flexi/point", MISSING_KEY, status=status)
    assert _failure(lambda: _provider(httpserver).current(LONDON, [], Credentials(KEY))) == expected


@pytest.mark.parametrize(
    ("path", "body", "content_type", "status", "expected"),
    [
        ("point", "{}", "application/json", 500, (Reason.ERROR, "http_500")),
        ("point", "{}", "application/json", 429, (Reason.ERROR, "limite_del_proveedor")),
        ("point", "<html>oops</html>", "text/html", 200, (Reason.ERROR, "respuesta_no_json")),
        ("point", '{"lat": "51.5N",', "application/json", 200, (Reason.ERROR, "json_invalido")),
        ("point", '{"detail": "Bad"}', "application/json", 200, (Reason.ERROR, "cuerpo_de_error")),
        ("point", '{"units": "metric"}', "application/json", 200, (Reason.ERROR, "sin_datos")),
        ("time_machine", '{"data": []}', "application/json", 200, (Reason.ERROR, "sin_datos")),
    ],
)
def test_faults(httpserver, path, body, content_type, status, expected):
    httpserver.expect_request(f"/api/v1/flexi/{path}").respond_with_data(
        body, status=status, content_type=content_type
    )
    provider, creds = _provider(httpserver), Credentials(KEY)
    if path == "point":
        call = lambda: provider.current(LONDON, [], creds)  # noqa: E731
    else:
        call = lambda: provider.history(PRAGUE, _day(), [], creds)  # noqa: E731
    assert _failure(call) == expected


def test_a_unit_system_it_does_not_know_is_refused(httpserver):
    body = json.loads(POINT.read_text())
    body["units"] = "imperial"
    httpserver.expect_request("/api/v1/flexi/point").respond_with_json(body)
    call = lambda: _provider(httpserver).current(LONDON, [], Credentials(KEY))  # noqa: E731
    assert _failure(call) == (Reason.ERROR, "unidades_desconocidas")


def test_a_server_slower_than_the_budget_times_out(httpserver):
    answer_late(httpserver, "/api/v1/flexi/point", 0.8)
    provider = _provider(httpserver, timeout=0.3)
    started = time.monotonic()
    call = lambda: provider.current(LONDON, [], Credentials(KEY))  # noqa: E731
    assert _failure(call) == (Reason.TIMEOUT, "timeout")
    assert time.monotonic() - started < 0.8


def test_the_key_never_reaches_meta_errors_or_logs(httpserver, caplog):
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    provider, creds = _provider(httpserver), Credentials(KEY)
    _serve(httpserver, "/api/v1/flexi/point", POINT)
    _serve(httpserver, "/api/v1/flexi/time_machine", TIME_MACHINE)
    answers = [provider.current(LONDON, [], creds), provider.history(PRAGUE, _day(), [], creds)]
    httpserver.clear()
    errors = []
    for status in (200, 401, 500):
        _serve(httpserver, "/api/v1/flexi/point", MISSING_KEY, status=status)
        with pytest.raises(ProviderUnavailable) as info:
            provider.current(LONDON, [], creds)
        errors.append(info.value)
        httpserver.clear()

    texts = [json.dumps(a.meta, default=str) + repr(a) for a in answers]
    texts += [str(e) + repr(e.args) for e in errors]
    texts += [
        JsonFormatter().format(r) for r in caplog.records if not r.name.startswith("werkzeug")
    ]
    assert any("meteosource" in t for t in texts)  # the client did log the calls
    assert not [t for t in texts if KEY in t]


def test_the_icon_number_decides_when_the_text_is_unknown(httpserver):
    """As with `language=es`: the text is not in the table, icon_num 2 (sunny) still is."""
    body = json.loads(POINT.read_text())
    body["current"]["icon"] = "soleado"
    httpserver.expect_request("/api/v1/flexi/point").respond_with_json(body)
    answer = _provider(httpserver).current(LONDON, ["descripcion_clima"], Credentials(KEY))
    assert answer.readings[0].values == {"descripcion_clima": 0}
