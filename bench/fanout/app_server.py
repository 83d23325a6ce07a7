"""ClimaGuru under gunicorn as deploy/ runs it, in a scratch data dir, for one benchmark setup."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: noise, procgroup
from noise import children
from procgroup import Group

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "gunicorn.conf.py"
APP = "climaguru.wsgi:build_app()"
PASSWORD = "Bench-Medellin-2026"  # noqa: S105 - a throwaway account in a scratch database
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """One gunicorn master (and its workers) with its own SQLite database and provider cache.

    The environment is built from scratch (plus PATH/HOME), so no CLIMAGURU_*, provider or .env
    setting from the caller leaks in; the working directory is the scratch dir (no .env there).
    """

    def __init__(self, workdir: Path, settings: dict[str, str], workers: int = 2) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.access_log = workdir / "access.log"
        self.error_log = workdir / "error.log"
        self.env = {k: os.environ[k] for k in INHERITED if k in os.environ}
        self.env |= {
            "CLIMAGURU_ENV": "testing",  # any origin left unset is 127.0.0.1:9 (discard)
            "CLIMAGURU_DATA_DIR": str(workdir),
            "DATABASE_URL": "",  # SQLite in CLIMAGURU_DATA_DIR
            "JWT_SECRET_KEY": "bench-fanout-" + "k" * 40,  # shared by every worker
            "ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "BCRYPT_ROUNDS": "4",
            "QUERIES_PER_MINUTE": "1000000",  # the bench user is a load generator
            "SYSTEM_KEY_DAILY_BUDGET": "1000000",
            "LOG_LEVEL": "INFO",  # provider calls are logged with their duration
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            # gunicorn >= 25.1 opens a control socket, by default ~/.gunicorn/gunicorn.ctl,
            # shared with every other gunicorn of this user; the conf moves it here.
            "RUNTIME_DIRECTORY": str(workdir),
            "PROVIDER_CACHE": "sqlite",
            "PROVIDER_CACHE_PATH": str(workdir / "provider-cache.sqlite"),
            **settings,
        }
        self._group: Group | None = None

    def start(self, boot_timeout: float = 30.0) -> None:
        if self._group is not None:
            raise RuntimeError("this gunicorn is already running")
        self.workdir.mkdir(parents=True, exist_ok=True)
        migrate = [sys.executable, "-m", "climaguru", "db", "upgrade"]
        done = subprocess.run(
            migrate, cwd=self.workdir, env=self.env, capture_output=True, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError("db upgrade failed:\n" + done.stderr.decode()[-3000:])
        with self.access_log.open("wb") as out, self.error_log.open("wb") as err:
            # Its own process group (procgroup.Group): stop() ends master and workers, and
            # procgroup's atexit hook stops it if the run ends any other way.
            self._group = Group(
                [sys.executable, "-m", "gunicorn", "-c", str(CONF), APP],
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        deadline = time.monotonic() + boot_timeout
        while time.monotonic() < deadline and self._group.alive():
            try:
                health = requests.get(f"{self.base}/api/health", timeout=1)
                if health.status_code == 200 and self._group.alive():  # ours, not another's
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start:\n" + self.error_tail())

    def pids(self) -> list[int]:
        """The master and its workers (for the CPU accounting in noise.py)."""
        if self._group is None:
            return []
        return [self._group.pid, *children(self._group.pid)]

    def register(self) -> str:
        """A fresh operario in this scratch database; returns the access token."""
        body = {"username": "bench.fanout", "email": "bench@ejemplo.co", "password": PASSWORD}
        resp = requests.post(f"{self.base}/api/auth/register", json=body, timeout=10)
        if resp.status_code != 201:
            raise RuntimeError(f"register: {resp.status_code} {resp.text[:500]}")
        return resp.json()["access_token"]

    def error_tail(self, chars: int = 3000) -> str:
        try:
            return self.error_log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM to the master (graceful), then SIGKILL to its process group if anything of
        it lingers after 15 s (also when the master itself already died)."""
        group, self._group = self._group, None
        if group is None:
            return
        killed = group.stop(grace=15)
        if killed:
            print(f"gunicorn {group.pid}: killed {killed} after 15 s", file=sys.stderr)
