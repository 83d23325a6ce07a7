"""A bounded map shared by a worker's threads: the least recently used entry leaves first.

The per-process memos of repeated work keep their entries in one of these: the domain's memo
of repeated series (repeat_memo.RepeatMemo) and of step consensus (forecast.StepMemo), and the
provider adapters' recent cached answers and their parses (adapters/providers).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

MISSING: Any = object()


class Lru(Generic[K, V]):
    """At most `size` entries; `get` and `put` make an entry the most recently used."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, default: Any = None) -> Any:
        with self._lock:
            value = self._entries.get(key, MISSING)
            if value is MISSING:
                return default
            self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def discard_where(self, matches: Callable[[K, V], bool]) -> None:
        """Every entry for which `matches(key, value)`."""
        with self._lock:
            for key in [k for k, v in self._entries.items() if matches(k, v)]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
