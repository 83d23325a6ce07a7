"""uso_claves_sistema and ventanas_consultas: counters charged by one atomic upsert."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, sqlite

from adapters.sql.tables import uso_claves_sistema, ventanas_consultas


class SqlAlchemyUsageRepository:
    """One upsert per charge: insert the row at 1, or raise it by one but never past limit + 1;
    the value read back under the row lock (held to commit) says whether the charge fitted."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn

    def _charge(self, table: sa.Table, where: dict, limit: int) -> bool:
        if limit <= 0:
            return False
        capped = sa.func.least if self._conn.dialect.name == "mysql" else sa.func.min
        if self._conn.dialect.name == "mysql":
            stmt = mysql.insert(table).values(**where, consultas=1)
            stmt = stmt.on_duplicate_key_update(consultas=capped(table.c.consultas + 1, limit + 1))
        else:
            stmt = sqlite.insert(table).values(**where, consultas=1)
            stmt = stmt.on_conflict_do_update(
                index_elements=list(where),
                set_={"consultas": capped(table.c.consultas + 1, limit + 1)},
            )
        self._conn.execute(stmt)
        conds = [table.c[k] == v for k, v in where.items()]
        used = self._conn.execute(sa.select(table.c.consultas).where(*conds)).scalar_one()
        if used > limit:  # refused: put the counter back to what was really used
            self._conn.execute(table.update().where(*conds).values(consultas=limit))
        return used <= limit

    def try_charge_system_key(self, user_id: int, provider: str, day: date, budget: int) -> bool:
        where = {"usuario_id": user_id, "proveedor": provider, "dia": day}
        return self._charge(uso_claves_sistema, where, budget)

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
        t = ventanas_consultas
        allowed = self._charge(t, {"usuario_id": user_id, "minuto": window}, limit)
        # Windows older than the previous one count for nothing: drop this user's.
        self._conn.execute(t.delete().where(t.c.usuario_id == user_id, t.c.minuto < window - 1))
        return allowed
