"""SQL repositories for accounts and tokens; explicit row mapping."""

from __future__ import annotations

from datetime import datetime

import orjson
import sqlalchemy as sa

from adapters.sql.engine import execute_unique, from_db, to_db
from adapters.sql.tables import (
    familias_tokens,
    tokens_refresco,
    tokens_revocados,
    usuarios,
)
from domain.errors import Conflict
from domain.model.tokens import RefreshToken
from domain.model.users import Account, Role, User, normalize_username


def _account_fields(row: sa.Row) -> dict:
    """Every account column but the password hash (what a session sees)."""
    return {
        "id": row.id,
        "username": row.username,
        "email": row.email,
        "role": Role(row.rol),
        "active": bool(row.activo),
        "created_at": from_db(row.creado_en),
        "full_name": row.nombre_completo,
        "last_login": from_db(row.ultimo_login),
        "tokens_valid_after": from_db(row.tokens_validos_desde),
    }


def _user(row: sa.Row) -> User:
    return User(password_hash=row.password_hash, **_account_fields(row))


_U = usuarios.c
SESSION_COLUMNS = (
    _U.id,
    _U.username,
    _U.email,
    _U.rol,
    _U.activo,
    _U.creado_en,
    _U.nombre_completo,
    _U.ultimo_login,
    _U.tokens_validos_desde,
)
# Authentication, one statement per request: the account's listed columns (never the password
# hash) if it is active, the access token is not revoked and its family is live. Built once,
# with bound parameters, so SQLAlchemy reuses the compiled form without rebuilding its key.
# The columns come packed in ONE JSON array (json_array on MariaDB and SQLite alike): PyMySQL
# parses every column's descriptor and value in pure Python, ~a fifth of the request's CPU
# for nine columns, where one JSON text decodes in C (orjson).
SESSION_ACCOUNT = sa.select(sa.func.json_array(*SESSION_COLUMNS)).where(
    _U.id == sa.bindparam("user_id"),
    _U.activo.is_(True),
    ~sa.exists().where(tokens_revocados.c.jti == sa.bindparam("token_id")),
    sa.exists().where(
        familias_tokens.c.id == sa.bindparam("family_id"), familias_tokens.c.revocada_en.is_(None)
    ),
)
_ROLES = {r.value: r for r in Role}


def _session_account(packed: str) -> Account:
    (id_, username, email, role, active, created, full_name, last_login, valid_after) = (
        orjson.loads(packed)
    )
    return Account(
        id=id_,
        username=username,
        email=email,
        role=_ROLES[role],
        active=bool(active),
        created_at=from_db(created),
        full_name=full_name,
        last_login=from_db(last_login),
        tokens_valid_after=from_db(valid_after),
    )


def _taken() -> Conflict:
    return Conflict(
        "ya existe un usuario con ese username o email",
        details={"username": "duplicado", "email": "duplicado"},
    )


def _email_taken() -> Conflict:
    return Conflict("ya existe un usuario con ese email", details={"email": "duplicado"})


