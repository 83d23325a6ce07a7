"""SqlAlchemyUnitOfWork: one connection and one transaction per use-case step."""

from __future__ import annotations

from typing import Self

import sqlalchemy as sa

from adapters.sql.api_key_repository import SqlAlchemyApiKeyRepository
from adapters.sql.audit_repositories import (
    SqlAlchemyActivityRepository,
    SqlAlchemyLoginAttemptRepository,
)
from adapters.sql.favorite_repository import SqlAlchemyFavoriteRepository
from adapters.sql.query_repository import SqlAlchemyQueryRepository
from adapters.sql.repositories import SqlAlchemyTokenRepository, SqlAlchemyUserRepository
from adapters.sql.usage_repository import SqlAlchemyUsageRepository


class SqlAlchemyUnitOfWork:
    """Opens a transaction on enter; rolls back on exit unless commit() was called."""

    def __init__(self, engine: sa.Engine, read_only: bool = False) -> None:
        self._engine = engine
        self._read_only = read_only
        self._conn: sa.Connection | None = None
        self._tx: sa.RootTransaction | None = None

    def __enter__(self) -> Self:
        self._conn = self._engine.connect()
        if self._read_only:  # SQLite: a plain (deferred) BEGIN, so writers are not blocked
            self._conn.execution_options(climaguru_read_only=True)
        self._tx = self._conn.begin()
        self.users = SqlAlchemyUserRepository(self._conn)
        self.tokens = SqlAlchemyTokenRepository(self._conn)
        self.login_attempts = SqlAlchemyLoginAttemptRepository(self._conn)
        self.activity = SqlAlchemyActivityRepository(self._conn)
        self.queries = SqlAlchemyQueryRepository(self._conn)
        self.api_keys = SqlAlchemyApiKeyRepository(self._conn)
        self.favorites = SqlAlchemyFavoriteRepository(self._conn)
        self.usage = SqlAlchemyUsageRepository(self._conn)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._tx is not None and self._tx.is_active:
                self._tx.rollback()
            self.login_attempts.release()  # after the commit or rollback, never before
        finally:
            if self._conn is not None:
                self._conn.close()
            self._conn = self._tx = None

    def commit(self) -> None:
        assert self._tx is not None
        self._tx.commit()

    def rollback(self) -> None:
        assert self._tx is not None
        self._tx.rollback()


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
