"""Budgets on the shared system keys and the per-user rate limit on queries: the rules."""

from __future__ import annotations

import math
from datetime import datetime

from attrs import frozen

WINDOW_SECONDS = 60


@frozen
class SystemKeyUsage:
    """How much of today's budget on one provider's system key one user has spent."""

    user_id: int
    provider: str
    used_today: int
    daily_budget: int


@frozen
class Window:
    """One fixed rate-limit window: its number and the seconds until the next one opens."""

    number: int
    retry_after: int


def minute_window(now: datetime) -> Window:
    """The fixed one-minute window `now` falls in (UTC epoch minutes); retry is at least 1 s."""
    seconds = now.timestamp()
    number = int(seconds // WINDOW_SECONDS)
    left = (number + 1) * WINDOW_SECONDS - seconds
    return Window(number, max(1, math.ceil(left)))
