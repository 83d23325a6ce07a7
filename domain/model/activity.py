"""Audit log entries: who did what, from where; never a secret. One factory builds them."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from attrs import field, frozen

from domain.model.tokens import ClientInfo


class Action(enum.StrEnum):
    """What an entry records; the values are the stored accion codes."""

    REGISTERED = "registro"
    LOGIN = "login"
    LOGIN_FAILED = "login_fallido"
    LOGIN_LOCKED = "bloqueo_login"
    LOGIN_UNLOCKED = "desbloqueo_login"
    LOGOUT = "logout"
    REFRESH = "refresh"
    REFRESH_REUSED = "refresh_reutilizado"
    PASSWORD_CHANGED = "password_cambiado"  # noqa: S105 (an action name)
    USER_CREATED = "usuario_creado"
    USER_UPDATED = "usuario_actualizado"
    USER_DEACTIVATED = "usuario_desactivado"
    KEY_CREATED = "api_key_creada"
    KEY_UPDATED = "api_key_actualizada"
    KEY_DELETED = "api_key_eliminada"
    KEY_PROBED = "api_key_probada"
    CURRENT_QUERY = "consulta_tiempo_real"
    HISTORY_QUERY = "consulta_historico"
    FORECAST_QUERY = "consulta_pronostico"
    QUERY_FAILED = "consulta_error"


@frozen
class ActivityEntry:
    """One row of logs_actividad."""

    action: str
    user_id: int | None
    occurred_at: datetime
    ip: str | None = None
    user_agent: str | None = None
    detail: Mapping[str, Any] = field(factory=dict)
    id: int | None = None


def audit(
    action: Action, actor: int | None, at: datetime, client: ClientInfo, /, **detail: Any
) -> ActivityEntry:
    """The one way an entry is made: the action, who, when, from where, and what about."""
    return ActivityEntry(
        action=action.value,
        user_id=actor,
        occurred_at=at,
        ip=client.ip,
        user_agent=client.user_agent,
        detail=detail,
    )
