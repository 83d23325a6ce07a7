"""A database that stalls (accepts, never answers): 503 + Retry-After within the timeouts."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.e2e.harness import (
    PASSWORD,
    Gunicorn,
    MariaDB,
    SilentListener,
    app_env,
    bearer,
    login,
    register,
)
from tests.e2e.test_faults_db import Load

pytestmark = [pytest.mark.e2e, pytest.mark.mysql]
READ_TIMEOUT_S = 2
POOL_TIMEOUT_S = 1
# One wait bounded by the read timeout: a pooled connection's statement that times out is not
# retried on a new connection (that would wait as long again), and a new connection's handshake
# has the same bound; a thread may first wait for a pool slot. Plus a margin for a loaded machine.
BOUND_S = READ_TIMEOUT_S + POOL_TIMEOUT_S + 1.5
RECOVERY_S = 15.0
TIMEOUTS = {"DB_READ_TIMEOUT": str(READ_TIMEOUT_S), "DB_WRITE_TIMEOUT": str(READ_TIMEOUT_S)}
TIMEOUTS["DB_POOL_TIMEOUT"] = str(POOL_TIMEOUT_S)


def _timed(method: str, url: str, **kwargs) -> tuple[float, requests.Response | None]:
    started = time.monotonic()
    try:
        resp = requests.request(method, url, timeout=BOUND_S + 10, **kwargs)
    except requests.RequestException:
        resp = None  # the client gave up: the server held the request
    return time.monotonic() - started, resp


def _assert_unavailable(path: str, elapsed: float, resp: requests.Response | None) -> None:
    assert resp is not None, f"{path} held for {elapsed:.1f} s without an answer"
    assert elapsed < BOUND_S, (path, elapsed)
    assert resp.status_code == 503, (path, resp.status_code, resp.text)
    assert resp.headers["Content-Type"].startswith("application/json")
    if path == "/api/health":
        assert resp.json() == {"estado": "degradado", "base_de_datos": "error"}
    else:
        assert resp.json()["error"] == "base_de_datos_no_disponible", resp.text
        assert int(resp.headers["Retry-After"]) > 0


def _login_body(username: str = "nadie") -> dict:
    return {"json": {"username": username, "password": PASSWORD}}


def test_a_silent_listener_as_database_answers_503_within_the_timeouts(tmp_path: Path):
    """Pool of one: the other concurrent requests wait at most DB_POOL_TIMEOUT for it."""
    with SilentListener() as silent:
        url = f"mysql+pymysql://root:@127.0.0.1:{silent.port}/climaguru?charset=utf8mb4"
        env = app_env(tmp_path, url, DB_POOL_SIZE="1", DB_MAX_OVERFLOW="0", **TIMEOUTS)
        with Gunicorn(env, tmp_path, workers=1, threads=4, ready_path="/api/openapi.json") as app:
            calls = [("GET", "/api/health", {}), ("POST", "/api/auth/login", _login_body())] * 2
            with ThreadPoolExecutor(len(calls)) as pool:
                futures = [pool.submit(_timed, m, app.url + p, **kw) for m, p, kw in calls]
                answers = [(p, *f.result()) for (_m, p, _kw), f in zip(calls, futures, strict=True)]
            for method, path, kwargs in calls:  # one at a time: each its own attempt
                answers.append((path, *_timed(method, app.url + path, **kwargs)))
            for path, elapsed, resp in answers:
                _assert_unavailable(path, elapsed, resp)
            assert silent.accepted >= 1, "the app never reached the listener"
            assert app.proc is not None and app.proc.poll() is None
    print("silent listener, seconds per answer:", [f"{e:.2f}" for _p, e, _r in answers])


def test_a_frozen_mariadbd_answers_503_then_recovers_by_itself(tmp_path: Path):
    """kill -STOP of a private mariadbd under load, then kill -CONT."""
    db = MariaDB(tmp_path / "mariadb").start()
    try:
        env = app_env(tmp_path, db.create_database(), **TIMEOUTS)
        with Gunicorn(env, tmp_path, workers=2, threads=4) as app:
            token = register(app.url, "paciente")["access_token"]
            login_during = _run_stall(db, app, token)
    finally:
        db.stop()
    print(f"login while frozen answered in {login_during:.2f} s")


def _run_stall(db: MariaDB, app: Gunicorn, token: str) -> float:
    with Load(app.url, token, slow_s=BOUND_S) as load:
        time.sleep(1.5)  # healthy, with connections pooled in both workers
        t_stop = time.monotonic()
        db.pause()
        try:
            time.sleep(0.5)
            login_elapsed, login_resp = _timed("POST", app.url + "/api/auth/login", **_login_body())
            time.sleep(max(0.0, 3 * READ_TIMEOUT_S + 1 - (time.monotonic() - t_stop)))
        finally:
            t_cont = time.monotonic()
            db.resume()
        recovered_at = _wait_recovery(load, t_cont)
        time.sleep(1.0)
        t_end = time.monotonic()

    _assert_unavailable("/api/auth/login", login_elapsed, login_resp)
    results = load.results
    assert not [r for r in results if r[2] == 0], "a request got no answer"
    slowest = max(r[3] for r in results)
    assert slowest < BOUND_S, f"a request took {slowest:.2f} s"
    assert {r[2] for r in results} <= {200, 503}
    healthy = [r for r in load.between(0, t_stop) if r[0] + r[3] < t_stop]
    assert healthy and {r[2] for r in healthy} == {200}
    stalled = [r for r in load.between(t_stop + 0.2, t_cont) if r[0] + r[3] < t_cont]
    assert {r[1] for r in stalled if r[2] == 503} == set(Load.PATHS), "a route never saw it"
    assert {r[2] for r in stalled} == {503}, "an answer during the stall was not 503"
    for _t, path, _status, _elapsed, doc, headers in [r for r in results if r[2] == 503]:
        if path == "/api/health":
            assert doc == {"estado": "degradado", "base_de_datos": "error"}
        else:
            assert doc["error"] == "base_de_datos_no_disponible", doc
            assert int(headers["Retry-After"]) > 0
    assert recovered_at is not None, "the API did not recover by itself"
    assert {r[2] for r in load.between(recovered_at, t_end)} == {200}
    again = login(app.url, "paciente")  # the route that answered 503 while frozen
    me = requests.get(app.url + "/api/auth/me", headers=bearer(again["access_token"]), timeout=10)
    assert me.status_code == 200, me.text
    assert app.proc is not None and app.proc.poll() is None  # the same gunicorn
    print(
        f"frozen {t_cont - t_stop:.1f} s; slowest answer {slowest:.2f} s; "
        f"recovered {recovered_at - t_cont:.2f} s after SIGCONT"
    )
    return login_elapsed


def _wait_recovery(load: Load, since: float) -> float | None:
    deadline = since + RECOVERY_S
    while time.monotonic() < deadline:
        now = time.monotonic()
        recent = load.between(now - 1.0, now)
        if len(recent) >= 6 and all(r[2] == 200 for r in recent):
            return now
        time.sleep(0.2)
    return None
