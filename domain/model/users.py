"""Users, roles and the rules for usernames, e-mails and passwords."""

from __future__ import annotations

import enum
import re
from collections.abc import Container
from datetime import datetime

from attrs import define, frozen

from domain.errors import Conflict, ValidationError

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,50}$")
# Pragmatic address check: one @, a dotted domain, no spaces; the mailbox itself is not verified.
EMAIL_RE = re.compile(
    r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_BYTES = 72  # bcrypt reads at most 72 bytes; longer is refused, never truncated.


class Role(enum.StrEnum):
    """What a user may do; the values are the wire and database names."""

    ADMIN = "admin"
    OPERATOR = "operario"
    VIEWER = "consultor"


@define
class User:
    """A ClimaGuru account."""

    id: int | None
    username: str
    email: str
    password_hash: str
    role: Role
    active: bool
    created_at: datetime
    full_name: str | None = None
    last_login: datetime | None = None
    tokens_valid_after: datetime | None = None


@frozen
class Account:
    """A user as a live session sees it: every field of User but the password hash."""

    id: int
    username: str
    email: str
    role: Role
    active: bool
    created_at: datetime
    full_name: str | None = None
    last_login: datetime | None = None
    tokens_valid_after: datetime | None = None

    @classmethod
    def of(cls, user: User) -> Account:
        assert user.id is not None
        return cls(
            user.id,
            user.username,
            user.email,
            user.role,
            user.active,
            user.created_at,
            user.full_name,
            user.last_login,
            user.tokens_valid_after,
        )


def normalize_username(raw: str) -> str:
    """The form in which usernames are compared: stripped and case-folded."""
    return raw.strip().lower()


def validate_username(raw: object) -> str:
    if not isinstance(raw, str) or not USERNAME_RE.match(raw.strip()):
        raise ValidationError(
            "username debe tener de 3 a 50 caracteres: letras, números, '_', '.' o '-'",
            details={"username": "formato_invalido"},
        )
    return raw.strip()


def validate_email(raw: object) -> str:
    if not isinstance(raw, str) or len(raw.strip()) > 100 or not EMAIL_RE.match(raw.strip()):
        raise ValidationError(
            "email no es una dirección válida", details={"email": "formato_invalido"}
        )
    return raw.strip().lower()


def validate_password(
    raw: object, common_passwords: Container[str], field: str = "password"
) -> str:
    """A password fit to hash; errors name `field`, the input that carried it."""
    if not isinstance(raw, str):
        raise ValidationError(f"{field} es obligatorio", details={field: "obligatorio"})
    if len(raw) < PASSWORD_MIN_CHARS:
        raise ValidationError(
            f"{field} debe tener al menos {PASSWORD_MIN_CHARS} caracteres",
            details={field: "muy_corta"},
        )
    if len(raw.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise ValidationError(
            f"{field} no puede superar {PASSWORD_MAX_BYTES} bytes en UTF-8",
            details={field: "muy_larga"},
        )
    if raw.lower() in common_passwords:
        raise ValidationError(
            f"{field} es una de las contraseñas más comunes; elija otra",
            details={field: "demasiado_comun"},
        )
    return raw


def validate_full_name(raw: object) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or len(raw.strip()) > 100:
        raise ValidationError(
            "nombre_completo debe ser texto de hasta 100 caracteres",
            details={"nombre_completo": "formato_invalido"},
        )
    return raw.strip() or None


def removes_an_admin(user: User, role: Role | None, active: bool | None) -> bool:
    """Whether the change takes an active admin away (a demotion or a deactivation)."""
    if user.role is not Role.ADMIN or not user.active:
        return False
    return (role is not None and role is not Role.ADMIN) or active is False


def check_not_last_admin(active_admins: int) -> None:
    """Before an admin is removed: the last active admin can never be demoted or deactivated."""
    if active_admins <= 1:
        raise Conflict(
            "no se puede degradar ni desactivar al último administrador activo",
            code="ultimo_administrador",
        )


@frozen
class UserChanges:
    """What an admin changes of an account, validated; None means unchanged."""

    role: Role | None = None
    active: bool | None = None
    full_name: str | None = None
    email: str | None = None
    clears_full_name: bool = False  # nombre_completo sent as null or blank

    def given(self) -> dict[str, object]:
        """The changed fields, in the order role, active, full_name, email (the audit)."""
        found: dict[str, object] = {}
        if self.role is not None:
            found["role"] = self.role.value
        if self.active is not None:
            found["active"] = self.active
        if self.full_name is not None or self.clears_full_name:
            found["full_name"] = self.full_name
        if self.email is not None:
            found["email"] = self.email
        return found

    def apply(self, user: User) -> None:
        if self.role is not None:
            user.role = self.role
        if self.active is not None:
            user.active = self.active
        if self.full_name is not None or self.clears_full_name:
            user.full_name = self.full_name
        if self.email is not None:
            user.email = self.email
