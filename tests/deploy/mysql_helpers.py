"""Throwaway MariaDB databases and option files for the deploy tests (127.0.0.1 only)."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import MYSQL_SERVER, _mysql_or_skip


def server_engine() -> sa.Engine:
    return sa.create_engine(MYSQL_SERVER, connect_args={"connect_timeout": 3})


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """A new utf8mb4 database, dropped afterwards; yields its name."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    engine = server_engine()
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(
                f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
    except sa.exc.OperationalError as exc:
        _mysql_or_skip(str(exc.orig))
    try:
        yield name
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        engine.dispose()


def option_file(path: Path, user: str | None = None, password: str | None = None) -> Path:
    """A [client] option file like /etc/climaguru/backup.my.cnf, reaching the TCP server."""
    url = sa.engine.make_url(MYSQL_SERVER)
    user, password = (user, password) if user else (url.username, url.password)
    lines = ["[client]", f"user={user}", f"host={url.host}", f"port={url.port or 3306}"]
    if password:
        lines.append(f"password={password}")
    path.write_text("\n".join([*lines, "protocol=tcp", ""]))
    path.chmod(0o600)
    return path


def database_url(name: str) -> str:
    return f"{MYSQL_SERVER}/{name}?charset=utf8mb4"


SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "backup.sh"


def run_backup(
    tmp_path: Path, name: str, *args: str, stdin: str = "", cnf: Path | None = None
) -> subprocess.CompletedProcess:
    """backup.sh as climaguru-backup.service runs it: configured only through the environment."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),  # no ~/.my.cnf of the person running the tests
        "BACKUP_MYSQL_CNF": str(cnf or tmp_path / "backup.my.cnf"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "BACKUP_KEEP_DAYS": "3",
        "BACKUP_DATABASE": name,
    }
    return subprocess.run(
        [str(SCRIPT), *args], env=env, input=stdin, capture_output=True, text=True, timeout=60
    )
