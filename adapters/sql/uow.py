"""SqlAlchemyUnitOfWork: one connection and one transaction per use-case step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

import sqlalchemy as sa

from adapters.sql.api_key_repository import SqlAlchemyApiKeyRepository
from adapters.sql.audit_repositories import (
    SqlAlchemyActivityRepository,
    SqlAlchemyLoginAttemptRepository,
)
from adapters.sql.engine import timed_out
from adapters.sql.favorite_repository import SqlAlchemyFavoriteRepository
from adapters.sql.query_repository import SqlAlchemyQueryRepository
from adapters.sql.reads import TransactionlessReads
from adapters.sql.repositories import SqlAlchemyTokenRepository, SqlAlchemyUserRepository
from adapters.sql.usage_repository import SqlAlchemyUsageRepository


class RetryingConnection:
    """The unit of work's connection, as its repositories see it.

    The pool does not ping a connection when it is checked out (a round trip per unit of
    work). A pooled connection the server has dropped meanwhile (restart, wait_timeout)
    fails on its first statement instead: SQLAlchemy flags that as a disconnect and
    invalidates the connection and every older one in the pool. Nothing of this unit of work
    has reached the database yet, so that first statement runs again, once, on a fresh
    connection (SQLAlchemy's "optimistic" disconnect handling). A disconnect on any later
    statement is not retried: the transaction is lost and the caller gets the error (503).
    Nor is a first statement the server left unanswered past read_timeout (a stall).
    """

    def __init__(
        self, engine: sa.Engine, read_only: bool, reads: TransactionlessReads | None = None
    ) -> None:
        self._engine = engine
        self._read_only = read_only
        self._first = True
        self._reads = reads
        self._read_outside = False  # the first statement went to `reads`
        self.inner: sa.Connection | None = None
        self.tx: sa.RootTransaction | None = None
        if reads is None:
            self._open()
        # else: no connection until a statement needs one (see rows())

    def rows(self, statement: Any, params: dict[str, Any]) -> Sequence[Any]:
        """The rows of a read. The first statement of a read-only unit of work on MariaDB runs
        outside any transaction, on an autocommit connection (adapters/sql/reads.py): a unit
        of work whose only statement is a read opens no transaction and ends without a
        ROLLBACK. Any later statement runs in the unit of work's transaction, as before."""
        if self._reads is not None and self.inner is None and not self._read_outside:
            self._read_outside = True
            return self._reads.rows(statement, params)
        return self.execute(statement, params).all()

    def _open(self) -> None:
        self.inner = self._engine.connect()
        if self._read_only:  # SQLite: a plain (deferred) BEGIN, so writers are not blocked
            self.inner.execution_options(climaguru_read_only=True)
        self.tx = self.inner.begin()

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> sa.CursorResult:
        if self.inner is None:
            self._open()
        if not self._first:
            return self.inner.execute(statement, *args, **kwargs)
        self._first = False
        try:
            return self.inner.execute(statement, *args, **kwargs)
        except sa.exc.DBAPIError as exc:
            if not exc.connection_invalidated or timed_out(exc):
                raise  # a stalled server: a new connection would wait read_timeout again
        self.inner.close()
        self._open()
        return self.inner.execute(statement, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:  # begin_nested, execution_options, dialect...
        if self.inner is None:
            self._open()
        self._first = False
        return getattr(self.inner, name)


class SqlAlchemyUnitOfWork:
    """Opens a transaction on enter; rolls back on exit unless commit() was called."""

    def __init__(
        self,
        engine: sa.Engine,
        read_only: bool = False,
        reads: TransactionlessReads | None = None,
    ) -> None:
        self._engine = engine
        self._read_only = read_only
        self._reads = reads if read_only else None
        self._conn: RetryingConnection | None = None

    def __enter__(self) -> Self:
        conn = self._conn = RetryingConnection(self._engine, self._read_only, self._reads)
        self.users = SqlAlchemyUserRepository(conn)  # type: ignore[arg-type]
        self.tokens = SqlAlchemyTokenRepository(conn)  # type: ignore[arg-type]
        self.login_attempts = SqlAlchemyLoginAttemptRepository(conn)  # type: ignore[arg-type]
        self.activity = SqlAlchemyActivityRepository(conn)  # type: ignore[arg-type]
        self.queries = SqlAlchemyQueryRepository(conn)  # type: ignore[arg-type]
        self.api_keys = SqlAlchemyApiKeyRepository(conn)  # type: ignore[arg-type]
        self.favorites = SqlAlchemyFavoriteRepository(conn)  # type: ignore[arg-type]
        self.usage = SqlAlchemyUsageRepository(conn)  # type: ignore[arg-type]
        return self

    def __exit__(self, *exc: object) -> None:
        # close() rolls back a transaction still open and tells the pool so, which then skips
        # its own reset: one ROLLBACK, not two (the engine's pool resets nothing on return).
        conn, self._conn = self._conn, None
        if conn is None or conn.inner is None:  # nothing opened (reads outside a transaction)
            return  # (a lock is taken by a statement, so it needs inner too)
        try:
            if self.login_attempts.locked:  # released after the commit or rollback, not before
                if conn.tx.is_active:
                    conn.tx.rollback()
                self.login_attempts.release()
        finally:
            conn.inner.close()

    def commit(self) -> None:
        assert self._conn is not None
        if self._conn.tx is not None:  # None: nothing ran in a transaction
            self._conn.tx.commit()

    def rollback(self) -> None:
        assert self._conn is not None
        if self._conn.tx is not None:
            self._conn.tx.rollback()


class SqlAlchemyHealthCheck:
    """SELECT 1 with a short connection attempt."""

    def __init__(self, engine: sa.Engine, read_only: bool = False) -> None:
        self._engine = engine
        self._read_only = read_only

    def __call__(self) -> bool:
        try:
            with self._engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            return False
        return True
