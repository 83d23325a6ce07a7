"""SQLite as the embedded default: a long write never blocks authenticated reads.

A big history query is stored in one transaction that holds SQLite's write lock for as long
as it takes to write its series. Two gunicorn workers must keep answering /api/auth/me and
mis-consultas meanwhile: with WAL, readers see the last committed state and take no lock,
and read units of work begin with a plain (deferred) BEGIN, never BEGIN IMMEDIATE. Before
issue 15 a listing began with the abandoned-query sweep in a write unit of work, so it
queued behind the writer for up to the 30 s busy timeout.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime

import pytest
import requests

from climaguru.migrations import upgrade
from tests.e2e.harness import Gunicorn, app_env, bearer, register

pytestmark = [pytest.mark.e2e]
HOLD_S = 4.0
FAST_S = 1.0  # far below the 30 s busy timeout a blocked reader would wait


def _long_write(path: str, holding: threading.Event, done: threading.Event) -> None:
    """The writer of a big series: BEGIN IMMEDIATE, many rows, commit only after HOLD_S."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        conn.execute("BEGIN IMMEDIATE")
        at = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
        rows = ((f"serie-larga-{i}", at) for i in range(100_000))
        conn.executemany("INSERT INTO intentos_login (clave, ocurrido_en) VALUES (?, ?)", rows)
        holding.set()
        done.wait(HOLD_S)
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_a_long_write_does_not_block_auth_me_or_my_queries_on_two_workers(tmp_path):
    path = tmp_path / "climaguru.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    env = app_env(tmp_path, url)
    with Gunicorn(env, tmp_path, workers=2, threads=4) as server:
        token = register(server.url, "lectora")["access_token"]
        holding, done = threading.Event(), threading.Event()
        writer = threading.Thread(target=_long_write, args=(str(path), holding, done))
        writer.start()
        try:
            assert holding.wait(30), "the writer never took the lock"
            timings = []
            end = time.monotonic() + HOLD_S - 1.0
            while time.monotonic() < end:  # both workers answer, the lock still held
                for route in ("/api/auth/me", "/api/consultas/mis-consultas?per_page=10"):
                    started = time.monotonic()
                    resp = requests.get(server.url + route, headers=bearer(token), timeout=10)
                    timings.append((route, resp.status_code, time.monotonic() - started))
            assert writer.is_alive(), "the write ended before the reads: nothing was shown"
        finally:
            done.set()
            writer.join(30)
    assert {status for _, status, _ in timings} == {200}, timings
    slowest = max(seconds for _, _, seconds in timings)
    assert slowest < FAST_S, f"a read waited {slowest:.2f} s behind the writer"
    assert len(timings) >= 10
