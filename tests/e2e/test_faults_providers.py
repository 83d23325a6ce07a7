"""Providers under fault through gunicorn: silent upstreams keep the deadline; quotas hold."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.e2e.harness import (
    METEOSOURCE_CURRENT,
    OPEN_METEO_CURRENT,
    OWM_CURRENT,
    FakeProviders,
    Gunicorn,
    app_env,
    bearer,
    my_queries,
    register,
    stored_query,
)

pytestmark = [pytest.mark.e2e, pytest.mark.mysql]
PROVIDER_TIMEOUT, QUERY_DEADLINE, WORKER_TIMEOUT = 1.5, 3.0, 10
MARGIN_S = 1.5  # the request's own DB work and HTTP on a loaded 2-core machine


@pytest.fixture
def fake() -> FakeProviders:
    with FakeProviders() as server:
        yield server


def _db_url(mysql_engine) -> str:
    return mysql_engine.url.render_as_string(hide_password=False)


def _query(url: str, token: str, lat: float, lon: float) -> tuple[requests.Response, float]:
    started = time.monotonic()
    resp = requests.post(
        f"{url}/api/consultas/tiempo-real",
        json={"latitud": lat, "longitud": lon},
        headers=bearer(token),
        timeout=WORKER_TIMEOUT + 5,
    )
    return resp, time.monotonic() - started


def _parallel(calls, workers: int) -> list:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda call: call(), calls))


def _stored(url: str, token: str) -> list[dict]:
    """Every query of the user, in full (provider answers included)."""
    return [stored_query(url, token, q["id"]) for q in my_queries(url, token)]


def test_silent_providers_cannot_hold_a_request_past_the_deadline(tmp_path, mysql_engine, fake):
    fake.behave(OPEN_METEO_CURRENT, "hang")  # accepts, reads the request, never answers
    fake.behave(OWM_CURRENT, "stall")  # status and headers, ten bytes of body, then nothing
    fake.behave(METEOSOURCE_CURRENT, "trickle", 0.5)  # a byte every 0.5 s: no read times out
    env = app_env(
        tmp_path,
        _db_url(mysql_engine),
        OPENMETEO_FORECAST_URL=fake.origin,
        OPENWEATHER_BASE_URL=fake.origin,
        OPENWEATHER_API_KEY="clave-del-sistema",
        METEOSOURCE_BASE_URL=fake.origin,
        METEOSOURCE_API_KEY="clave-del-sistema",
        PROVIDERS_ENABLED="open_meteo,openweathermap,meteosource",
        PROVIDER_TIMEOUT=str(PROVIDER_TIMEOUT),
        QUERY_DEADLINE=str(QUERY_DEADLINE),
    )
    # 12 threads a worker: gthread accepts past its thread count, so with fewer threads one
    # worker may hold more of the 12 queries than it can run and queue some behind a deadline.
    with Gunicorn(env, tmp_path, workers=2, threads=12, timeout=WORKER_TIMEOUT) as server:
        token = register(server.url, "paciente")["access_token"]
        points = [(6.0 + 0.01 * i, -75.5) for i in range(12)]
        t0 = time.monotonic()
        results = _parallel([lambda p=p: _query(server.url, token, *p) for p in points], 12)
        wall = time.monotonic() - t0
        stored = _stored(server.url, token)
        # The trickled calls outlive the deadline on their pool threads (a read never times
        # out); closing the fake ends them, else SIGTERM waits out graceful_timeout.
        fake.close()
        t_stop = time.monotonic()
        stderr = server.stop()
        stop_s = time.monotonic() - t_stop

    slowest = max(elapsed for _resp, elapsed in results)
    print(f"12 silent queries: slowest {slowest:.2f} s, all done in {wall:.2f} s")
    print(f"gunicorn stopped in {stop_s:.2f} s")
    assert slowest < QUERY_DEADLINE + MARGIN_S
    for resp, _elapsed in results:
        assert resp.status_code == 502, resp.text
        assert int(resp.headers["Retry-After"]) > 0
        assert resp.json()["error"] == "sin_datos", resp.json()
    for prefix in (OPEN_METEO_CURRENT, OWM_CURRENT, METEOSOURCE_CURRENT):
        assert fake.count(prefix) >= 12, prefix
    assert len(stored) == 12
    for doc in stored:
        assert doc["consulta"]["estado"] == "error", doc
        for name in ("open_meteo", "openweathermap", "meteosource"):
            assert doc["proveedores"][name]["estado"] == "error", doc
            assert doc["proveedores"][name]["motivo"] == "timeout", doc
    assert "WORKER TIMEOUT" not in stderr
    assert "Traceback" not in stderr


def test_forty_parallel_queries_on_a_key_limited_to_five_call_the_provider_five_times(
    tmp_path, mysql_engine, fake
):
    env = app_env(
        tmp_path,
        _db_url(mysql_engine),
        OPENWEATHER_BASE_URL=fake.origin,
        PROVIDERS_ENABLED="openweathermap",
        PROVIDER_CACHE="sqlite",  # the production default; distinct points never hit it
    )
    with Gunicorn(env, tmp_path, workers=2, threads=8) as server:
        token = register(server.url, "ahorrador")["access_token"]
        made = requests.post(
            f"{server.url}/api/api-keys",
            json={
                "proveedor": "openweathermap",
                "api_key": "clave-de-usuario-0123456789",
                "limite_consultas_diarias": 5,
            },
            headers=bearer(token),
            timeout=10,
        )
        assert made.status_code == 201, made.text
        key_id = made.json()["api_key"]["id"]
        points = [(4.0 + 0.05 * (i // 8), -74.0 - 0.05 * (i % 8)) for i in range(40)]
        results = _parallel([lambda p=p: _query(server.url, token, *p) for p in points], 16)
        key = requests.get(f"{server.url}/api/api-keys/{key_id}", headers=bearer(token), timeout=10)
        stored = _stored(server.url, token)

    assert fake.count(OWM_CURRENT) == 5
    statuses = sorted(resp.status_code for resp, _elapsed in results)
    assert statuses == [201] * 5 + [429] * 35, statuses
    spent = [resp for resp, _elapsed in results if resp.status_code == 429]
    assert {resp.json()["error"] for resp in spent} == {"cuota_agotada"}
    assert all(0 < int(resp.headers["Retry-After"]) <= 86_401 for resp in spent)
    answered = [s for s in stored if s["proveedores"]["openweathermap"]["estado"] == "ok"]
    refused = [
        s for s in stored if s["proveedores"]["openweathermap"].get("codigo") == "cuota_agotada"
    ]
    assert len(stored) == 40 and len(answered) == 5 and len(refused) == 35
    assert all(s["consulta"]["estado"] == "completada" for s in answered)
    assert key.json()["api_key"]["consultas_hoy"] == 5
