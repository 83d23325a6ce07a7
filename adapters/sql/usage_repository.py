"""uso_claves_sistema and ventanas_consultas: counters charged by one atomic upsert."""

from __future__ import annotations

import functools
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, sqlite

from adapters.sql.tables import uso_claves_sistema, ventanas_consultas


class SqlAlchemyUsageRepository:
    """One upsert per charge: insert the row at 1, or raise it by one but never past limit + 1;
    the value read back under the row lock (held to commit) says whether the charge fitted."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn

    def _charge(self, table: sa.Table, where: dict, limit: int) -> int:
        """The counter after this charge (limit + 1: refused, and not counted)."""
        if limit <= 0:
            return limit + 1
        upsert, read, back = _statements(table, tuple(where), self._conn.dialect.name)
        params = {f"p_{k}": v for k, v in where.items()} | {"p_tope": limit + 1}
        self._conn.execute(upsert, params)
        used = self._conn.execute(read, params).scalar_one()
        if used > limit:  # refused: put the counter back to what was really used
            self._conn.execute(back, params | {"p_tope": limit})
        return used

    def try_charge_system_key(self, user_id: int, provider: str, day: date, budget: int) -> bool:
        where = {"usuario_id": user_id, "proveedor": provider, "dia": day}
        return self._charge(uso_claves_sistema, where, budget) <= budget

    def system_key_usage(self, user_id: int | None, day: date) -> list[tuple[int, str, int]]:
        t = uso_claves_sistema
        stmt = (
            sa.select(t.c.usuario_id, t.c.proveedor, t.c.consultas)
            .where(t.c.dia == day)
            .order_by(t.c.usuario_id, t.c.proveedor)
        )
        if user_id is not None:
            stmt = stmt.where(t.c.usuario_id == user_id)
        return [(r.usuario_id, r.proveedor, r.consultas) for r in self._conn.execute(stmt)]

    def try_hit(self, user_id: int, window: int, limit: int) -> bool:
        used = self._charge(ventanas_consultas, {"usuario_id": user_id, "minuto": window}, limit)
        if used == 1:  # the window's first query: windows older than the previous one count
            # for nothing, drop this user's (once a minute, not on every query)
            self._conn.execute(_OLD_WINDOWS, {"p_usuario_id": user_id, "p_minuto": window - 1})
        return used <= limit


_OLD_WINDOWS = ventanas_consultas.delete().where(
    ventanas_consultas.c.usuario_id == sa.bindparam("p_usuario_id"),
    ventanas_consultas.c.minuto < sa.bindparam("p_minuto"),
)


@functools.cache
def _statements(table: sa.Table, keys: tuple[str, ...], dialect: str) -> tuple:
    """The upsert, the read-back and the put-back of one counter table, built once with bound
    parameters (p_<column>, p_tope): SQLAlchemy then reuses their compiled form as it is."""
    values = {k: sa.bindparam(f"p_{k}") for k in keys}
    raised = (sa.func.least if dialect == "mysql" else sa.func.min)(
        table.c.consultas + 1, sa.bindparam("p_tope")
    )
    if dialect == "mysql":
        upsert = mysql.insert(table).values(**values, consultas=1)
        upsert = upsert.on_duplicate_key_update(consultas=raised)
    else:
        upsert = sqlite.insert(table).values(**values, consultas=1)
        upsert = upsert.on_conflict_do_update(index_elements=list(keys), set_={"consultas": raised})
    conds = [table.c[k] == sa.bindparam(f"p_{k}") for k in keys]
    read = sa.select(table.c.consultas).where(*conds)
    back = table.update().where(*conds).values(consultas=sa.bindparam("p_tope"))
    return upsert, read, back
