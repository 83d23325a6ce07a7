"""The one lock-protected store every in-memory repository reads and writes."""

from __future__ import annotations

import copy
import itertools
import threading
from datetime import datetime
from typing import Any

from attrs import define, field

from domain.model.activity import ActivityEntry
from domain.model.tokens import RefreshToken
from domain.model.users import User

SNAPSHOT_FIELDS = (
    "users",
    "families",
    "refresh",
    "revoked",
    "attempts",
    "activity",
    "queries",
    "results",
    "series",
    "api_keys",
    "favorites",
    "counters",
)


@define
class MemoryStore:
    """Everything the memory adapters hold; a unit of work snapshots it to roll back."""

    users: dict[int, User] = field(factory=dict)
    families: dict[str, dict] = field(factory=dict)
    refresh: dict[str, RefreshToken] = field(factory=dict)
    revoked: dict[str, datetime] = field(factory=dict)  # access token id: its expiry
    attempts: list[tuple[str, datetime]] = field(factory=list)
    activity: list[ActivityEntry] = field(factory=list)
    queries: dict[int, Any] = field(factory=dict)
    results: dict[int, Any] = field(factory=dict)
    series: dict[int, list] = field(factory=dict)
    api_keys: dict[int, Any] = field(factory=dict)
    favorites: dict[int, Any] = field(factory=dict)
    counters: dict[tuple, int] = field(factory=dict)  # system-key budgets, rate windows
    ids: itertools.count = field(factory=lambda: itertools.count(1))
    lock: threading.RLock = field(factory=threading.RLock)

    def snapshot(self) -> dict:
        return {name: copy.deepcopy(getattr(self, name)) for name in SNAPSHOT_FIELDS}

    def restore(self, snap: dict) -> None:
        for name, value in snap.items():
            setattr(self, name, value)


class StoreBacked:
    """Base of the memory repositories: the store, and the INSERT / SELECT by id of a table."""

    def __init__(self, store: MemoryStore) -> None:
        self._s = store

    def _insert(self, table: dict[int, Any], entity: Any) -> Any:
        """Gives `entity` the next id and keeps a copy of it in `table`."""
        entity.id = next(self._s.ids)
        table[entity.id] = copy.deepcopy(entity)
        return entity

    @staticmethod
    def _copy_of(table: dict[Any, Any], key: Any) -> Any:
        """A copy of the row at `key`, None when there is none."""
        found = table.get(key)
        return copy.deepcopy(found) if found else None
