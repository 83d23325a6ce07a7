"""ciudades_favoritas: a user's favourite cities; unique per user and coordinates."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from adapters.sql.engine import execute_unique, from_db, to_db
from adapters.sql.tables import ciudades_favoritas
from domain.errors import Conflict
from domain.model.favorites import Favorite
from domain.model.location import Location


def _coordinate(value: float) -> Decimal:
    return Decimal(str(round(value, 8)))


def _favorite(row: sa.Row) -> Favorite:
    return Favorite(
        id=row.id,
        user_id=row.usuario_id,
        name=row.nombre_ciudad,
        location=Location(float(row.latitud), float(row.longitud), row.nombre_ciudad),
        is_default=bool(row.es_default),
        created_at=from_db(row.creada_en),
        country=row.pais,
    )


class SqlAlchemyFavoriteRepository:
    """Row ↔ Favorite; the unique key on (usuario_id, latitud, longitud) decides duplicates."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn

    def _values(self, f: Favorite) -> dict:
        return {
            "usuario_id": f.user_id,
            "nombre_ciudad": f.name,
            "pais": f.country,
            "latitud": _coordinate(f.location.latitude),
            "longitud": _coordinate(f.location.longitude),
            "es_default": f.is_default,
        }

    def add(self, favorite: Favorite) -> Favorite:
        values = self._values(favorite) | {"creada_en": to_db(favorite.created_at)}
        insert = ciudades_favoritas.insert().values(**values)
        result = execute_unique(self._conn, insert, _coordinates_taken)
        favorite.id = int(result.inserted_primary_key[0])
        return favorite

    def get(self, favorite_id: int) -> Favorite | None:
        row = self._conn.execute(
            sa.select(ciudades_favoritas).where(ciudades_favoritas.c.id == favorite_id)
        ).first()
        return _favorite(row) if row else None

    def list_for_user(self, user_id: int) -> list[Favorite]:
        rows = self._conn.execute(
            sa.select(ciudades_favoritas)
            .where(ciudades_favoritas.c.usuario_id == user_id)
            .order_by(ciudades_favoritas.c.id)
        )
        return [_favorite(row) for row in rows]

    def update(self, favorite: Favorite) -> None:
        update = (
            ciudades_favoritas.update()
            .where(ciudades_favoritas.c.id == favorite.id)
            .values(**self._values(favorite))
        )
        execute_unique(self._conn, update, _coordinates_taken)

    def delete(self, favorite_id: int) -> None:
        self._conn.execute(
            ciudades_favoritas.delete().where(ciudades_favoritas.c.id == favorite_id)
        )

    def clear_default(self, user_id: int) -> None:
        self._conn.execute(
            ciudades_favoritas.update()
            .where(
                ciudades_favoritas.c.usuario_id == user_id,
                ciudades_favoritas.c.es_default.is_(True),
            )
            .values(es_default=False)
        )

    def default_for(self, user_id: int) -> Favorite | None:
        row = self._conn.execute(
            sa.select(ciudades_favoritas).where(
                ciudades_favoritas.c.usuario_id == user_id,
                ciudades_favoritas.c.es_default.is_(True),
            )
        ).first()
        return _favorite(row) if row else None


def _coordinates_taken() -> Conflict:
    return Conflict(
        "ya tiene una ciudad favorita en esas coordenadas",
        details={"latitud": "duplicada", "longitud": "duplicada"},
    )
