"""POST /api/consultas/pronostico through the real adapters and the app, on SQLite and MariaDB.

A loopback server answers Open-Meteo `/v1/forecast` (16 days), OpenWeatherMap One Call
(48 hourly steps, 8 days) and Meteoblue `basic-1h_basic-day` (7 days) in the shapes of the
published samples (tests/fixtures/provider-samples), generated at request time from the app's
clock so each answer starts where a live one would. Meteosource has no key (sin_clave).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from dependency_injector import providers
from falcon import testing
from werkzeug import Response

from adapters.sql.tables import consultas, series_clima
from climaguru.app import create_app
from tests.conftest import app_env, container_of, open_meteo_at
from tests.unit.http.helpers import bearer, register

BOGOTA = ZoneInfo("America/Bogota")
PLACE = {"latitud": 4.61, "longitud": -74.08, "ciudad": "Bogotá"}
PATH = "/api/consultas/pronostico"


def _hour(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _json(body: dict) -> Response:
    return Response(json.dumps(body), content_type="application/json")


def open_meteo(request, now: datetime) -> Response:
    """`forecast_days` local days of hours from local midnight today, as /v1/forecast does."""
    days = int(request.args["forecast_days"])
    today = now.astimezone(BOGOTA).date()
    start = datetime.combine(today, time(0))
    times = [(start + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M") for h in range(24 * days)]
    block = {"time": times, "temperature_2m": [20.0] * len(times)}
    block["precipitation_probability"] = [30] * len(times)
    units = {"time": "iso8601", "temperature_2m": "°C", "precipitation_probability": "%"}
    if "daily" in request.args:
        dates = [(today + timedelta(days=k)).isoformat() for k in range(days)]
        daily = {"time": dates, "temperature_2m_max": [26.0] * days}
        daily["precipitation_probability_max"] = [60] * days
        units_d = {
            "time": "iso8601",
            "temperature_2m_max": "°C",
            "precipitation_probability_max": "%",
        }
        return _json({"utc_offset_seconds": -18000, "daily": daily, "daily_units": units_d})
    return _json({"utc_offset_seconds": -18000, "hourly": block, "hourly_units": units})


def one_call(request, now: datetime) -> Response:
    """48 hourly steps from the current hour and 8 days, whatever is asked (One Call 3.0)."""
    first = _hour(now)
    hourly = [
        {"dt": int((first + timedelta(hours=h)).timestamp()), "temp": 21.0, "pop": 0.5}
        for h in range(48)
    ]
    today = now.astimezone(BOGOTA).date()
    daily = [
        {
            "dt": int(datetime.combine(today + timedelta(days=k), time(12), BOGOTA).timestamp()),
            "temp": {"min": 14.0, "max": 25.0, "morn": 16, "day": 23, "eve": 20, "night": 15},
            "pop": 0.2,
        }
        for k in range(8)
    ]
    return _json({"timezone": "America/Bogota", "timezone_offset": -18000,
                  "hourly": hourly, "daily": daily})  # fmt: skip


def meteoblue(request, now: datetime) -> Response:
    """`forecast_days` days of hours from local midnight and of days (basic-1h_basic-day)."""
    days = int(request.args["forecast_days"])
    midnight = datetime.combine(now.astimezone(BOGOTA).date(), time(0), BOGOTA)
    hours = [int((midnight + timedelta(hours=h)).timestamp()) for h in range(24 * days)]
    day_stamps = [int((midnight + timedelta(days=k)).timestamp()) for k in range(days)]
    return _json({
        "metadata": {"modelrun_utc": int(_hour(now).timestamp()) - 7200,
                     "utc_timeoffset": -5.0},
        "units": {"temperature": "C", "precipitation_probability": "percent"},
        "data_1h": {"time": hours, "temperature": [22.0] * len(hours),
                    "precipitation_probability": [40] * len(hours)},
        "data_day": {"time": day_stamps, "temperature_mean": [22.0] * days,
                     "temperature_max": [27.0] * days},
    })  # fmt: skip


UPSTREAMS = {
    "/v1/forecast": open_meteo,
    "/data/3.0/onecall": one_call,
    "/packages/basic-1h_basic-day": meteoblue,
}
# Every provider at the loopback origin; system keys for the keyed ones but Meteosource.
ORIGINS = ("OPENWEATHER_BASE_URL", "METEOBLUE_BASE_URL", "METEOSOURCE_BASE_URL")
KEYS = {"OPENWEATHER_API_KEY": "owm-sistema-1234", "METEOBLUE_API_KEY": "mb-sistema-1234"}
KEYS["METEOBLUE_API_SECRET"] = "mb-secreto-1234"
LIMITS = {"PROVIDER_TIMEOUT": "2", "QUERY_DEADLINE": "4", "HISTORY_INLINE_POINTS": "1000"}


@pytest.fixture
def app(sql_url, httpserver, tmp_path, clock):
    """The app and its upstreams on one clock (`clock`, fixed at the real now): an upstream
    reading the real clock would start its steps an hour later than the app's hour of issue
    when the hour turns between the two (the first step then lacked One Call's value)."""
    origin = httpserver.url_for("").rstrip("/")
    env = {**open_meteo_at(origin), **dict.fromkeys(ORIGINS, origin), **KEYS, **LIMITS}
    env = app_env(DATABASE_URL=sql_url, CLIMAGURU_DATA_DIR=str(tmp_path), **env)
    for path, answer in UPSTREAMS.items():
        httpserver.expect_request(path).respond_with_handler(
            lambda request, answer=answer: answer(request, clock())
        )
    container = container_of(env)
    container.clock.override(providers.Object(clock))
    client = testing.TestClient(create_app(container))
    auth = bearer(register(client, "agronoma")["access_token"])
    yield client, auth, sa.create_engine(sql_url)
    container.engine().dispose()


def _calls(httpserver, path: str) -> int:
    return sum(1 for request, _ in httpserver.log if request.path == path)


def _local_end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), BOGOTA).astimezone(UTC)


