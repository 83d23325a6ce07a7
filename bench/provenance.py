"""Which code a benchmark measured: HEAD and a digest of the app's sources as they are on disk
(other work is committed to the tree while benchmarks run, so HEAD alone does not say)."""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("climaguru", "adapters", "domain", "ports", "alembic")


def git_head() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode().strip() or None


def source_digest() -> str:
    """sha256 (16 hex digits) of the app's .py files: equal digests, same code measured."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def snapshot() -> dict[str, str | None]:
    return {"git_head": git_head(), "source_digest": source_digest()}


def environment(args: Any, wrk: str | None) -> dict[str, Any]:
    """When and where a wrk bench ran: python, platform, cpus, wrk, its arguments, the load at
    the start and the source measured (`snapshot`)."""
    return {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "python": sys.version.split()[0],
            "cpus": os.cpu_count(), "platform": platform.platform(), "wrk": wrk,
            "args": vars(args), "loadavg_at_start": os.getloadavg(), **snapshot()}  # fmt: skip


@contextmanager
def scratch_dir(prefix: str, keep: bool) -> Iterator[Path]:
    """A temporary directory for one run, removed at the end unless `keep` (then named)."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield scratch
    finally:
        if keep:
            print(f"scratch dir kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
