"""MariaDB stopped and started under load: 503 JSON while down, recovery without a restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import requests

from tests.e2e.harness import (
    OPEN_METEO_CURRENT,
    FakeProviders,
    Gunicorn,
    Loops,
    MariaDB,
    bearer,
    open_meteo_stack,
    register,
)

pytestmark = [pytest.mark.e2e, pytest.mark.mysql]
SLOW_S = 6.0  # no answer may take longer than this, up or down (connect_timeout is 5 s)
RECOVERY_S = 15.0


@pytest.fixture
def stack(tmp_path) -> Iterator[tuple[MariaDB, Gunicorn, FakeProviders]]:
    with open_meteo_stack(tmp_path) as (db, server, fake, _):
        yield db, server, fake


class Load(Loops):
    """Three bounded request loops (health, me, my queries) recording every outcome."""

    PATHS = ("/api/health", "/api/auth/me", "/api/consultas/mis-consultas")

    def __init__(self, url: str, token: str, max_s: float = 60.0, slow_s: float = SLOW_S) -> None:
        self.url, self.headers, self.max_s, self.slow_s = url, bearer(token), max_s, slow_s
        self.results: list[tuple[float, str, int, float, dict | None, dict]] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._loop, args=(p,)) for p in self.PATHS]
        self.join_timeout_s = slow_s + 5

    def _loop(self, path: str) -> None:
        end = time.monotonic() + self.max_s
        while not self._stop.is_set() and time.monotonic() < end:
            started = time.monotonic()
            try:
                resp = requests.get(self.url + path, headers=self.headers, timeout=self.slow_s + 4)
                status, headers = resp.status_code, resp.headers
                try:
                    doc = resp.json()
                except ValueError:
                    doc = None
            except requests.RequestException as exc:
                status, doc, headers = 0, {"transport": type(exc).__name__}, {}
            with self._lock:
                self.results.append(
                    (started, path, status, time.monotonic() - started, doc, headers)
                )
            time.sleep(0.05)

    def between(self, start: float, end: float) -> list[tuple]:
        with self._lock:
            return [r for r in self.results if start <= r[0] < end]


def _queries(url: str, token: str) -> list[dict]:
    resp = requests.get(f"{url}/api/consultas/mis-consultas", headers=bearer(token), timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()["consultas"]


def test_database_outage_answers_503_json_and_recovers_without_restart(stack):
    db, server, fake = stack
    fake.behave(OPEN_METEO_CURRENT, "ok")
    user = register(server.url, "resiliente")
    token = user["access_token"]
    made = requests.post(
        f"{server.url}/api/consultas/tiempo-real",
        json={"latitud": 6.25, "longitud": -75.56},
        headers=bearer(token),
        timeout=15,
    )
    assert made.status_code == 201, made.text
    before = _queries(server.url, token)
    assert len(before) == 1

    with Load(server.url, token) as load:
        time.sleep(1.5)  # healthy load on both workers
        t_down = time.monotonic()
        db.stop()
        time.sleep(4.0)  # every loop meets the outage, with connections already pooled
        t_up = time.monotonic()
        db.start()
        deadline = t_up + RECOVERY_S
        recovered_at = None
        while time.monotonic() < deadline:
            recent = load.between(time.monotonic() - 1.0, time.monotonic())
            if len(recent) >= 6 and all(r[2] == 200 for r in recent):
                recovered_at = time.monotonic()
                break
            time.sleep(0.2)
        time.sleep(1.0)
        t_end = time.monotonic()

    healthy = [r for r in load.between(0, t_down) if r[0] + r[3] < t_down]  # done before
    assert healthy and {r[2] for r in healthy} == {200}
    everything = load.results
    assert max(r[3] for r in everything) < SLOW_S, "a request hung"
    assert not [r for r in everything if r[2] == 0], "a request failed at the transport level"
    assert not [r for r in everything if r[2] >= 500 and r[2] != 503], "a 5xx other than 503"

    outage = [r for r in load.between(t_down + 0.5, t_up) if r[2] != 200]
    assert {r[1] for r in outage} == set(Load.PATHS), "some route never saw the outage"
    for _t, path, status, _e, doc, headers in outage:
        assert status == 503, (path, status, doc)
        assert headers.get("Content-Type", "").startswith("application/json"), (path, headers)
        if path == "/api/health":
            assert doc == {"estado": "degradado", "base_de_datos": "error"}
        else:
            assert doc["error"] == "base_de_datos_no_disponible", doc
            assert "Traceback" not in str(doc) and "pymysql" not in str(doc).lower()
            assert int(headers["Retry-After"]) > 0

    assert recovered_at is not None, "the API did not recover within the bound"
    after = load.between(recovered_at, t_end)
    assert {r[2] for r in after} == {200}
    assert _queries(server.url, token) == before, "the query stored before the outage changed"
    assert server.proc is not None and server.proc.poll() is None  # the same gunicorn
    print(f"recovered {recovered_at - t_up:.2f} s after mariadbd was started again")
