"""End-to-end harness: gunicorn on the production config, fake providers, a private MariaDB.

API (everything binds 127.0.0.1 only; every wait is bounded):

- `free_port()` -> an unused TCP port.
- `app_env(data_dir, database_url, **extra)` -> the environment ClimaGuru runs with
  (CLIMAGURU_ENV=testing, fresh secrets, every provider origin on the discard port unless
  `extra` overrides it). Pass it to `Gunicorn` and to `cli(...)`.
- `Gunicorn(env, workdir, workers=2, threads=4, timeout=30, ready_path="/api/health")`:
  `.start()` runs `gunicorn -c deploy/gunicorn.conf.py 'climaguru.wsgi:build_app()'` and waits
  for a 200 on `ready_path` (pass "/api/openapi.json" when the database is meant to fail);
  `.url` is its base URL; `.stop()` (SIGTERM, then SIGKILL of the process group)
  returns its stderr; `.stderr()` reads it so far; `.access()` parses the access log into
  `Hit(pid, method, path, status)` tuples. Also a context manager.
- `FakeProviders()` (tests/e2e/fakes.py, re-exported here): a threaded HTTP upstream on
  127.0.0.1 serving the real samples of tests/fixtures/provider-samples/, counting requests per
  path, told per path prefix to answer, answer slowly, hang, or stall the body.
- `MariaDB(root)` (tests/e2e/mariadb.py, re-exported here): a private mariadbd on its own
  datadir and port that a test may stop and start again (or freeze with `pause()` / `resume()`,
  SIGSTOP / SIGCONT); never the shared server on 3306.
- `SilentListener()` (tests/e2e/mariadb.py): a TCP port on 127.0.0.1 that accepts connections
  and never sends a byte, like a database that stalls; `.port`, `.accepted`, `.close()`.
- `register(url, username)` -> the JSON of POST /api/auth/register (tokens included);
  `login(url, username)`; `bearer(token)`; `my_queries(url, token)` (up to 100, newest
  first) and `stored_query(url, token, id)` (one in full, provider answers included);
  `create_admin(env, workdir, username)` runs the real `climaguru create-admin` CLI and
  returns the admin's access token.
- `open_meteo_stack(tmp_path, database)`: a private MariaDB with `database` migrated, fake
  providers, and gunicorn (2 workers x 4 threads) asking Open-Meteo only; yields
  `(db, server, fake, env)` and stops everything on exit.
- `Loops`: a base for bounded request loops in threads (`_threads`, `_stop`), started on
  entering and stopped and joined (at most `join_timeout_s` each) on leaving.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple, Self

import requests
from cryptography.fernet import Fernet

from climaguru.provider_settings import DEFAULT_ORIGINS
from tests.e2e.fakes import METEOSOURCE_CURRENT, OPEN_METEO_CURRENT, OWM_CURRENT, FakeProviders
from tests.e2e.mariadb import MariaDB, SilentListener

__all__ = [
    "METEOSOURCE_CURRENT",
    "OPEN_METEO_CURRENT",
    "OWM_CURRENT",
    "FakeProviders",
    "Gunicorn",
    "Hit",
    "Loops",
    "MariaDB",
    "SilentListener",
    "app_env",
    "bearer",
    "cli",
    "create_admin",
    "free_port",
    "login",
    "my_queries",
    "open_meteo_stack",
    "register",
    "stored_query",
]

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
PASSWORD = "Cordillera-Andina-2026"
# deploy/gunicorn.conf.py's access_log_format: '... "%(m)s %(U)s %(H)s" %(s)s ... <pid>'.
ACCESS_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) .*<(?P<pid>\d+)>\s*$'
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(data_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The process environment of a ClimaGuru under test (secrets fresh for each call)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "CLIMAGURU_"))}
    env.update({name: "http://127.0.0.1:9" for name in DEFAULT_ORIGINS})  # discard port
    env.update(
        CLIMAGURU_ENV="testing",
        CLIMAGURU_DATA_DIR=str(data_dir),
        DATABASE_URL=database_url,
        JWT_SECRET_KEY="e2e-" + "s" * 44,
        ENCRYPTION_KEY=Fernet.generate_key().decode(),
        BCRYPT_ROUNDS="4",
        LOG_LEVEL="WARNING",
        PROVIDER_CACHE="none",
        QUERIES_PER_MINUTE="100000",  # load and fault tests run far more than 30 a minute
        SYSTEM_KEY_DAILY_BUDGET="100000",
    )
    env.update(extra)
    return env


class Hit(NamedTuple):
    """One access-log line: which worker answered what."""

    pid: int
    method: str
    path: str
    status: int


class Gunicorn:
    """gunicorn on deploy/gunicorn.conf.py in its own process group, logs in `workdir`."""

    def __init__(
        self,
        env: dict[str, str],
        workdir: Path,
        workers: int = 2,
        threads: int = 4,
        timeout: int = 30,
        ready_path: str = "/api/health",
    ) -> None:
        self.port = free_port()
        self.ready_path = ready_path  # start() waits for a 200 here
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        self.stderr_path = workdir / f"gunicorn-{self.port}.stderr"
        self.access_path = workdir / f"gunicorn-{self.port}.access"
        self.env = dict(env)
        self.env.update(
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_THREADS=str(threads),
            GUNICORN_TIMEOUT=str(timeout),
            GUNICORN_ACCESSLOG=str(self.access_path),
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, wait_s: float = 30.0) -> Gunicorn:
        argv = [sys.executable, "-m", "gunicorn", "-c", str(CONFIG)]
        argv += ["--access-logfile", str(self.access_path), "climaguru.wsgi:build_app()"]
        with self.stderr_path.open("ab") as err:
            self.proc = subprocess.Popen(
                argv,
                cwd=self.workdir,  # no stray .env is read
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                start_new_session=True,  # its own process group: stop() reaps the workers too
            )
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if requests.get(self.url + self.ready_path, timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        output = self.stop()
        raise RuntimeError(f"gunicorn did not become ready:\n{output[-3000:]}")

    def stop(self, grace_s: float = 15.0) -> str:
        """SIGTERM (graceful), then SIGKILL the group; returns everything it wrote to stderr."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        if proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # a worker left behind by the master
        return self.stderr()

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def access(self) -> list[Hit]:
        """The access log so far (gunicorn writes each line as the response completes)."""
        if not self.access_path.exists():
            return []
        hits = []
        for line in self.access_path.read_text(errors="replace").splitlines():
            if m := ACCESS_LINE.search(line):
                hits.append(Hit(int(m["pid"]), m["method"], m["path"], int(m["status"])))
        return hits

    def pids(self, status: int, path: str) -> set[int]:
        """The worker pids that answered `path` with `status` (waits up to 2 s for the log)."""
        deadline = time.monotonic() + 2
        while True:
            found = {h.pid for h in self.access() if h.status == status and h.path == path}
            if len(found) >= 2 or time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def open_meteo_stack(
    tmp_path: Path, database: str = "climaguru"
) -> Iterator[tuple[MariaDB, Gunicorn, FakeProviders, dict[str, str]]]:
    """A private MariaDB, fake providers and gunicorn asking Open-Meteo only (see the API)."""
    db = MariaDB(tmp_path / "mariadb").start()
    fake = FakeProviders()
    try:
        env = app_env(
            tmp_path,
            db.create_database(database),
            OPENMETEO_FORECAST_URL=fake.origin,
            PROVIDERS_ENABLED="open_meteo",
        )
        with Gunicorn(env, tmp_path, workers=2, threads=4) as server:
            yield db, server, fake, env
    finally:
        fake.close()
        db.stop()


