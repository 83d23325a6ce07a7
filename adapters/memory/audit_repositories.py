"""Failed logins and the audit log in memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from adapters.memory.store import MemoryStore
from domain.model.activity import ActivityEntry
from ports.repositories import ActivityFilter


class InMemoryLoginAttemptRepository:
    """Failed logins as (key, instant) pairs."""

    def __init__(self, store: MemoryStore) -> None:
        self._s = store

    def lock(self) -> None:
        """Nothing to do: the unit of work holds the store lock from enter to exit."""

    def add_failure(self, keys: Sequence[str], at: datetime) -> None:
        self._s.attempts.extend((key[:160], at) for key in keys)

    def failures_since(self, key: str, since: datetime) -> list[datetime]:
        return sorted(at for k, at in self._s.attempts if k == key[:160] and at >= since)

    def clear(self, key: str) -> None:
        self._s.attempts = [(k, at) for k, at in self._s.attempts if k != key[:160]]

    def withdraw(self, key: str, at: datetime) -> None:
        if (key[:160], at) in self._s.attempts:
            self._s.attempts.remove((key[:160], at))

    def clear_account(self, account: str) -> None:
        self._s.attempts = [
            (k, at)
            for k, at in self._s.attempts
            if k != account[:160] and not k.startswith(account + "@")
        ]


class InMemoryActivityRepository:
    """The audit log as a list."""

    def __init__(self, store: MemoryStore) -> None:
        self._s = store

    def add(self, entry: ActivityEntry) -> None:
        self._s.activity.append(entry)

    def list_for_user(self, user_id: int, limit: int = 50) -> list[ActivityEntry]:
        return self.search(ActivityFilter(user_id), 0, limit)[0]

    def search(
        self, flt: ActivityFilter, offset: int, limit: int
    ) -> tuple[list[ActivityEntry], int]:
        found = [
            e
            for e in reversed(self._s.activity)
            if (flt.user_id is None or e.user_id == flt.user_id)
            and (flt.action is None or e.action == flt.action)
            and (flt.since is None or e.occurred_at >= flt.since)
            and (flt.until is None or e.occurred_at < flt.until)
        ]
        found.sort(key=lambda e: e.occurred_at, reverse=True)
        return found[offset : offset + limit], len(found)
