"""The system under load: a throwaway MariaDB database, gunicorn from deploy/, seeded users.

gunicorn runs with `-c deploy/gunicorn.conf.py` and nothing of its sizing overridden
(GUNICORN_WORKERS / GUNICORN_THREADS empty: the file's defaults for this machine), through
bench/export's Gunicorn (procgroup: the master leads its own process group, stopped as one).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
import sqlalchemy as sa
from cryptography.fernet import Fernet
from noise import children
from provenance import PACKAGES, ROOT
from server import CONF, Gunicorn

from climaguru.provider_settings import DEFAULT_ORIGINS

PASSWORD = "Bench-Carga-Manizales-2026"  # noqa: S105 - throwaway accounts in a scratch database
PRODUCTION_BCRYPT_ROUNDS = "12"  # the default; only register/login hash, never the measured routes
ORIGINS = tuple(DEFAULT_ORIGINS)  # every provider origin setting the app reads
GUNICORN_KEYS = ("bind", "workers", "worker_class", "threads", "timeout", "max_requests",
                 "max_requests_jitter", "preload_app", "accesslog", "loglevel")  # fmt: skip
HISTORY_VARIABLES = (
    "temperatura", "sensacion_termica", "humedad_relativa", "presion_atmosferica",
    "velocidad_viento", "direccion_viento", "rafaga_viento", "precipitacion", "nubosidad",
    "descripcion_clima",
)  # fmt: skip


def snapshot_code(dest: Path) -> Path:
    """Copy the app's packages and alembic.ini to `dest`; the server imports them from there.

    Others edit the shared checkout while benchmarks run, and gunicorn starts new workers
    (max_requests) that import the code afresh: without a copy one run could measure several
    trees, or die on a half-saved file. PYTHONPATH=dest puts the copy before the editable
    install (whose finder comes after the path entries).
    """
    skip = shutil.ignore_patterns("__pycache__")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, dest / package, ignore=skip)
    shutil.copy2(ROOT / "alembic.ini", dest / "alembic.ini")
    return dest


@contextmanager
def throwaway_database(server_url: str) -> Iterator[str]:
    """CREATE DATABASE climaguru_load_<hex> (utf8mb4), yield its URL, DROP it whatever happens."""
    name = f"climaguru_load_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server_url)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
        yield f"{server_url}/{name}?charset=utf8mb4"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        admin.dispose()


def database_pid(server_url: str) -> int | None:
    """The pid of the MariaDB server we talk to, from its pid file (None if not readable here)."""
    engine = sa.create_engine(server_url)
    try:
        with engine.connect() as conn:
            pid_file = conn.exec_driver_sql("SELECT @@pid_file").scalar()
    finally:
        engine.dispose()
    try:
        pid = int(Path(str(pid_file)).read_text().split()[0])
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
    except (OSError, ValueError, IndexError):
        return None
    return pid if comm in ("mariadbd", "mysqld") else None


def settings(
    database_url: str, fake_origin: str, archive_origin: str, code: Path | None = None
) -> dict[str, str]:
    """App settings: MariaDB, every provider origin on loopback, production defaults otherwise;
    with `code`, the app is imported from that snapshot (snapshot_code)."""
    values = {name: fake_origin for name in ORIGINS}
    if code is not None:
        values["PYTHONPATH"] = str(code)
    values |= {
        "OPENMETEO_ARCHIVE_URL": archive_origin,
        "OPENWEATHER_API_KEY": "bench-fake-key",  # system keys: no per-user quota is charged
        "METEOBLUE_API_KEY": "bench-fake-key",
        "METEOSOURCE_API_KEY": "bench-fake-key",
        "DATABASE_URL": database_url,
        "JWT_SECRET_KEY": "bench-load-" + "k" * 40,
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "BCRYPT_ROUNDS": PRODUCTION_BCRYPT_ROUNDS,
        "LOG_LEVEL": "INFO",  # production's level: one JSON line per request
        "PROVIDER_CACHE": "sqlite",  # the default, a file shared by the workers
        "QUERIES_PER_MINUTE": "1000000",  # a benchmark user is a load generator, not a person
        "SYSTEM_KEY_DAILY_BUDGET": "1000000",
        "GUNICORN_WORKERS": "",  # empty: deploy/gunicorn.conf.py's default for this machine
        "GUNICORN_THREADS": "",
    }
    return values


def gunicorn_settings(server: Gunicorn) -> dict:
    """The values deploy/gunicorn.conf.py computes in the server's environment, plus what runs."""
    code = (
        "import json, runpy, sys, climaguru; c = runpy.run_path(sys.argv[1]); "
        "c['app_code'] = climaguru.__file__; "
        "print(json.dumps({k: c.get(k) for k in ['app_code', *sys.argv[2:]]}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(CONF), *GUNICORN_KEYS],
        env=server.env,
        cwd=server.workdir,  # not the checkout: its packages would shadow the snapshot
        capture_output=True,
        timeout=30,
        check=True,
    )
    conf = json.loads(done.stdout)
    workers = children(server.master_pid)
    conf["running_workers"] = len(workers)
    return conf


class Seeder:
    """Users and stored queries created through the API of a running server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()

    def register(self, username: str) -> str:
        body = {"username": username, "email": f"{username}@ejemplo.co", "password": PASSWORD}
        resp = self.http.post(self.base + "/api/auth/register", json=body, timeout=30)
        if resp.status_code != 201:
            raise RuntimeError(f"register {username}: {resp.status_code} {resp.text[:300]}")
        return resp.json()["access_token"]

    def current(self, token: str, lat: float, lon: float, providers: list[str]) -> dict:
        body = {"latitud": lat, "longitud": lon, "proveedores": providers}
        resp = self.http.post(
            self.base + "/api/consultas/tiempo-real", json=body, headers=_auth(token), timeout=60
        )
        if resp.status_code != 201:
            raise RuntimeError(f"tiempo-real: {resp.status_code} {resp.text[:300]}")
        return resp.json()

    def year_hourly(self, token: str) -> tuple[int, int]:
        """A one-year hourly history (open_meteo on the fake archive): (query id, timesteps)."""
        end = datetime.now(ZoneInfo("America/Bogota")).date() - timedelta(days=10)
        body = {
            "latitud": 5.07,
            "longitud": -75.52,
            "ciudad": "Manizales",
            "fecha_inicio": (end - timedelta(days=364)).isoformat(),
            "fecha_fin": end.isoformat(),
            "granularidad": "horaria",
            "parametros": list(HISTORY_VARIABLES),
            "proveedores": ["open_meteo"],
            "formato": "csv",
        }
        resp = self.http.post(
            self.base + "/api/consultas/historico", json=body, headers=_auth(token), timeout=300
        )
        if resp.status_code != 201:
            raise RuntimeError(f"historico: {resp.status_code} {resp.text[:300]}")
        doc = resp.json()
        return doc["consulta"]["id"], doc["serie_total"]

    def get(self, token: str, path: str) -> requests.Response:
        return self.http.get(self.base + path, headers=_auth(token), timeout=60)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
