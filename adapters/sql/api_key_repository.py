"""api_keys: encrypted provider keys and their daily quota (check + increment in one UPDATE)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from adapters.sql.engine import from_db, to_db
from adapters.sql.tables import api_keys
from domain.errors import Conflict
from domain.model.api_keys import ApiKey


def _key(row: sa.Row) -> ApiKey:
    return ApiKey(
        id=row.id,
        user_id=row.usuario_id,
        provider=row.proveedor,
        key_ciphertext=row.api_key_encrypted,
        secret_ciphertext=row.api_secret_encrypted,
        active=bool(row.activa),
        daily_limit=row.limite_consultas_diarias,
        used_today=row.consultas_realizadas,
        usage_day=row.dia_consultas,
        created_at=from_db(row.creada_en),
        description=row.descripcion,
        last_used=from_db(row.ultimo_uso),
    )


class SqlAlchemyApiKeyRepository:
    """Keys stay ciphertext in and out; decryption belongs to the SecretBox."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn

    def add(self, key: ApiKey) -> ApiKey:
        try:
            with self._conn.begin_nested():
                result = self._conn.execute(
                    api_keys.insert().values(
                        usuario_id=key.user_id,
                        proveedor=key.provider,
                        api_key_encrypted=key.key_ciphertext,
                        api_secret_encrypted=key.secret_ciphertext,
                        descripcion=key.description,
                        activa=key.active,
                        limite_consultas_diarias=key.daily_limit,
                        consultas_realizadas=key.used_today,
                        dia_consultas=key.usage_day,
                        creada_en=to_db(key.created_at),
                        actualizada_en=to_db(key.created_at),
                    )
                )
        except IntegrityError:
            raise Conflict(
                "ya tiene una clave para ese proveedor", details={"proveedor": "duplicado"}
            ) from None
        key.id = int(result.inserted_primary_key[0])
        return key

    def get(self, key_id: int) -> ApiKey | None:
        row = self._conn.execute(sa.select(api_keys).where(api_keys.c.id == key_id)).first()
        return _key(row) if row else None

    def active_for(self, user_id: int, provider: str) -> ApiKey | None:
        row = self._conn.execute(
            sa.select(api_keys).where(
                api_keys.c.usuario_id == user_id,
                api_keys.c.proveedor == provider,
                api_keys.c.activa.is_(True),
            )
        ).first()
        return _key(row) if row else None

    def try_consume(self, key_id: int, day: date, at: datetime) -> bool:
        """The day only moves forward: a call stamped with an earlier day than the stored one
        (it started just before local midnight, another one just after stored the new day)
        counts against the stored day, so calls either side of midnight never reset it back."""
        c = api_keys.c
        new_day = sa.or_(c.dia_consultas.is_(None), c.dia_consultas < day)
        result = self._conn.execute(
            api_keys.update()
            .where(
                c.id == key_id,
                c.activa.is_(True),
                sa.or_(new_day, c.consultas_realizadas < c.limite_consultas_diarias),
            )
            # MySQL assigns left to right: the counter must be computed before the day moves.
            .ordered_values(
                (c.consultas_realizadas, sa.case((new_day, 1), else_=c.consultas_realizadas + 1)),
                (c.dia_consultas, sa.case((new_day, day), else_=c.dia_consultas)),
                (c.ultimo_uso, to_db(at)),
            )
        )
        return result.rowcount == 1

    def list_for_user(self, user_id: int | None) -> list[ApiKey]:
        stmt = sa.select(api_keys).order_by(api_keys.c.proveedor, api_keys.c.id)
        if user_id is not None:
            stmt = stmt.where(api_keys.c.usuario_id == user_id)
        return [_key(row) for row in self._conn.execute(stmt)]

    def update(self, key: ApiKey) -> None:
        self._conn.execute(
            api_keys.update()
            .where(api_keys.c.id == key.id)
            .values(
                activa=key.active,
                descripcion=key.description,
                limite_consultas_diarias=key.daily_limit,
                api_key_encrypted=key.key_ciphertext,
                api_secret_encrypted=key.secret_ciphertext,
                actualizada_en=sa.func.current_timestamp(),
            )
        )

    def delete(self, key_id: int) -> None:
        self._conn.execute(api_keys.delete().where(api_keys.c.id == key_id))

    def batch_after(self, last_id: int, size: int) -> list[ApiKey]:
        rows = self._conn.execute(
            sa.select(api_keys).where(api_keys.c.id > last_id).order_by(api_keys.c.id).limit(size)
        )
        return [_key(row) for row in rows]
