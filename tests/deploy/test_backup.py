"""deploy/backup.sh against MariaDB: dump, verify, retention, then --restore with a safety dump."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from falcon import testing

from adapters.sql.tables import usuarios
from climaguru.app import create_app
from climaguru.container import Container
from climaguru.migrations import upgrade
from climaguru.settings import load_settings
from tests.conftest import app_env
from tests.deploy.mysql_helpers import database_url, option_file, run_backup, throwaway_database
from tests.unit.http.helpers import register

pytestmark = pytest.mark.mysql
DAY = 86_400


@pytest.fixture
def database(tmp_path):
    """A migrated throwaway database with two users registered through the app."""
    with throwaway_database("climaguru_backup") as name:
        url = database_url(name)
        upgrade(url)
        settings = load_settings(app_env(DATABASE_URL=url, CLIMAGURU_DATA_DIR=str(tmp_path)), None)
        container = Container(settings=settings)
        client = testing.TestClient(create_app(container))
        register(client, "operaria")
        register(client, "meteorologo")
        container.engine().dispose()
        engine = sa.create_engine(url)
        yield name, engine
        engine.dispose()


def usernames(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(sa.select(usuarios.c.username)).scalars())


def dumps(directory: Path, pattern: str) -> list[Path]:
    return sorted(directory.glob(pattern))


def test_backup_then_restore_brings_the_rows_back(database, tmp_path):
    name, engine = database
    option_file(tmp_path / "backup.my.cnf")
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)
    now = time.time()
    old = backups / f"{name}-20200101T031500Z.sql.gz"  # 10 days old: pruned
    recent = backups / f"{name}-20200108T031500Z.sql.gz"  # 1 day old: kept
    for path, age in ((old, 10 * DAY), (recent, DAY)):
        path.write_bytes(gzip.compress(b"-- Dump completed\n"))
        os.utime(path, (now - age, now - age))

    result = run_backup(tmp_path, name)
    assert result.returncode == 0, result.stderr
    new = [p for p in dumps(backups, f"{name}-2*.sql.gz") if p not in (old, recent)]
    assert len(new) == 1, result.stderr
    dump = new[0]
    assert dump.read_bytes()[:2] == b"\x1f\x8b"  # gzip
    assert dump.stat().st_mode & 0o777 == 0o600
    text = gzip.decompress(dump.read_bytes()).decode()
    assert text.rstrip().splitlines()[-1].startswith("-- Dump completed")
    assert "INSERT INTO `usuarios`" in text and "meteorologo" in text
    assert not old.exists() and recent.exists()  # retention: old gone, newer ones stay
    assert f"removed old backup {old}" in result.stderr
    assert not list(backups.glob(".*.partial"))

    # Damage: one user deleted, the other renamed.
    with engine.begin() as conn:
        conn.execute(sa.delete(usuarios).where(usuarios.c.username == "operaria"))
        conn.execute(
            sa.update(usuarios)
            .where(usuarios.c.username == "meteorologo")
            .values(username="intruso")
        )
    assert usernames(engine) == ["intruso"]

    refused = run_backup(tmp_path, name, "--restore", str(dump), stdin="otra_base\n")
    assert refused.returncode != 0 and "not confirmed" in refused.stderr
    assert usernames(engine) == ["intruso"]  # nothing changed
    assert not dumps(backups, f"{name}-before-restore-*.sql.gz")

    restored = run_backup(tmp_path, name, "--restore", str(dump), stdin=f"{name}\n")
    assert restored.returncode == 0, restored.stderr
    engine.dispose()  # the database was dropped and recreated under the pool
    assert usernames(engine) == ["meteorologo", "operaria"]
    (safety,) = dumps(backups, f"{name}-before-restore-*.sql.gz")
    assert safety.stat().st_mode & 0o777 == 0o600
    assert "intruso" in gzip.decompress(safety.read_bytes()).decode()


def test_restore_refuses_a_truncated_dump_and_leaves_the_database_alone(database, tmp_path):
    name, engine = database
    option_file(tmp_path / "backup.my.cnf")
    assert run_backup(tmp_path, name).returncode == 0
    (dump,) = dumps(tmp_path / "backups", f"{name}-2*.sql.gz")
    broken = tmp_path / "broken.sql.gz"
    broken.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    result = run_backup(tmp_path, name, "--restore", str(broken), stdin=f"{name}\n")
    assert result.returncode != 0 and "gzip integrity check failed" in result.stderr
    assert usernames(engine) == ["meteorologo", "operaria"]


def test_backup_refuses_an_option_file_others_can_read(database, tmp_path):
    name, _ = database
    option_file(tmp_path / "backup.my.cnf").chmod(0o644)
    result = run_backup(tmp_path, name)
    assert result.returncode != 0 and "accessible to others" in result.stderr
    assert not list((tmp_path / "backups").glob("*.sql.gz"))
