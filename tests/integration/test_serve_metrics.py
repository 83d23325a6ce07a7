"""`climaguru serve --workers 2`: /metrics keeps every worker's counts (multiprocess mode).

Both workers are stopped after the requests (gunicorn starts new ones): only counts kept in
the shared PROMETHEUS_MULTIPROC_DIR survive that, whichever worker answered what.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import requests

from tests.metrics_scrape import parse, requests_by

REQUESTS = 12


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(base: str, deadline_s: float = 60) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/api/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError("climaguru serve did not become ready")


def _workers(master: int) -> set[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True, timeout=5)
    return {int(pid) for pid in out.stdout.split()}


def _replace_workers(master: int, deadline_s: float = 30) -> None:
    old = _workers(master)
    assert len(old) == 2
    for pid in old:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        now = _workers(master)
        if len(now) == 2 and not now & old:
            return
        time.sleep(0.2)
    raise AssertionError("gunicorn did not replace its workers")


def test_counts_survive_the_workers_that_made_them(tmp_path):
    port = _port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "climaguru", "serve", "--port", str(port), "--workers", "2"],
        env={**env, "CLIMAGURU_ENV": "development", "CLIMAGURU_DATA_DIR": str(tmp_path)},
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_ready(base)
        for _ in range(REQUESTS):
            assert requests.get(f"{base}/api/health", timeout=5).status_code == 200
        _replace_workers(proc.pid)
        _wait_ready(base)
        counted = requests_by(parse(requests.get(f"{base}/metrics", timeout=5).text))
        # At least: a readiness probe that timed out on a booting worker may still be counted.
        assert counted[("/api/health", "GET", "200")] >= REQUESTS + 2  # + two readiness probes
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
