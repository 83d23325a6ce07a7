"""The shared SQLite provider cache is put in WAL mode robustly (adapters/providers/sqlite_wal).

Workers that start together on a new cache file used to ask SQLite to convert it at the same
moment; SQLite refused one of them at once ("database is locked"), that worker failed to boot
and gunicorn halted. Here a refusal is produced on purpose (another connection holds the write
lock and the conversion may not wait in SQLite's busy handler) and must be waited out.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from adapters.providers import sqlite_wal
from adapters.providers.http_client import make_session
from adapters.providers.sqlite_wal import ensure_wal, sqlite_cache_file


def _journal_mode(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()


def _hold_write_lock(path: Path, seconds: float) -> threading.Thread:
    """Another connection takes the write lock of a rollback-journal file for `seconds`."""
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    con.execute("CREATE TABLE IF NOT EXISTS ocupada (x INTEGER)")
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO ocupada VALUES (1)")

    def release() -> None:
        time.sleep(seconds)
        con.execute("COMMIT")
        con.close()

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def test_a_new_cache_file_is_in_wal_mode_before_requests_cache_opens_it(tmp_path, monkeypatch):
    seen = []

    def converting(path, *args, **kwargs):
        seen.append((Path(path), Path(path).exists()))
        ensure_wal(path, *args, **kwargs)

    monkeypatch.setattr(sqlite_wal, "ensure_wal", converting)
    session = make_session({"backend": "sqlite", "cache_name": str(tmp_path / "cache"),
                            "wal": True})  # fmt: skip

    assert seen == [(tmp_path / "cache.sqlite", False)]  # converted before anything opened it
    assert Path(session.cache.responses.db_path) == tmp_path / "cache.sqlite"
    assert _journal_mode(tmp_path / "cache.sqlite") == "wal"


def test_a_refused_conversion_is_retried_until_the_lock_is_released(tmp_path):
    path = tmp_path / "provider-cache.sqlite"
    holder = _hold_write_lock(path, 0.4)
    with pytest.raises(sqlite3.OperationalError, match="locked"):  # what a worker used to get
        sqlite3.connect(path, timeout=0).execute("PRAGMA journal_mode=WAL")

    started = time.monotonic()
    ensure_wal(path, busy_timeout_s=0)  # no busy handler: every refusal comes back at once

    assert time.monotonic() - started >= 0.3  # it waited for the holder, it did not fail
    holder.join()
    assert _journal_mode(path) == "wal"


def test_a_lock_that_is_never_released_ends_in_a_clear_error(tmp_path):
    path = tmp_path / "provider-cache.sqlite"
    holder = _hold_write_lock(path, 1.0)

    with pytest.raises(sqlite3.OperationalError, match=r"stayed locked for 0\.2 s"):
        ensure_wal(path, deadline_s=0.2, busy_timeout_s=0)
    holder.join()


def test_the_file_requests_cache_opens_is_the_one_converted():
    assert sqlite_cache_file("/var/cache/cg") == Path("/var/cache/cg.sqlite")
    assert sqlite_cache_file("/var/cache/cg.db") == Path("/var/cache/cg.db")
