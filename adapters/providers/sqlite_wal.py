"""The shared SQLite provider cache in WAL mode before requests-cache opens it, however many
workers start at once.

gunicorn forks its workers together and each one opens the cache (PROVIDER_CACHE=sqlite, one
file in CLIMAGURU_DATA_DIR) with `PRAGMA journal_mode=WAL`. On a new file (first start, or
after the file was removed) that pragma converts a rollback-journal database: it reads the
file (a shared lock) and then needs it exclusively. When two workers do that together, SQLite
answers one of them "database is locked" at once, without waiting in the busy handler (each
holds the shared lock the other waits for: SQLite breaks the deadlock by refusing one). That
worker then failed to boot, and gunicorn halts the whole server when a worker fails to boot:
the side-by-side benchmark saw the master exit 3 ("Worker failed to boot") with
`sqlite3.OperationalError: database is locked` in requests_cache's connection(), a second
after answering its first health check.

So the conversion happens here first, retried until it holds; WAL mode is stored in the file,
and requests-cache's own pragma is then a no-op that takes no lock.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from pathlib import Path

_done: set[str] = set()
_lock = threading.Lock()


def sqlite_cache_file(cache_name: str | Path) -> Path:
    """The file requests-cache's SQLite backend opens for `cache_name` (it adds .sqlite to a
    name without a suffix)."""
    path = Path(cache_name)
    return path if path.suffix else path.with_name(path.name + ".sqlite")


def ensure_wal(path: str | Path, deadline_s: float = 30.0, busy_timeout_s: float = 5.0) -> None:
    """Put the SQLite file at `path` (created if missing) in WAL mode; once per process and
    file. "database is locked" is retried after a short random pause until `deadline_s`."""
    key = str(Path(path).resolve())
    with _lock:
        if key in _done:
            return
        end = time.monotonic() + deadline_s
        while True:
            try:
                mode = _set_wal(key, busy_timeout_s)
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                mode = None
            if mode == "wal":
                _done.add(key)
                return
            if time.monotonic() >= end:
                raise sqlite3.OperationalError(
                    f"the provider cache stayed locked for {deadline_s:g} s; journal mode {mode}"
                )
            time.sleep(random.uniform(0.005, 0.05))  # noqa: S311 - jitter, not a secret


def _set_wal(path: str, busy_timeout_s: float) -> str | None:
    con = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
    try:
        row = con.execute("PRAGMA journal_mode=WAL").fetchone()
    finally:
        con.close()
    return str(row[0]).lower() if row else None
