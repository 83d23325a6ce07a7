"""Stored queries by type and state (for /metrics), counted in the memory store."""

from __future__ import annotations

from collections import Counter

from adapters.memory.store import MemoryStore


class InMemoryQueryCounts:
    """Callable: [(tipo_consulta, estado, count)], the same rows as the SQL adapter."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def __call__(self) -> list[tuple[str, str, int]]:
        with self._store.lock:
            pairs = Counter(
                (q.query_type.value, q.status.value) for q in self._store.queries.values()
            )
        return [(kind, state, n) for (kind, state), n in sorted(pairs.items())]
