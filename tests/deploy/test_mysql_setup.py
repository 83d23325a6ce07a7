"""deploy/mysql-setup.sql on MariaDB: utf8mb4 database, an account that can migrate and use
only that database, and a refusal while the placeholder password is still in place."""

from __future__ import annotations

import re
import secrets
import subprocess
import uuid
from pathlib import Path

import pymysql
import pytest
import sqlalchemy as sa
from falcon import testing

from climaguru.app import create_app
from climaguru.container import Container
from climaguru.migrations import upgrade
from climaguru.settings import load_settings
from tests.conftest import MYSQL_SERVER, app_env, require_tool
from tests.deploy.mysql_helpers import option_file, run_backup, server_engine, throwaway_database
from tests.unit.http.helpers import register

pytestmark = pytest.mark.mysql
SETUP_SQL = Path(__file__).resolve().parents[2] / "deploy" / "mysql-setup.sql"
SERVER = sa.engine.make_url(MYSQL_SERVER)


@pytest.fixture
def names():
    """Throwaway database and account names (no '_': it is a wildcard in GRANT ... ON db.*)."""
    tag = uuid.uuid4().hex[:8]
    db, user = f"cgsetup{tag}", f"cguser{tag}"
    yield db, user
    engine = server_engine()
    with engine.connect() as conn:
        conn.exec_driver_sql(f"DROP USER IF EXISTS '{user}'@'127.0.0.1'")
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {db}")
    engine.dispose()


def setup_sql(db: str, user: str, password: str | None) -> str:
    """The shipped SQL with only the names, the host and (optionally) the password replaced."""
    sql = re.sub(r"\bclimaguru\b", lambda m: db, SETUP_SQL.read_text())
    sql = sql.replace(f"'{db}'@", f"'{user}'@").replace(f"''{db}''@", f"''{user}''@")
    sql, n = re.subn(r"SET @climaguru_host = '[^']*';", "SET @climaguru_host = '127.0.0.1';", sql)
    assert n == 1
    if password is not None:
        sql, n = re.subn(r"SET @climaguru_password = '[^']*';",
                         f"SET @climaguru_password = '{password}';", sql)  # fmt: skip
        assert n == 1
    return sql


def run_sql(tmp_path: Path, sql: str) -> subprocess.CompletedProcess:
    client = require_tool("mariadb")
    cnf = option_file(tmp_path / "root.cnf")
    return subprocess.run([client, f"--defaults-extra-file={cnf}"], input=sql,
                          capture_output=True, text=True, timeout=30)  # fmt: skip


def connect(user: str, password: str, db: str | None = None):
    return pymysql.connect(host=SERVER.host, port=SERVER.port or 3306, user=user,
                           password=password, database=db, connect_timeout=3)  # fmt: skip


def test_refuses_to_run_with_the_placeholder_password(tmp_path, names):
    db, user = names
    with throwaway_database("cgprobe"):  # skips cleanly without MariaDB
        pass
    result = run_sql(tmp_path, setup_sql(db, user, password=None))
    assert result.returncode != 0 and "ERROR 1242" in result.stderr
    with server_engine().connect() as conn:
        assert not conn.exec_driver_sql(
            f"SELECT 1 FROM mysql.user WHERE User = '{user}'").first()  # fmt: skip
        schema = f"SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{db}'"
        assert not conn.exec_driver_sql(schema).first()


def test_account_migrates_and_uses_its_database_and_nothing_else(tmp_path, names):
    db, user = names
    password = secrets.token_urlsafe(24)
    with throwaway_database("cgother") as other:
        with server_engine().begin() as conn:
            conn.exec_driver_sql(f"CREATE TABLE {other}.secreto (id INT PRIMARY KEY)")
        sql = setup_sql(db, user, password)
        for _ in range(2):  # re-running is safe
            result = run_sql(tmp_path, sql)
            assert result.returncode == 0, result.stderr
        with server_engine().connect() as conn:
            charset, collation = conn.exec_driver_sql(
                "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM "
                f"information_schema.SCHEMATA WHERE SCHEMA_NAME = '{db}'").one()  # fmt: skip
        assert (charset, collation) == ("utf8mb4", "utf8mb4_unicode_ci")

        # What the app needs: alembic to head (tables, foreign keys, views), then real use.
        server = f"{SERVER.host}:{SERVER.port or 3306}"
        url = f"mysql+pymysql://{user}:{password}@{server}/{db}?charset=utf8mb4"
        upgrade(url)
        settings = load_settings(app_env(DATABASE_URL=url, CLIMAGURU_DATA_DIR=str(tmp_path)), None)
        container = Container(settings=settings)
        register(testing.TestClient(create_app(container)), "operaria")
        container.engine().dispose()
        # ... and backup.sh can run as this account (README: backup.my.cnf with its password).
        cnf = option_file(tmp_path / "app.cnf", user=user, password=password)
        dumped = run_backup(tmp_path, db, cnf=cnf)
        assert dumped.returncode == 0, dumped.stderr

        # What it must not do.
        conn = connect(user, password, db)
        with conn.cursor() as cur:
            for statement in (
                f"SELECT * FROM {other}.secreto",
                f"CREATE TABLE {other}.intruso (id INT)",
                "SELECT User FROM mysql.user",
                f"CREATE DATABASE {db}x",
                f"GRANT SELECT ON {db}.* TO '{user}'@'127.0.0.1'",
                f"SELECT * FROM information_schema.PROCESSLIST WHERE USER <> '{user}'",
            ):
                try:
                    cur.execute(statement)
                    rows = cur.fetchall()
                except pymysql.err.MySQLError as exc:
                    assert exc.args[0] in (1044, 1142, 1227, 1045), (statement, exc)
                else:
                    assert statement.startswith("SELECT * FROM information_schema"), statement
                    assert rows == ()  # no PROCESS privilege: only its own threads
            cur.execute("SHOW GRANTS")
            grants = " ".join(row[0] for row in cur.fetchall())
        conn.close()
        assert f"ON `{db}`.*" in grants and "ALL PRIVILEGES" not in grants
        assert "GRANT OPTION" not in grants and "FILE" not in grants
