"""/metrics under gunicorn (deploy/gunicorn.conf.py, 2 workers, MariaDB): counts add up.

Half the queries go to the first workers, one of which is then stopped (gunicorn replaces
it), the other half to the survivors: whichever worker answers a scrape, it shows what every
worker counted, the stopped one included. A configured directory's old files are cleared.
"""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.mmap_dict import MmapedDict, mmap_key

from tests.e2e.harness import OPEN_METEO_CURRENT, FakeProviders, Gunicorn, app_env, bearer
from tests.e2e.harness import register as register_user
from tests.metrics_scrape import parse, requests_by, series, value

pytestmark = [pytest.mark.e2e, pytest.mark.mysql]
HALF = 8  # queries before and after a worker is replaced
QUERIES = 2 * HALF
QUERY_ROUTE = ("/api/consultas/tiempo-real", "POST", "201")


def _scrape(url: str) -> dict:
    answer = requests.get(f"{url}/metrics", timeout=10)
    assert answer.status_code == 200
    return parse(answer.text)


def _query(url: str, token: str, n: int) -> int:
    body = {"latitud": 6.0 + 0.001 * n, "longitud": -75.5, "proveedores": ["open_meteo"]}
    return requests.post(
        f"{url}/api/consultas/tiempo-real", json=body, headers=bearer(token), timeout=20
    ).status_code


def _wait_until_gone(pid: int, deadline_s: float = 20.0) -> None:
    """Until the master has reaped the worker (its child_exit hook has run)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail(f"worker {pid} did not exit")


@pytest.mark.parametrize("configured", [False, True], ids=["default-dir", "configured-dir"])
def test_counts_of_every_worker_add_up_in_one_scrape(tmp_path, mysql_engine, configured):
    """Default: gunicorn.conf.py makes and exports a directory itself. Configured: the
    operator's directory, where a previous run's counts must be cleared on start."""
    stale = tmp_path / "prom" / "counter_999999.db"
    with FakeProviders() as fake:
        env = app_env(
            tmp_path,
            mysql_engine.url.render_as_string(hide_password=False),
            OPENMETEO_FORECAST_URL=fake.origin,
            PROVIDERS_ENABLED="open_meteo",
        )
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        if configured:
            _plant_old_count(stale)
            env["PROMETHEUS_MULTIPROC_DIR"] = str(stale.parent)
        with Gunicorn(env, tmp_path, workers=2, threads=4) as server:
            assert not stale.exists()
            token = register_user(server.url, "contadora")["access_token"]
            _run_queries(server.url, token, range(HALF))
            first = server.pids(201, "/api/consultas/tiempo-real")
            gone = min(first)
            os.kill(gone, signal.SIGTERM)  # gunicorn replaces it; what it counted must stay
            _wait_until_gone(gone)
            _run_queries(server.url, token, range(HALF, 2 * HALF))
            answered = server.pids(201, "/api/consultas/tiempo-real")
            assert len(answered) >= 2 and gone in answered  # so the counts span workers
            assert fake.count(OPEN_METEO_CURRENT) == 2 * HALF
            for samples in [_scrape(server.url) for _ in range(6)]:  # whichever worker answers
                _assert_session(samples)


def _run_queries(url: str, token: str, numbers: range) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda n: _query(url, token, n), numbers))
    assert statuses == [201] * len(numbers)


def _plant_old_count(path) -> None:
    """A previous run's file: 5 registrations that this run must not inherit."""
    path.parent.mkdir()
    old = MmapedDict(str(path))
    labels = ("route", "method", "status")
    key = mmap_key(
        "climaguru_http_requests", "climaguru_http_requests_total", labels,
        ("/api/auth/register", "POST", "201"), "Peticiones HTTP respondidas, por plantilla de ruta",
    )  # fmt: skip
    old.write_value(key, 5.0, 0.0)
    old.close()


def _assert_session(samples: dict) -> None:
    counted = requests_by(samples)
    assert counted[QUERY_ROUTE] == QUERIES
    assert counted[("/api/auth/register", "POST", "201")] == 1
    duration = "climaguru_http_request_duration_seconds_count"
    assert value(samples, duration, route=QUERY_ROUTE[0], method="POST") == QUERIES
    calls = "climaguru_provider_calls_total"
    assert value(samples, calls, provider="open_meteo", outcome="ok") == QUERIES
    assert (
        series(samples, "climaguru_queries")[(("state", "completada"), ("type", "tiempo_real"))]
        == QUERIES
    )
    assert value(samples, "climaguru_database_unavailable_responses_total") == 0