def test_sixteen_hourly_days_n_fuentes_falls_at_each_horizon(app, httpserver):
    client, auth, engine = app
    result = client.simulate_post(PATH, json={**PLACE, "dias": 16}, headers=auth)
    assert result.status_code == 201, result.json
    body = result.json
    issued = datetime.fromisoformat(body["pronostico"]["emitido_en"])
    first = _hour(issued)
    today = issued.astimezone(BOGOTA).date()
    steps = {
        datetime.fromisoformat(p["instante"]).astimezone(UTC): p["consenso"]["temperatura"]
        for p in body["serie"]
    }
    assert min(steps) == first and body["serie_total"] == len(steps)
    assert max(steps) == _local_end(today + timedelta(days=15)) - timedelta(hours=1)
    expected = {}
    for instant in steps:
        end = instant + timedelta(hours=1)
        expected[instant] = (
            1
            + (end <= first + timedelta(hours=48))  # OpenWeatherMap: 48 hours
            + (end <= _local_end(today + timedelta(days=6)))  # Meteoblue: 7 local days
        )
    assert {t: v["n_fuentes"] for t, v in steps.items()} == expected
    last = steps[max(steps)]
    assert {"fuente": "openweathermap", "motivo": "fuera_de_horizonte"} in last["descartadas"]
    assert {"fuente": "meteoblue", "motivo": "fuera_de_horizonte"} in last["descartadas"]
    assert {"fuente": "meteosource", "motivo": "fuera_de_horizonte"} in last["descartadas"]
    assert {"fuente": "meteosource", "motivo": "sin_clave"} in steps[first]["descartadas"]
    assert steps[first]["valor"] == 21.0  # mean of 20, 21, 22
    assert body["proveedores"]["ideam"]["estado"] == "omitido"
    assert body["proveedores"]["siata"]["estado"] == "omitido"
    reach = body["pronostico"]["horizontes"]
    assert reach["openweathermap"]["limite"] == (first + timedelta(hours=48)).isoformat().replace(
        "+00:00", "Z"
    )
    assert reach["open_meteo"]["modelo"] == "best_match" and "emitido_en" in reach["meteoblue"]
    assert body["pronostico"]["horizonte_efectivo"] == body["serie"][-1]["instante"]
    origin = {o["fuente"]: o for o in steps[first]["procedencia"]}
    assert origin["open_meteo"]["modelo"] == "best_match" and origin["meteoblue"]["emitido_en"]
    with engine.connect() as conn:
        row = conn.execute(sa.select(consultas)).one()
        assert (row.tipo_consulta, row.estado) == ("pronostico", "completada")
        count = sa.select(sa.func.count()).select_from(series_clima)
        assert conn.execute(count).scalar() == len(steps)


