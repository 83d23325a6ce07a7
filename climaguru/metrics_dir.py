"""PROMETHEUS_MULTIPROC_DIR for gunicorn: one clean directory per master, shared by its workers.

Called from gunicorn's hooks in the master (deploy/gunicorn.conf.py, climaguru.server), never
at import. prometheus_client decides at import time whether it runs in multiprocess mode, so
the variable must be in the environment before a worker imports the app: `prepare` sets it in
the master's environment, which every worker inherits.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
_created: list[str] = []  # directories made here, removed on exit


def prepare(configured: str | None = None, runtime_dir: str | None = None) -> str:
    """The directory (`configured`, else <runtime_dir>/metrics, else a new temporary one),
    emptied of the previous run's files, exported as PROMETHEUS_MULTIPROC_DIR."""
    path = (configured or "").strip()
    if not path and runtime_dir:
        path = os.path.join(runtime_dir.split(":")[0], "metrics")
    if not path:
        path = tempfile.mkdtemp(prefix="climaguru-metrics-")
        _created.append(path)
    os.makedirs(path, mode=0o700, exist_ok=True)
    for stale in glob.glob(os.path.join(path, "*.db")):  # counts of processes long gone
        os.remove(stale)
    os.environ[VARIABLE] = path
    return path


def worker_exited(pid: int) -> None:
    """Forget a dead worker's live gauges (its counters stay: they still count)."""
    path = os.environ.get(VARIABLE)
    if path and os.path.isdir(path):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid, path)


def cleanup() -> None:
    """Remove the temporary directory `prepare` made (a configured one is left in place)."""
    while _created:
        with contextlib.suppress(OSError):
            shutil.rmtree(_created.pop())