class Loops:
    """Request loops in threads: started on entering, told to stop and joined on leaving."""

    join_timeout_s = 15.0
    _threads: list[threading.Thread]
    _stop: threading.Event

    def __enter__(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.join_timeout_s)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def register(url: str, username: str, password: str = PASSWORD) -> dict:
    body = {"username": username, "email": f"{username}@ejemplo.co", "password": password}
    resp = requests.post(f"{url}/api/auth/register", json=body, timeout=10)
    assert resp.status_code == 201, resp.text
    return resp.json()


def login(url: str, username: str, password: str = PASSWORD) -> dict:
    body = {"username": username, "password": password}
    resp = requests.post(f"{url}/api/auth/login", json=body, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def my_queries(url: str, token: str) -> list[dict]:
    """The user's queries as GET /api/consultas/mis-consultas lists them (up to 100)."""
    page = requests.get(
        f"{url}/api/consultas/mis-consultas",
        params={"per_page": 100},
        headers=bearer(token),
        timeout=10,
    ).json()
    return page["consultas"]


def stored_query(url: str, token: str, query_id: int) -> dict:
    """One stored query in full (GET /api/consultas/<id>, provider answers included)."""
    return requests.get(f"{url}/api/consultas/{query_id}", headers=bearer(token), timeout=10).json()


def cli(env: dict[str, str], workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `climaguru <args>` with the app's environment; bounded by a 60 s timeout."""
    argv = [sys.executable, "-m", "climaguru.cli", *args]
    return subprocess.run(
        argv, cwd=workdir, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def create_admin(env: dict[str, str], workdir: Path, url: str, username: str = "jefa") -> dict:
    """An admin made by the real CLI (password from CLIMAGURU_ADMIN_PASSWORD), logged in."""
    done = cli(
        {**env, "CLIMAGURU_ADMIN_PASSWORD": PASSWORD},
        workdir,
        "create-admin",
        "--username",
        username,
        "--email",
        f"{username}@ejemplo.co",
    )
    assert done.returncode == 0, done.stderr
    return login(url, username)
