"""Users, roles and the rules for usernames, e-mails and passwords."""

from __future__ import annotations

import enum
import re
from collections.abc import Container
from datetime import datetime

from attrs import define, frozen

from domain.errors import ValidationError

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
class NewUser:
    """Validated registration data, before it has an id."""

    username: str
    email: str
    password: str
    full_name: str | None


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


def validate_password(raw: object, common_passwords: Container[str]) -> str:
    if not isinstance(raw, str):
        raise ValidationError("password es obligatorio", details={"password": "obligatorio"})
    if len(raw) < PASSWORD_MIN_CHARS:
        raise ValidationError(
            f"password debe tener al menos {PASSWORD_MIN_CHARS} caracteres",
            details={"password": "muy_corta"},
        )
    if len(raw.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise ValidationError(
            f"password no puede superar {PASSWORD_MAX_BYTES} bytes en UTF-8",
            details={"password": "muy_larga"},
        )
    if raw.lower() in common_passwords:
        raise ValidationError(
            "password es una de las contraseñas más comunes; elija otra",
            details={"password": "demasiado_comun"},
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
