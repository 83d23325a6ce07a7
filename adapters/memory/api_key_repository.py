"""api_keys in memory; the store lock makes the quota check and charge atomic."""

from __future__ import annotations

import copy
from datetime import date, datetime

from adapters.memory.store import StoreBacked
from domain.errors import Conflict
from domain.model.api_keys import ApiKey


class InMemoryApiKeyRepository(StoreBacked):
    """api_keys in a dict; the store lock makes try_consume atomic."""

    def add(self, key: ApiKey) -> ApiKey:
        if any(
            k.user_id == key.user_id and k.provider == key.provider
            for k in self._s.api_keys.values()
        ):
            raise Conflict(
                "ya tiene una clave para ese proveedor", details={"proveedor": "duplicado"}
            )
        return self._insert(self._s.api_keys, key)

    def get(self, key_id: int) -> ApiKey | None:
        return self._copy_of(self._s.api_keys, key_id)

    def active_for(self, user_id: int, provider: str) -> ApiKey | None:
        for key in self._s.api_keys.values():
            if key.user_id == user_id and key.provider == provider and key.active:
                return copy.deepcopy(key)
        return None

    def try_consume(self, key_id: int, day: date, at: datetime) -> bool:
        key = self._s.api_keys.get(key_id)
        if key is None or not key.active:
            return False
        # The day only moves forward (as the SQL adapter): an earlier day counts against it.
        if key.usage_day is not None and key.usage_day >= day:
            used, day = key.used_today, key.usage_day
        else:
            used = 0
        if used >= key.daily_limit:
            return False
        key.used_today, key.usage_day, key.last_used = used + 1, day, at
        return True

    def list_for_user(self, user_id: int | None) -> list[ApiKey]:
        keys = [k for k in self._s.api_keys.values() if user_id is None or k.user_id == user_id]
        return copy.deepcopy(sorted(keys, key=lambda k: (k.provider, k.id)))

    def update(self, key: ApiKey) -> None:
        stored = self._s.api_keys.get(key.id)
        if stored is not None:
            stored.active, stored.description = key.active, key.description
            stored.daily_limit = key.daily_limit
            stored.key_ciphertext, stored.secret_ciphertext = (
                key.key_ciphertext,
                key.secret_ciphertext,
            )

    def delete(self, key_id: int) -> None:
        self._s.api_keys.pop(key_id, None)

    def batch_after(self, last_id: int, size: int) -> list[ApiKey]:
        keys = sorted((k for k in self._s.api_keys.values() if k.id > last_id), key=lambda k: k.id)
        return copy.deepcopy(keys[:size])
