"""Stored queries by type and state (for /metrics): one GROUP BY over consultas, read only."""

from __future__ import annotations

import sqlalchemy as sa

from adapters.sql.tables import consultas


class SqlAlchemyQueryCounts:
    """Callable: [(tipo_consulta, estado, count)], on its own short read-only connection."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def __call__(self) -> list[tuple[str, str, int]]:
        c = consultas.c
        stmt = sa.select(c.tipo_consulta, c.estado, sa.func.count()).group_by(
            c.tipo_consulta, c.estado
        )
        with self._engine.connect() as conn:
            return [(kind, state, int(n)) for kind, state, n in conn.execute(stmt)]
