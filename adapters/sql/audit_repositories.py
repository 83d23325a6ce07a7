"""SQL repositories for failed logins and the audit log (logs_actividad)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from adapters import audit_detail
from adapters.sql.engine import from_db, to_db
from adapters.sql.tables import intentos_login, logs_actividad
from domain.model.activity import ActivityEntry
from ports.repositories import ActivityFilter

LOCK_NAME = "climaguru.intentos_login"
LOCK_ARGS = {"name": LOCK_NAME, "wait": 10}


class SqlAlchemyLoginAttemptRepository:
    """intentos_login: one row per failure and key, counted over a sliding window."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn
        self.locked = False

    def lock(self) -> None:
        # SQLite: the unit of work's BEGIN IMMEDIATE already holds the write lock. MariaDB: one
        # named lock, taken before the transaction reads anything (so its snapshot sees every
        # earlier holder's rows); the unit of work releases it after commit or rollback.
        if self._conn.dialect.name not in ("mysql", "mariadb"):
            return
        got = self._conn.execute(sa.text("SELECT GET_LOCK(:name, :wait)"), LOCK_ARGS).scalar()
        if got != 1:
            raise sa.exc.OperationalError("GET_LOCK", LOCK_ARGS, TimeoutError(LOCK_NAME))
        self.locked = True

    def release(self) -> None:
        if self.locked:
            self.locked = False
            # A lost connection fails here: the server released the lock with its session.
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                self._conn.execute(sa.text("SELECT RELEASE_LOCK(:name)"), {"name": LOCK_NAME})

    def add_failure(self, keys: Sequence[str], at: datetime) -> None:
        rows = [{"clave": key[:160], "ocurrido_en": to_db(at)} for key in keys]
        if rows:
            self._conn.execute(intentos_login.insert(), rows)

    def failures_since(self, key: str, since: datetime) -> list[datetime]:
        query = (
            sa.select(intentos_login.c.ocurrido_en)
            .where(
                intentos_login.c.clave == key[:160], intentos_login.c.ocurrido_en >= to_db(since)
            )
            .order_by(intentos_login.c.ocurrido_en)
        )
        return [from_db(value) for value in self._conn.execute(query).scalars()]

    def clear(self, key: str) -> None:
        self._conn.execute(intentos_login.delete().where(intentos_login.c.clave == key[:160]))

    def withdraw(self, key: str, at: datetime) -> None:
        c = intentos_login.c
        one = sa.select(c.id).where(c.clave == key[:160], c.ocurrido_en == to_db(at)).limit(1)
        row_id = self._conn.execute(one).scalar()
        if row_id is not None:
            self._conn.execute(intentos_login.delete().where(c.id == row_id))

    def clear_account(self, account: str) -> None:
        c = intentos_login.c
        pairs = account.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "@%"
        self._conn.execute(
            intentos_login.delete().where(
                sa.or_(c.clave == account[:160], c.clave.like(pairs, escape="\\"))
            )
        )


_INSERT_ACTIVITY = logs_actividad.insert()


class SqlAlchemyActivityRepository:
    """logs_actividad."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn

    def add(self, entry: ActivityEntry) -> None:
        row = {
            "usuario_id": entry.user_id,
            "accion": entry.action,
            "detalle": audit_detail.to_wire(entry.detail) or None,
            "ip_address": entry.ip,
            "user_agent": (entry.user_agent or None) and entry.user_agent[:255],
            "creado_en": to_db(entry.occurred_at),
        }
        self._conn.execute(_INSERT_ACTIVITY, row)  # values as parameters: compiled once

    def list_for_user(self, user_id: int, limit: int = 50) -> list[ActivityEntry]:
        return self.search(ActivityFilter(user_id), 0, limit)[0]

    def search(
        self, flt: ActivityFilter, offset: int, limit: int
    ) -> tuple[list[ActivityEntry], int]:
        c = logs_actividad.c
        conditions = []
        if flt.user_id is not None:
            conditions.append(c.usuario_id == flt.user_id)
        if flt.action is not None:
            conditions.append(c.accion == flt.action)
        if flt.since is not None:
            conditions.append(c.creado_en >= to_db(flt.since))
        if flt.until is not None:
            conditions.append(c.creado_en < to_db(flt.until))
        where = sa.and_(sa.true(), *conditions)
        total = self._conn.execute(
            sa.select(sa.func.count()).select_from(logs_actividad).where(where)
        ).scalar_one()
        query = (
            sa.select(logs_actividad)
            .where(where)
            .order_by(c.creado_en.desc(), c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        entries = [
            ActivityEntry(
                id=row.id,
                action=row.accion,
                user_id=row.usuario_id,
                occurred_at=from_db(row.creado_en),
                ip=row.ip_address,
                user_agent=row.user_agent,
                detail=audit_detail.from_wire(row.detalle or {}),
            )
            for row in self._conn.execute(query)
        ]
        return entries, int(total)
