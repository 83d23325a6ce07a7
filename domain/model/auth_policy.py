"""Lifetimes and limits of authentication, set from configuration by the composition root."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from attrs import frozen


@frozen
class AuthPolicy:
    """How long tokens live, how long a refresh retry is forgiven, how many failures and sign-ups
    are allowed (see domain.model.lockout for how the failure limits combine)."""

    access_ttl: int = 3600
    refresh_ttl: int = 86400
    refresh_reuse_grace: int = 10
    max_failures: int = 10
    failure_window: int = 900
    account_cap: int = 100
    account_cap_window: int = 3600
    address_max_failures: int = 100
    registrations_per_address: int = 5
    registration_window: int = 3600

    def window_start(self, now: datetime) -> datetime:
        """Failures older than this no longer count."""
        return now - timedelta(seconds=self.failure_window)

    def wait(self, failures_per_key: Iterable[Sequence[datetime]], now: datetime) -> int | None:
        """Seconds to wait before another try (None: go ahead). A key at max_failures waits
        until its oldest failure that keeps the count at the limit leaves the window."""
        since = self.window_start(now)
        wait = 0.0
        for failures in failures_per_key:
            if len(failures) >= self.max_failures:
                pivot = failures[len(failures) - self.max_failures]
                wait = max(wait, (pivot - since).total_seconds())
        return max(1, math.ceil(wait)) if wait > 0 else None
