"""Audit log entries: who did what, from where; never a secret."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from attrs import field, frozen


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
