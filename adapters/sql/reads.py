"""One-statement reads outside any transaction, on MariaDB: every request's authentication and
the listings, the hot path of issue 15.

A read-only unit of work whose only statement is a read needs no transaction: in autocommit
mode MariaDB runs the SELECT as its own transaction, so the ROLLBACK that closes every other
unit of work (a round trip and a wake-up of a server thread) has nothing to do. Those reads go
to a second pool, of autocommit connections (DB_POOL_SIZE, no overflow), through the DBAPI
cursor: SQLAlchemy's Connection, Transaction and result objects cost about as much CPU as
PyMySQL's own work for a one-row answer (bench/README.md, "Issue 15: reads outside a
transaction"). The statements are SQLAlchemy constructs, compiled once for the dialect.

What SQLAlchemy's Connection would do on an error is done here too: a DBAPI error is raised as
SQLAlchemy's (so the HTTP layer maps a lost or unreachable database to 503, as for any unit of
work), with its parameters hidden; a disconnect invalidates the connection and every older one
in the pool; and a pooled connection the server dropped meanwhile (a restart, wait_timeout) is
retried once on a fresh one, since nothing ran. A failed connection attempt is never retried,
nor a statement the server left unanswered past read_timeout: a stalled server costs one
bounded wait, not two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from adapters.sql.engine import timed_out

_USED = "climaguru_used"  # in a pooled connection's info: it answered once (not fresh)


class TransactionlessReads:
    """Runs a read-only statement on an autocommit connection; rows as plain tuples."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._dialect = engine.dialect
        self._error = engine.dialect.loaded_dbapi.Error
        self._compiled: dict[sa.Executable, sa.engine.Compiled] = {}

    @classmethod
    def beside(cls, engine: sa.Engine, autocommit: sa.Engine | None) -> TransactionlessReads | None:
        """Reads on `autocommit` (None: SQLite, where a read-only unit of work is already a
        plain deferred BEGIN); its pool closes with `engine`'s (Engine.dispose)."""
        if autocommit is None:
            return None
        sa.event.listen(engine, "engine_disposed", lambda _engine: autocommit.dispose())
        return cls(autocommit)

    def rows(self, statement: sa.Executable, values: Mapping[str, Any]) -> Sequence[tuple]:
        compiled = self._compiled.get(statement)
        if compiled is None:
            compiled = self._compiled[statement] = statement.compile(dialect=self._dialect)
        sql, params = compiled.string, compiled.construct_params(values)
        retry = True
        while True:
            try:
                conn = self._engine.raw_connection()
            except self._error as exc:
                raise self._wrapped(exc, sql, invalidated=False) from exc
            reused, cursor = conn.info.get(_USED, False), None
            try:
                cursor = conn.cursor()
                cursor.execute(sql, params)
                found = cursor.fetchall()
                cursor.close()
                conn.info[_USED] = True
                return found
            except self._error as exc:
                lost = self._dialect.is_disconnect(exc, conn.dbapi_connection, cursor)
                if lost:  # as sa.Connection does: this connection and every older one
                    self._engine.pool._invalidate(conn, exc)
                elif cursor is not None:
                    cursor.close()
                if not (lost and retry and reused) or timed_out(exc):
                    raise self._wrapped(exc, sql, invalidated=lost) from exc
                # A pooled connection the server dropped: nothing ran, try a fresh one.
                retry = False
            finally:
                conn.close()

    def _wrapped(self, exc: Exception, sql: str, invalidated: bool) -> sa.exc.DBAPIError:
        return sa.exc.DBAPIError.instance(
            sql,
            None,
            exc,
            self._error,
            hide_parameters=True,
            connection_invalidated=invalidated,
            dialect=self._dialect,
        )
