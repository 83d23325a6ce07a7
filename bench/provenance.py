"""Which code a benchmark measured: HEAD and a digest of the app's sources as they are on disk
(other work is committed to the tree while benchmarks run, so HEAD alone does not say)."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

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
