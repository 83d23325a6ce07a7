"""gunicorn with several workers on MariaDB, over real HTTP: revocation and throttle are shared."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet

from tests.unit.http.helpers import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.mysql]
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(mysql_engine, tmp_path) -> Iterator[tuple[str, Path]]:
    """Three sync workers sharing one MariaDB; the access log records which pid answered."""
    port = _free_port()
    access_log = tmp_path / "access.log"
    env = {
        **os.environ,
        "CLIMAGURU_ENV": "testing",
        "CLIMAGURU_DATA_DIR": str(tmp_path),
        "DATABASE_URL": mysql_engine.url.render_as_string(hide_password=False),
        "JWT_SECRET_KEY": "e2e-" + "s" * 44,
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "TRUSTED_PROXIES": "127.0.0.1",  # so each request may say which client it relays
        "BCRYPT_ROUNDS": "10",  # ~50 ms a login: concurrent logins must spread over workers
        "LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "3",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(s)s %(m)s %(U)s",
            "climaguru.wsgi:build_app()",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/api/health", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("gunicorn did not start: " + proc.stderr.read().decode()[-2000:])
    yield base, access_log
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _pids(access_log: Path, status: str, path: str) -> set[str]:
    lines = [line.split() for line in access_log.read_text().splitlines()]
    return {pid for pid, st, _m, p in lines if st == status and p == path}


def _parallel(n: int, call) -> list[requests.Response]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: call(), range(n)))


def test_logged_out_token_is_rejected_by_every_worker(server):
    base, access_log = server
    reg = requests.post(
        f"{base}/api/auth/register",
        json={"username": "e2e", "email": "e2e@ejemplo.co", "password": PASSWORD},
        timeout=10,
    )
    assert reg.status_code == 201
    auth = {"Authorization": f"Bearer {reg.json()['access_token']}"}
    before = _parallel(24, lambda: requests.get(f"{base}/api/auth/me", headers=auth, timeout=10))
    assert {r.status_code for r in before} == {200}
    assert requests.post(f"{base}/api/auth/logout", headers=auth, timeout=10).status_code == 200
    after = _parallel(48, lambda: requests.get(f"{base}/api/auth/me", headers=auth, timeout=10))
    assert {r.status_code for r in after} == {401}
    assert all(r.headers["WWW-Authenticate"].startswith("Bearer") for r in after)
    time.sleep(0.5)  # let the access log reach the file
    assert len(_pids(access_log, "401", "/api/auth/me")) >= 2, "only one worker answered"


def test_login_throttle_counts_across_workers(server):
    base, access_log = server
    requests.post(
        f"{base}/api/auth/register",
        json={"username": "blanco", "email": "blanco@ejemplo.co", "password": PASSWORD},
        timeout=10,
    )
    bad = {"username": "blanco", "password": "No-es-la-clave-1"}
    addresses = itertools.count(1)  # next() on itertools.count is atomic across threads
    refused = itertools.count(1)  # the addresses that failed, again

    def attempt(body, ip=None):
        ip = ip or f"198.51.100.{next(addresses)}"  # a new address each time: the account counts
        headers = {"X-Forwarded-For": ip}
        return requests.post(f"{base}/api/auth/login", json=body, headers=headers, timeout=10)

    failures = _parallel(10, lambda: attempt(bad))
    assert {r.status_code for r in failures} == {401}
    time.sleep(0.5)
    assert len(_pids(access_log, "401", "/api/auth/login")) >= 2, "only one worker answered"
    good = {"username": "blanco", "password": PASSWORD}
    # Addresses that failed on the account are refused even with the right password...
    blocked = _parallel(6, lambda: attempt(good, ip=f"198.51.100.{next(refused)}"))
    assert {r.status_code for r in blocked} == {429}
    assert all(int(r.headers["Retry-After"]) > 0 for r in blocked)
    assert all(r.json()["error"] == "demasiados_intentos" for r in blocked)
    # ...the owner from an address that never failed is not (NIST SP 800-63B 5.2.2).
    assert attempt(good, ip="203.0.113.50").status_code == 200
