"""Meteosource `point` forecasts against a loopback server serving Meteosource's samples."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from adapters.providers.http_client import ProviderHttp
from adapters.providers.meteosource import MeteosourceProvider
from climaguru.logging_setup import JsonFormatter, configure_logging
from domain.model.consensus import Reason
from domain.model.horizon import Horizon, HorizonUnit
from domain.model.location import Location
from domain.model.readings import Credentials, DataKind, Granularity
from ports.providers import ProviderUnavailable
from tests.integration.providers.helpers import failure

SAMPLES = Path(__file__).parents[2] / "fixtures" / "provider-samples" / "meteosource"
POINT = SAMPLES / "point-flexi-all-sections-london.json"  # timezone=UTC, a paid tier
MISSING_KEY = SAMPLES / "docs-error-missing-key.json"
KEY = "CLAVE-ms-pronostico-77"
LONDON = Location(51.50853, -0.12574)
NOW = datetime(2021, 9, 8, 8, 40, tzinfo=UTC)  # before the sample's first hourly item (09:00)
HOURLY = ["temperatura", "velocidad_viento", "probabilidad_precipitacion", "visibilidad"]
DAILY = ["temperatura", "temperatura_min", "temperatura_max", "probabilidad_precipitacion"]


def serve(httpserver, tier: str, data: bytes, status: int = 200) -> None:
    httpserver.expect_request(f"/api/v1/{tier}/point").respond_with_data(
        data, status=status, content_type="application/json"
    )


def provider(httpserver, tier: str = "flexi") -> MeteosourceProvider:
    http = ProviderHttp("meteosource", httpserver.url_for("/"), timeout=2.0)
    return MeteosourceProvider(http, tier=tier, clock=lambda: NOW)


def queries(httpserver) -> list[dict[str, str]]:
    return [dict(parse_qsl(request.query_string.decode())) for request, _ in httpserver.log]


@pytest.mark.parametrize(
    ("tier", "hourly", "daily"),
    [
        ("free", Horizon(24, HorizonUnit.HOURS), Horizon(7, HorizonUnit.DAYS)),
        ("startup", Horizon(155, HorizonUnit.HOURS), Horizon(30, HorizonUnit.DAYS)),
        ("flexi", Horizon(155, HorizonUnit.HOURS), Horizon(30, HorizonUnit.DAYS)),
    ],
)
def test_horizon_by_tier(httpserver, tier, hourly, daily):
    caps = provider(httpserver, tier).capabilities
    assert (caps.forecast_hourly, caps.forecast_daily) == (hourly, daily)


def test_hourly_forecast_in_canonical_units(httpserver):
    serve(httpserver, "flexi", POINT.read_bytes())
    answer = provider(httpserver).forecast(
        LONDON, 2, Granularity.HOURLY, "UTC", HOURLY, Credentials(KEY)
    )
    (sent,) = queries(httpserver)
    assert sent["sections"] == "hourly,daily" and sent["units"] == "metric"
    assert (sent["timezone"], sent["key"]) == ("UTC", KEY)
    first = datetime(2021, 9, 8, 9, tzinfo=UTC)
    # 09:00..23:00 today and the 24 hours of tomorrow; later items are past the days asked
    assert [r.instant for r in answer.readings] == [first + timedelta(hours=h) for h in range(39)]
    values = answer.readings[0].values
    assert values["temperatura"] == 19.8
    assert values["velocidad_viento"] == pytest.approx(2.6 * 3.6)
    assert values["visibilidad"] == pytest.approx(24140.0)  # km -> m
    assert values["probabilidad_precipitacion"] == 0.0
    assert answer.readings[0].provenance["temperatura"] == {"tipo": "modelo"}
    assert answer.kind is DataKind.MODEL
    assert answer.meta["horizonte"]["horaria"] == {"cantidad": 155, "unidad": "horas"}
    assert KEY not in json.dumps(answer.meta, default=str)


def test_daily_forecast_from_all_day(httpserver):
    serve(httpserver, "flexi", POINT.read_bytes())
    answer = provider(httpserver).forecast(
        LONDON, 16, Granularity.DAILY, "UTC", [*DAILY, "rafaga_viento"], Credentials(KEY)
    )
    assert [r.instant for r in answer.readings] == [
        datetime(2021, 9, 8, tzinfo=UTC) + timedelta(days=k) for k in range(16)
    ]
    first = answer.readings[0].values
    assert (first["temperatura"], first["temperatura_min"], first["temperatura_max"]) == (
        23.2,
        17.5,
        28.0,
    )
    assert first["probabilidad_precipitacion"] == 1.0
    assert first["rafaga_viento"] == pytest.approx(8.8 * 3.6)


def test_the_free_tier_is_cut_at_seven_days(httpserver):
    serve(httpserver, "free", POINT.read_bytes())
    answer = provider(httpserver, "free").forecast(
        LONDON, 16, Granularity.DAILY, "UTC", DAILY, Credentials(KEY)
    )
    assert len(answer.readings) == 7


def test_naive_dates_are_read_in_the_zone_the_answer_names(httpserver):
    serve(httpserver, "flexi", POINT.read_bytes())
    answer = provider(httpserver).forecast(
        LONDON, 1, Granularity.HOURLY, "Europe/London", HOURLY, Credentials(KEY)
    )
    assert queries(httpserver)[0]["timezone"] == "Europe/London"
    # the sample says "timezone": "UTC": 09:00 UTC is 10:00 in London (BST); the day ends at
    # 23:00 UTC, London's midnight
    assert answer.readings[0].instant == datetime(2021, 9, 8, 9, tzinfo=UTC)
    assert answer.readings[-1].instant == datetime(2021, 9, 8, 22, tzinfo=UTC)


def test_no_key_and_nothing_supported_make_no_call(httpserver):
    ms = provider(httpserver)
    assert failure(lambda: ms.forecast(LONDON, 2, Granularity.DAILY, "UTC", DAILY, None)) == (
        Reason.SIN_CLAVE,
        "sin_clave",
    )
    assert failure(
        lambda: ms.forecast(
            LONDON, 2, Granularity.HOURLY, "UTC", ["temperatura_min"], Credentials(KEY)
        )
    ) == (Reason.ERROR, "no_soportado")
    assert httpserver.log == []


def imperial() -> bytes:
    body = json.loads(POINT.read_bytes())
    body["units"] = "us"  # derived in memory: a system we neither ask for nor understand
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("data", "status", "expected"),
    [
        (MISSING_KEY.read_bytes(), 200, (Reason.CLAVE_INVALIDA, "clave_rechazada")),
        (MISSING_KEY.read_bytes(), 401, (Reason.CLAVE_INVALIDA, "http_401")),
        (b"{}", 429, (Reason.ERROR, "limite_del_proveedor")),
        (b'{"lat": "51.5N", "units": "metric"}', 200, (Reason.ERROR, "sin_datos")),
        (imperial(), 200, (Reason.ERROR, "unidades_desconocidas")),
    ],
)
def test_error_answers(httpserver, data, status, expected):
    serve(httpserver, "flexi", data, status)
    ms = provider(httpserver)
    creds = Credentials(KEY)
    assert failure(lambda: ms.forecast(LONDON, 2, Granularity.DAILY, "UTC", DAILY, creds)) == (
        expected
    )


def test_the_key_never_reaches_logs(httpserver, caplog):
    configure_logging("DEBUG")
    caplog.set_level("DEBUG")
    serve(httpserver, "flexi", MISSING_KEY.read_bytes(), 401)
    with pytest.raises(ProviderUnavailable) as info:
        provider(httpserver).forecast(LONDON, 2, Granularity.DAILY, "UTC", DAILY, Credentials(KEY))
    assert KEY not in repr(info.value)
    ours = [JsonFormatter().format(r) for r in caplog.records if not r.name.startswith("werkzeug")]
    assert any("/api/v1/flexi/point" in line for line in ours)
    assert not any(KEY in line for line in ours)
