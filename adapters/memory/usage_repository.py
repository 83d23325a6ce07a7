"""System-key budgets and query rate windows in memory; the store lock makes each atomic."""

from __future__ import annotations

from datetime import date

from adapters.memory.store import MemoryStore


class InMemoryUsageRepository:
    """Counters keyed ("sistema", user, provider, day) and ("ventana", user, minute)."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def _charge(self, key: tuple, limit: int) -> bool:
        with self._store.lock:
            used = self._store.counters.get(key, 0)
            if used >= limit:
                return False
            self._store.counters[key] = used + 1
            return True

    def try_charge_system_key(self, user_id: int, provider: str, day: date, budget: int) -> bool:
        return self._charge(("sistema", user_id, provider, day), budget)

    def system_key_usage(self, user_id: int | None, day: date) -> list[tuple[int, str, int]]:
        with self._store.lock:
            rows = [
                (key[1], key[2], used)
                for key, used in self._store.counters.items()
                if key[0] == "sistema" and key[3] == day and user_id in (None, key[1])
            ]
        return sorted(rows)

    def try_hit(self, user_id: int, window: int, limit: int) -> bool:
        with self._store.lock:
            stale = [
                k
                for k in self._store.counters
                if k[:2] == ("ventana", user_id) and k[2] < window - 1
            ]
            for key in stale:
                del self._store.counters[key]
            return self._charge(("ventana", user_id, window), limit)
