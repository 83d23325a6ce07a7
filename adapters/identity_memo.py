"""What an adapter made of an immutable domain object, kept while that object lives.

Keyed by the object's identity and dropped by a weak reference's callback when the object is
collected, so the memory it holds follows the objects still in use (a repeated forecast's
steps, kept by the domain's memo of repeated series) and needs no bound of its own. The
objects are frozen values whose mappings nobody changes once built (domain SeriesPoint).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class IdentityMemo(Generic[V]):
    """make(obj) once per live object."""

    def __init__(self) -> None:
        self._items: dict[int, tuple[weakref.ref, V]] = {}

    def get(self, obj: Any, make: Callable[[Any], V]) -> V:
        key = id(obj)
        hit = self._items.get(key)
        if hit is not None and hit[0]() is obj:
            return hit[1]
        value = make(obj)
        self._items[key] = (weakref.ref(obj, self._forget(key)), value)
        return value

    def _forget(self, key: int) -> Callable[[weakref.ref], None]:
        items = self._items

        def forget(ref: weakref.ref) -> None:
            entry = items.get(key)
            if entry is not None and entry[0] is ref:
                items.pop(key, None)

        return forget

    def __len__(self) -> int:
        return len(self._items)
