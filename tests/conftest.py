"""Shared fixtures: settings, fixed clock, in-memory and SQL containers, the MySQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from dependency_injector import providers
from falcon import testing

from adapters.sql.engine import make_engine
from adapters.sql.tables import metadata
from climaguru.app import create_app
from climaguru.container import Container, use_memory
from climaguru.migrations import upgrade
from climaguru.settings import load_settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
MYSQL_SERVER = os.environ.get("CLIMAGURU_TEST_MYSQL_SERVER", "mysql+pymysql://root:@127.0.0.1:3306")
MYSQL_URL = os.environ.get("CLIMAGURU_TEST_MYSQL_URL")


class FakeClock:
    """A settable clock for use cases; starts at a fixed instant."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


SAMPLES = Path(__file__).resolve().parent / "fixtures" / "provider-samples"


def app_env(**extra: str) -> dict[str, str]:
    env = {"CLIMAGURU_ENV": "testing", "BCRYPT_ROUNDS": "4", "JWT_SECRET_KEY": "x" * 48}
    env.update(extra)
    return env


def open_meteo_at(origin: str) -> dict[str, str]:
    """The Open-Meteo forecast, archive and geocoding URLs, all at one loopback origin."""
    return {f"OPENMETEO_{api}_URL": origin for api in ("FORECAST", "ARCHIVE", "GEOCODING")}


def container_of(env: dict[str, str]) -> Container:
    """The container of these settings (no .env file read)."""
    return Container(settings=load_settings(env, env_file=None))


def serve_samples(server, routes: dict[str, str]) -> None:
    """Each path of `routes` answers its recorded provider sample (tests/fixtures)."""
    for path, sample in routes.items():
        server.expect_request(path).respond_with_data(
            (SAMPLES / sample).read_bytes(), content_type="application/json"
        )


@pytest.fixture
def settings(tmp_path: Path):
    return load_settings(app_env(CLIMAGURU_DATA_DIR=str(tmp_path)), env_file=None)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def container(settings, clock) -> Container:
    """Container over the in-memory adapters with a controllable clock."""
    c = Container(settings=settings)
    use_memory(c)
    c.clock.override(providers.Object(clock))
    return c


@pytest.fixture
def client(container) -> testing.TestClient:
    return testing.TestClient(create_app(container))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'test.db'}"
    upgrade(url)
    return url


def require_tool(name: str) -> str:
    """The path of an external program a test needs (nginx, chromium, ...).

    Missing on a laptop: the test is skipped. Missing under CI=true: the test fails, since
    .ci/run installs every such program (see its `need_packages` line).
    """
    import shutil

    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if path:
        return path
    if IN_CI:
        pytest.fail(f"{name} is mandatory in CI (.ci/run installs it)")
    pytest.skip(f"{name} is not installed")


def _mysql_or_skip(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"MariaDB is mandatory in CI: {reason}")
    pytest.skip(f"MariaDB not available: {reason}")


@pytest.fixture(scope="session")
def mysql_url() -> Iterator[str]:
    """A migrated throwaway MariaDB database (the one .ci/run made, or one made here)."""
    created = None
    url = MYSQL_URL
    try:
        if url is None:
            created = f"climaguru_test_{uuid.uuid4().hex[:8]}"
            server = sa.create_engine(MYSQL_SERVER, connect_args={"connect_timeout": 3})
            with server.connect() as conn:
                conn.exec_driver_sql(
                    f"CREATE DATABASE {created} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                )
            server.dispose()
            url = f"{MYSQL_SERVER}/{created}?charset=utf8mb4"
        upgrade(url)
    except sa.exc.OperationalError as exc:
        _mysql_or_skip(str(exc.orig))
    yield url
    if created:
        server = sa.create_engine(MYSQL_SERVER)
        with server.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {created}")
        server.dispose()


@pytest.fixture
def mysql_engine(mysql_url) -> Iterator[sa.Engine]:
    """The MariaDB engine with every table emptied before the test."""
    engine = make_engine(mysql_url)
    truncate(engine)
    yield engine
    engine.dispose()


def truncate(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def sql_url(request) -> str:
    """Each SQL backend in turn, migrated and empty."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    engine = request.getfixturevalue("mysql_engine")
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def sql_container(settings, sql_url) -> Container:
    """Container on a real SQL database (SQLite file, then MariaDB)."""
    s = load_settings(
        app_env(DATABASE_URL=sql_url, CLIMAGURU_DATA_DIR=str(settings.data_dir)), None
    )
    c = Container(settings=s)
    yield c
    c.engine().dispose()