class SqlAlchemyUserRepository:
    """usuarios; uniqueness is enforced by the database, so concurrent sign-ups cannot both win."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn

    def add(self, user: User) -> User:
        values = {
            "username": user.username,
            "username_normalizado": normalize_username(user.username),
            "email": user.email,
            "password_hash": user.password_hash,
            "nombre_completo": user.full_name,
            "rol": user.role.value,
            "activo": user.active,
            "creado_en": to_db(user.created_at),
            "actualizado_en": to_db(user.created_at),
        }
        result = execute_unique(self._conn, usuarios.insert().values(**values), _taken)
        user.id = int(result.inserted_primary_key[0])
        return user

    def get(self, user_id: int, for_update: bool = False) -> User | None:
        stmt = sa.select(usuarios).where(usuarios.c.id == user_id)
        row = self._conn.execute(stmt.with_for_update() if for_update else stmt).first()
        return _user(row) if row else None

    def find_by_login(self, username_or_email: str) -> User | None:
        key = username_or_email.strip()
        column = usuarios.c.email if "@" in key else usuarios.c.username_normalizado
        row = self._conn.execute(sa.select(usuarios).where(column == key.lower())).first()
        return _user(row) if row else None

    def record_login(self, user_id: int, at: datetime) -> None:
        self._conn.execute(
            usuarios.update().where(usuarios.c.id == user_id).values(ultimo_login=to_db(at))
        )

    def update(self, user: User) -> None:
        values = {
            "email": user.email,
            "nombre_completo": user.full_name,
            "rol": user.role.value,
            "activo": user.active,
            "password_hash": user.password_hash,
            "tokens_validos_desde": to_db(user.tokens_valid_after),
            "actualizado_en": sa.func.current_timestamp(),
        }
        update = usuarios.update().where(usuarios.c.id == user.id).values(**values)
        execute_unique(self._conn, update, _email_taken)

    def search(
        self, role: Role | None, active: bool | None, text: str | None, offset: int, limit: int
    ) -> tuple[list[User], int]:
        c = usuarios.c
        conditions = []
        if role is not None:
            conditions.append(c.rol == role.value)
        if active is not None:
            conditions.append(c.activo.is_(active))
        if text:
            escaped = text.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
            pattern = f"%{escaped}%"
            conditions.append(
                sa.or_(
                    c.username_normalizado.like(pattern, escape="!"),
                    c.email.like(pattern, escape="!"),
                    sa.func.lower(c.nombre_completo).like(pattern, escape="!"),
                )
            )
        where = sa.and_(sa.true(), *conditions)
        total = self._conn.execute(
            sa.select(sa.func.count()).select_from(usuarios).where(where)
        ).scalar_one()
        rows = self._conn.execute(
            sa.select(usuarios).where(where).order_by(c.id).offset(offset).limit(limit)
        )
        return [_user(row) for row in rows], int(total)

    def count_active_admins(self) -> int:
        rows = self._conn.execute(
            sa.select(usuarios.c.id)
            .where(usuarios.c.rol == Role.ADMIN.value, usuarios.c.activo.is_(True))
            .with_for_update()
        ).all()
        return len(rows)


class SqlAlchemyTokenRepository:
    """familias_tokens, tokens_refresco and tokens_revocados."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn

    def add_family(self, family_id: str, user_id: int, at: datetime) -> None:
        self._conn.execute(
            familias_tokens.insert().values(id=family_id, usuario_id=user_id, creada_en=to_db(at))
        )

    def add_refresh(self, token: RefreshToken) -> None:
        self._conn.execute(
            tokens_refresco.insert().values(
                jti=token.token_id,
                familia_id=token.family_id,
                usuario_id=token.user_id,
                emitido_en=to_db(token.issued_at),
                expira_en=to_db(token.expires_at),
                usado_en=to_db(token.used_at),
            )
        )

    def get_refresh(self, token_id: str, for_update: bool = False) -> RefreshToken | None:
        stmt = sa.select(tokens_refresco).where(tokens_refresco.c.jti == token_id)
        row = self._conn.execute(stmt.with_for_update() if for_update else stmt).first()
        if row is None:
            return None
        return RefreshToken(
            token_id=row.jti,
            family_id=row.familia_id,
            user_id=row.usuario_id,
            issued_at=from_db(row.emitido_en),
            expires_at=from_db(row.expira_en),
            used_at=from_db(row.usado_en),
        )

    def mark_used(self, token_id: str, at: datetime) -> bool:
        result = self._conn.execute(
            tokens_refresco.update()
            .where(tokens_refresco.c.jti == token_id, tokens_refresco.c.usado_en.is_(None))
            .values(usado_en=to_db(at))
        )
        return result.rowcount == 1

    def revoke_family(self, family_id: str, at: datetime, reason: str) -> None:
        self._conn.execute(
            familias_tokens.update()
            .where(familias_tokens.c.id == family_id, familias_tokens.c.revocada_en.is_(None))
            .values(revocada_en=to_db(at), motivo_revocacion=reason)
        )

    def family_revoked(self, family_id: str) -> bool:
        row = self._conn.execute(
            sa.select(familias_tokens.c.revocada_en).where(familias_tokens.c.id == family_id)
        ).first()
        return row is None or row.revocada_en is not None

    def revoke_access(
        self, token_id: str, user_id: int, expires_at: datetime, at: datetime
    ) -> None:
        if self.access_revoked(token_id):
            return
        self._conn.execute(
            tokens_revocados.insert().values(
                jti=token_id, usuario_id=user_id, expira_en=to_db(expires_at), revocado_en=to_db(at)
            )
        )

    def revoke_user_families(
        self, user_id: int, at: datetime, reason: str, keep: str | None = None
    ) -> None:
        stmt = familias_tokens.update().where(
            familias_tokens.c.usuario_id == user_id, familias_tokens.c.revocada_en.is_(None)
        )
        if keep is not None:
            stmt = stmt.where(familias_tokens.c.id != keep)
        self._conn.execute(stmt.values(revocada_en=to_db(at), motivo_revocacion=reason))

    def session_account(self, user_id: int, token_id: str, family_id: str) -> Account | None:
        params = {"user_id": user_id, "token_id": token_id, "family_id": family_id}
        found = self._conn.rows(SESSION_ACCOUNT, params)  # type: ignore[attr-defined]
        return _session_account(found[0][0]) if found else None

    def access_revoked(self, token_id: str) -> bool:
        query = sa.select(tokens_revocados.c.jti).where(tokens_revocados.c.jti == token_id)
        return self._conn.execute(query).first() is not None
