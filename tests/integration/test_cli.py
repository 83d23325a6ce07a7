"""The climaguru command: create-admin, db upgrade, serve on the embedded default."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import requests
import sqlalchemy as sa

from tests.unit.http.helpers import PASSWORD


def _run(args, env, cwd, **kw):
    return subprocess.run(
        [sys.executable, "-m", "climaguru", *args],
        env={**os.environ, "CLIMAGURU_ENV": "development", "BCRYPT_ROUNDS": "4", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        **kw,
    )


def test_create_admin_from_environment_and_refusals(tmp_path):
    env = {"CLIMAGURU_DATA_DIR": str(tmp_path)}
    assert _run(["db", "upgrade"], env, tmp_path).returncode == 0
    ok = _run(
        ["create-admin", "--username", "jefa", "--email", "jefa@x.co"],
        {**env, "CLIMAGURU_ADMIN_PASSWORD": PASSWORD},
        tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    assert PASSWORD not in ok.stdout + ok.stderr
    weak = _run(
        ["create-admin", "--username", "otro", "--email", "otro@x.co"],
        {**env, "CLIMAGURU_ADMIN_PASSWORD": "123456789"},
        tmp_path,
    )
    assert weak.returncode == 1 and "comunes" in weak.stderr
    dup = _run(
        ["create-admin", "--username", "JEFA", "--email", "j2@x.co"],
        {**env, "CLIMAGURU_ADMIN_PASSWORD": PASSWORD},
        tmp_path,
    )
    assert dup.returncode == 1
    no_tty = _run(["create-admin", "--username", "x1", "--email", "x1@x.co"], env, tmp_path)
    assert no_tty.returncode == 2
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'climaguru.db'}")
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT username, rol FROM usuarios")).all()
    assert rows == [("jefa", "admin")]


def test_serve_migrates_the_embedded_default_on_first_run(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "climaguru", "serve", "--port", str(port)],
        env={**os.environ, "CLIMAGURU_ENV": "development", "CLIMAGURU_DATA_DIR": str(tmp_path)},
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and status != 200:
            try:
                status = requests.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code
            except requests.RequestException:
                time.sleep(0.3)
        assert status == 200
        reg = requests.post(
            f"http://127.0.0.1:{port}/api/auth/register",
            json={"username": "primera", "email": "p@x.co", "password": PASSWORD},
            timeout=10,
        )
        assert reg.status_code == 201
        assert (tmp_path / "climaguru.db").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
