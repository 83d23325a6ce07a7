"""Engine construction: MySQL in UTC, utf8mb4, recycle and timeouts; SQLite with WAL and FKs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

# Errors that mean "the database cannot be reached right now" (down, restarting, connection
# lost mid-query, pool exhausted): the HTTP layer answers 503 + Retry-After, never 500.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    sa.exc.TimeoutError,
)


def make_engine(
    url: str,
    pool_size: int = 5,
    pool_recycle: int = 280,
    max_overflow: int = 10,
    pool_timeout: float = 30,
    connect_timeout: int = 5,
    read_timeout: int | None = None,
    write_timeout: int | None = None,
    autocommit: bool = False,
) -> sa.Engine:
    """An engine tuned for the backend behind `url` (the app passes the DB_* settings).

    MySQL: a server that accepts and then stays silent (stopped, swapping, a dead peer behind a
    live socket) costs at most `read_timeout` per attempt instead of hanging the thread: PyMySQL
    closes the socket and raises error 2013, which SQLAlchemy treats as a disconnect, so that
    connection is invalidated, never returned to the pool. `pool_timeout` bounds the wait for a
    pool slot while every connection is stuck. Both surface as UNAVAILABLE_ERRORS (503).
    """
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            hide_parameters=True,  # error messages never carry ciphertexts or hashes
            pool_reset_on_return=None,  # see below
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    if url.startswith("mysql") and "charset=" not in url:
        url += ("&" if "?" in url else "?") + "charset=utf8mb4"
    # No pre-ping: it cost a round trip on every checkout. A connection the server dropped
    # fails on its first statement, which the unit of work runs again once on a fresh
    # connection (uow.RetryingConnection); pool_recycle retires connections before MariaDB's
    # wait_timeout would. No reset on return either: every unit of work goes through
    # sa.Connection, whose close() rolls back any transaction still open, so the pool's own
    # ROLLBACK on check-in was a second, empty one; and the autocommit engine's reads
    # (adapters/sql/reads.py) leave no transaction to reset.
    engine = sa.create_engine(
        url,
        pool_reset_on_return=None,
        hide_parameters=True,
        **({"isolation_level": "AUTOCOMMIT"} if autocommit else {}),
        pool_recycle=pool_recycle,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        connect_args={
            k: v
            for k, v in {
                "connect_timeout": connect_timeout,
                "read_timeout": read_timeout,  # also bounds the handshake of a new connection
                "write_timeout": write_timeout,
            }.items()
            if v is not None
        },  # None (migrations, scripts): no bound, an ALTER TABLE may take long
    )
    if engine.dialect.name in ("mysql", "mariadb"):
        sa.event.listen(engine, "connect", _mysql_session)
    return engine


def timed_out(exc: BaseException) -> bool:
    """A DBAPI error raised because the server kept silent past read_timeout/write_timeout (a
    stalled server, not a dropped connection): a new connection would wait as long again, so
    the caller is not retried on one (PyMySQL raises error 2013/2006 from the socket timeout)."""
    orig = getattr(exc, "orig", exc)
    return isinstance(orig.__context__, TimeoutError)


def make_read_engine(url: str, **options: Any) -> sa.Engine | None:
    """MariaDB/MySQL: an engine like make_engine's whose connections are in autocommit mode, for
    reads outside a transaction (adapters/sql/reads.py). None on SQLite, which needs none.
    Its pool has no overflow: a thread holds one of these for one statement, so `pool_size`
    (DB_POOL_SIZE, above the worker's threads) is enough, and a worker's connections stay
    within DB_POOL_SIZE + DB_MAX_OVERFLOW + DB_POOL_SIZE (deploy/README.md, the budget)."""
    if url.startswith("sqlite"):
        return None
    return make_engine(url, **{**options, "max_overflow": 0}, autocommit=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" hook issue BEGIN itself
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(conn) -> None:
    # Take the write lock at BEGIN so concurrent writers queue instead of failing to upgrade;
    # read-only units of work (streamed downloads) take none: with WAL they never block writers.
    read_only = conn.get_execution_options().get("climaguru_read_only", False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _mysql_session(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("SET time_zone = '+00:00'")
    cursor.close()


def to_db(instant: datetime | None) -> datetime | None:
    """Aware UTC → naive UTC, the form stored in every DATETIME column."""
    if instant is None:
        return None
    return instant.astimezone(UTC).replace(tzinfo=None)


def from_db(value: datetime | str | None) -> datetime | None:
    """Naive UTC from the database → aware UTC for the domain."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def execute_unique(
    conn: sa.Connection, statement: sa.Executable, conflict: Callable[[], Exception]
) -> sa.CursorResult:
    """`statement` inside a savepoint; a unique-key violation raises `conflict()` and leaves
    the surrounding transaction usable."""
    try:
        with conn.begin_nested():
            return conn.execute(statement)
    except IntegrityError:
        raise conflict() from None
