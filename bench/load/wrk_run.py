"""One wrk run (fixed duration, --latency) with a Lua script; its JSON summary line parsed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = "WRK_JSON "


@dataclass(frozen=True)
class Load:
    """What wrk sends: a path, the Lua script (bearer.lua or post_json.lua) and a POST body."""

    path: str
    script: str = "bearer.lua"
    body: str | None = None


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    return found


def wrk_version() -> str:
    done = subprocess.run([wrk_binary(), "--version"], capture_output=True, timeout=10)
    return (done.stdout or done.stderr).decode(errors="replace").splitlines()[0].strip()


def run_wrk(
    base: str,
    load: Load,
    token: str,
    connections: int,
    seconds: int,
    threads: int = 2,
    cpus: str | None = None,
) -> dict:
    """Run wrk against base + load.path; returns its counts, req/s and latencies in ms."""
    argv = [
        wrk_binary(),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",  # a slow download is a slow answer, not a socket error
        "--latency",
        "-s",
        str(HERE / load.script),
        base + load.path,
    ]
    if cpus:
        argv = ["taskset", "-c", cpus, *argv]
    env = os.environ | {"WRK_TOKEN": token, "WRK_BODY": load.body or ""}
    done = subprocess.run(argv, env=env, capture_output=True, timeout=seconds + 60)
    text = done.stdout.decode(errors="replace")
    line = next((x for x in text.splitlines() if x.startswith(MARK)), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{text}\n{done.stderr.decode()}")
    raw = json.loads(line[len(MARK) :])
    elapsed = raw["duration_us"] / 1e6
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "requests": raw["requests"],
        "seconds": elapsed,
        "rps": raw["requests"] / elapsed,
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "mean_ms": raw["mean_us"] / 1000,
        "non_2xx": raw["status"],
        "socket_errors": errors,
        "mb_read": raw["bytes"] / 1e6,
    }
