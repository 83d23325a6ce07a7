"""The one permission map: which role may do what; anything not listed is denied."""

from __future__ import annotations

import enum

from attrs import field, frozen

from domain.errors import PermissionDenied
from domain.model.queries import QueryStatus, WeatherQuery
from domain.model.users import Account, Role


class Permission(enum.Enum):
    """Actions a use case checks before it does anything."""

    READ_OWN_ACCOUNT = "leer_cuenta_propia"
    RUN_QUERY = "ejecutar_consulta"
    READ_OWN_QUERIES = "leer_consultas_propias"
    READ_ALL_QUERIES = "leer_todas_las_consultas"
    MANAGE_OWN_API_KEYS = "gestionar_claves_propias"
    MANAGE_OWN_FAVORITES = "gestionar_favoritas_propias"
    CHANGE_OWN_PASSWORD = "cambiar_password_propia"  # noqa: S105 (a permission name)
    READ_OWN_ACTIVITY = "leer_actividad_propia"
    READ_OWN_STATS = "leer_estadisticas_propias"
    READ_GLOBAL_STATS = "leer_estadisticas_globales"
    MANAGE_USERS = "gestionar_usuarios"
    READ_ALL_LOGS = "leer_todos_los_logs"


_EVERYONE = {
    Permission.READ_OWN_ACCOUNT,
    Permission.MANAGE_OWN_FAVORITES,
    Permission.CHANGE_OWN_PASSWORD,
    Permission.READ_OWN_ACTIVITY,
}

POLICY: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.OPERATOR: frozenset(
        _EVERYONE
        | {
            Permission.RUN_QUERY,
            Permission.READ_OWN_QUERIES,
            Permission.MANAGE_OWN_API_KEYS,
            Permission.READ_OWN_STATS,
        }
    ),
    Role.VIEWER: frozenset(_EVERYONE | {Permission.READ_ALL_QUERIES, Permission.READ_GLOBAL_STATS}),
}


@frozen
class Principal:
    """Who is calling, as read from a verified access token and the database."""

    user_id: int
    username: str
    role: Role
    token_id: str
    family_id: str
    token_expires_at: float
    # The account as the authenticating statement read it (None when built elsewhere):
    # GET /api/auth/me renders it without reading the user again.
    account: Account | None = field(default=None, eq=False, repr=False)


def can(principal: Principal, permission: Permission) -> bool:
    return permission in POLICY.get(principal.role, frozenset())


def require(principal: Principal, permission: Permission) -> None:
    """Raise PermissionDenied unless the principal's role grants the permission."""
    if not can(principal, permission):
        raise PermissionDenied("su rol no permite esta acción")


def may_read_query(principal: Principal, query: WeatherQuery | None) -> bool:
    """Owners see their queries; admin every query; consultor every completed query."""
    if query is None:
        return False
    if query.user_id == principal.user_id:
        return True
    if can(principal, Permission.READ_ALL_QUERIES):
        return principal.role is Role.ADMIN or query.status is QueryStatus.COMPLETED
    return False
