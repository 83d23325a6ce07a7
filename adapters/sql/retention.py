"""SqlAlchemyRetentionStore: batched deletes by primary key, one short transaction per batch.

Every batch first reads the primary keys to delete (a consistent read on InnoDB: no locks),
then deletes exactly those rows by primary key in READ COMMITTED (MariaDB), so a batch locks
only the rows it removes and never a range a new query could be inserted into. Series go
first, in chunks of their own, then the summaries and the queries together, so a query is
never visible without its summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from adapters.sql.engine import to_db
from adapters.sql.tables import (
    consultas,
    datos_clima,
    familias_tokens,
    logs_actividad,
    series_clima,
    tokens_refresco,
    tokens_revocados,
)
from domain.model.retention import PurgedQueries, PurgedSessions, SessionCutoffs


class SqlAlchemyRetentionStore:
    """consultas (+ datos_clima, series_clima) and logs_actividad, oldest first; the session
    tables (tokens_revocados, tokens_refresco, familias_tokens) past their SessionCutoffs."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def count_queries_before(self, cutoff: datetime) -> PurgedQueries:
        old = consultas.c.creada_en < to_db(cutoff)
        with self._reader() as conn:
            queries = conn.scalar(sa.select(sa.func.count()).where(old))
            summaries, series = (
                conn.scalar(
                    sa.select(sa.func.count())
                    .select_from(child.join(consultas, consultas.c.id == child.c.consulta_id))
                    .where(old)
                )
                for child in (datos_clima, series_clima)
            )
        return PurgedQueries(queries or 0, summaries or 0, series or 0)

    def purge_queries_before(self, cutoff: datetime, batch_size: int) -> PurgedQueries:
        old = consultas.c.creada_en < to_db(cutoff)
        oldest = (
            sa.select(consultas.c.id).where(old).order_by(consultas.c.creada_en, consultas.c.id)
        )
        with self._reader() as conn:
            ids = conn.execute(oldest.limit(batch_size)).scalars().all()
        if not ids:
            return PurgedQueries()
        series = self._purge_series(ids, batch_size)
        with self._writer() as conn, conn.begin():
            summary_ids = conn.execute(
                sa.select(datos_clima.c.id).where(datos_clima.c.consulta_id.in_(ids))
            ).scalars()
            summaries = _delete(conn, datos_clima, list(summary_ids))
            queries = conn.execute(consultas.delete().where(consultas.c.id.in_(ids), old))
        return PurgedQueries(queries.rowcount, summaries, series)

    def _purge_series(self, query_ids: Sequence[int], batch_size: int) -> int:
        chunk = sa.select(series_clima.c.id).where(series_clima.c.consulta_id.in_(query_ids))
        done = 0
        while True:
            with self._writer() as conn, conn.begin():
                ids = conn.execute(chunk.limit(batch_size)).scalars().all()
                if not ids:
                    return done
                done += _delete(conn, series_clima, ids)

    def count_activity_before(self, cutoff: datetime) -> int:
        old = logs_actividad.c.creado_en < to_db(cutoff)
        with self._reader() as conn:
            return conn.scalar(sa.select(sa.func.count()).where(old)) or 0

    def purge_activity_before(self, cutoff: datetime, batch_size: int) -> int:
        oldest = (
            sa.select(logs_actividad.c.id)
            .where(logs_actividad.c.creado_en < to_db(cutoff))
            .order_by(logs_actividad.c.creado_en, logs_actividad.c.id)
            .limit(batch_size)
        )
        with self._writer() as conn, conn.begin():
            return _delete(conn, logs_actividad, conn.execute(oldest).scalars().all())

    def count_expired_sessions(self, cutoffs: SessionCutoffs) -> PurgedSessions:
        revoked, refresh, families = _expired_sessions(cutoffs)
        with self._reader() as conn:
            counts = [
                conn.scalar(sa.select(sa.func.count()).select_from(ids.subquery())) or 0
                for ids in (revoked, refresh, families)
            ]
        return PurgedSessions(*counts)

    def purge_expired_sessions(self, cutoffs: SessionCutoffs, batch_size: int) -> PurgedSessions:
        revoked, refresh, _ = _expired_sessions(cutoffs)
        done = []
        for table, ids in ((tokens_revocados, revoked), (tokens_refresco, refresh)):
            with self._writer() as conn, conn.begin():
                jtis = conn.execute(ids.limit(batch_size)).scalars().all()
                done.append(_delete(conn, table, jtis, table.c.jti))
        # Only families with no refresh token left at all (not merely none alive), so a batch
        # never removes a token through the foreign key's cascade without counting it.
        empty = _families_without_tokens(cutoffs, sa.true())
        with self._writer() as conn, conn.begin():
            families = conn.execute(empty.limit(batch_size)).scalars().all()
            done.append(_delete(conn, familias_tokens, families))
        return PurgedSessions(*done)

    def _writer(self) -> sa.Connection:
        """A batch's connection. On MariaDB in READ COMMITTED, so InnoDB locks the rows a batch
        deletes and not the gaps beside them: under REPEATABLE READ the cascade of a consultas
        delete into datos_clima took next-key locks, and a query completing at that moment
        (holding its consultas row, inserting its datos_clima row) deadlocked with the batch —
        the live request was the victim (503). SQLite has one writer at a time anyway."""
        conn = self._engine.connect()
        if conn.dialect.name in ("mysql", "mariadb"):
            conn = conn.execution_options(isolation_level="READ COMMITTED")
        return conn

    def _reader(self) -> sa.Connection:
        # SQLite: a deferred BEGIN, so counting and picking ids never take the write lock.
        return self._engine.connect().execution_options(climaguru_read_only=True)


def _delete(
    conn: sa.Connection, table: sa.Table, ids: Sequence, key: sa.Column | None = None
) -> int:
    if not ids:
        return 0
    column = table.c.id if key is None else key
    return conn.execute(table.delete().where(column.in_(ids))).rowcount


def _expired_sessions(cut: SessionCutoffs) -> tuple[sa.Select, sa.Select, sa.Select]:
    """The keys of the revoked access tokens, refresh tokens and families past `cut` (a family:
    created before cut.issued_before, with no refresh token that stays)."""
    expired, issued = to_db(cut.expired_before), to_db(cut.issued_before)
    revoked = sa.select(tokens_revocados.c.jti).where(tokens_revocados.c.expira_en < expired)
    past = sa.and_(tokens_refresco.c.expira_en < expired, tokens_refresco.c.emitido_en < issued)
    refresh = sa.select(tokens_refresco.c.jti).where(past)
    return revoked, refresh, _families_without_tokens(cut, ~past)


def _families_without_tokens(cut: SessionCutoffs, kept: sa.ColumnElement[bool]) -> sa.Select:
    """Families created before cut.issued_before with no refresh token matching `kept`."""
    return sa.select(familias_tokens.c.id).where(
        familias_tokens.c.creada_en < to_db(cut.issued_before),
        ~sa.exists().where(tokens_refresco.c.familia_id == familias_tokens.c.id, kept),
    )