def test_daily_days_follow_the_daily_horizons(app):
    client, auth, _ = app
    body = client.simulate_post(
        PATH, json={**PLACE, "dias": 10, "granularidad": "diaria",
                    "parametros": ["temperatura_max", "probabilidad_precipitacion"]},
        headers=auth,
    ).json  # fmt: skip
    counts = [p["consenso"]["temperatura_max"]["n_fuentes"] for p in body["serie"]]
    assert counts == [3] * 7 + [2] + [1] * 2  # Meteoblue 7 days, OpenWeatherMap 8, Open-Meteo
    assert body["serie"][0]["instante"].endswith("T00:00:00-05:00")
    assert body["serie"][0]["consenso"]["temperatura_max"]["valor"] == 26.0


def test_a_second_identical_call_is_answered_from_the_cache_and_charges_nothing(app, httpserver):
    client, auth, _ = app
    for _ in range(2):
        assert (
            client.simulate_post(PATH, json={**PLACE, "dias": 3}, headers=auth).status_code == 201
        )
    assert _calls(httpserver, "/v1/forecast") == 1
    assert _calls(httpserver, "/data/3.0/onecall") == 1
    assert _calls(httpserver, "/packages/basic-1h_basic-day") == 1
    stats = client.simulate_get("/api/reportes/estadisticas", headers=auth).json
    used = {u["proveedor"]: u["usadas_hoy"] for u in stats["claves_sistema_hoy"]}
    assert used == {"openweathermap": 1, "meteoblue": 1}
    # Another `dias`: another forecast_days upstream; One Call answers every horizon at once.
    again = client.simulate_post(PATH, json={**PLACE, "dias": 4}, headers=auth)
    assert again.status_code == 201 and again.json["pronostico"]["dias"] == 4
    assert _calls(httpserver, "/v1/forecast") == 2
    assert _calls(httpserver, "/packages/basic-1h_basic-day") == 2
    assert _calls(httpserver, "/data/3.0/onecall") == 1
    days = {datetime.fromisoformat(p["instante"]).date() for p in again.json["serie"]}
    assert len(days) == 4


def test_forecasts_are_listed_by_type_and_downloaded_as_csv(app):
    client, auth, _ = app
    made = client.simulate_post(PATH, json={**PLACE, "dias": 2}, headers=auth).json
    client.simulate_post(
        "/api/consultas/tiempo-real", json=PLACE, headers=auth
    )  # another type, not listed below
    page = client.simulate_get(
        "/api/consultas/mis-consultas", params={"tipo": "pronostico"}, headers=auth
    ).json
    assert [q["id"] for q in page["consultas"]] == [made["consulta"]["id"]]
    query_id = made["consulta"]["id"]
    download = client.simulate_get(
        f"/api/consultas/{query_id}/descargar", params={"formato": "csv"}, headers=auth
    )
    assert download.status_code == 200
    records = list(csv.reader(io.StringIO(download.text)))
    header = {r[0]: r[1:] for r in records if r and r[0] and r[0] != "horizonte"}
    assert header["tipo_consulta"][0] == "pronostico" and header["pronostico"][0] == "si"
    assert header["emitido_en"][0] == made["pronostico"]["emitido_en"]
    horizons = {r[1]: r[2] for r in records if r and r[0] == "horizonte"}
    assert (
        horizons["openweathermap"] == made["pronostico"]["horizontes"]["openweathermap"]["limite"]
    )
    table = records[records.index(next(r for r in records if r and r[0] == "instante")) :]
    assert len(table) - 1 == made["serie_total"]
    chance = table[0].index("probabilidad_precipitacion (%)")
    assert float(table[1][chance]) == pytest.approx(40.0)  # 30, 50, 40
