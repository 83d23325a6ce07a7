"""InMemoryUnitOfWork: serialises units of work on the store lock and restores on rollback."""

from __future__ import annotations

from typing import Self

from adapters.memory.api_key_repository import InMemoryApiKeyRepository
from adapters.memory.audit_repositories import (
    InMemoryActivityRepository,
    InMemoryLoginAttemptRepository,
)
from adapters.memory.favorite_repository import InMemoryFavoriteRepository
from adapters.memory.query_repository import InMemoryQueryRepository
from adapters.memory.repositories import InMemoryTokenRepository, InMemoryUserRepository
from adapters.memory.store import MemoryStore
from adapters.memory.usage_repository import InMemoryUsageRepository


class InMemoryUnitOfWork:
    """Holds the store lock from enter to exit, so units of work are atomic and isolated."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._snapshot: dict | None = None
        self.users = InMemoryUserRepository(store)
        self.tokens = InMemoryTokenRepository(store)
        self.login_attempts = InMemoryLoginAttemptRepository(store)
        self.activity = InMemoryActivityRepository(store)
        self.queries = InMemoryQueryRepository(store)
        self.api_keys = InMemoryApiKeyRepository(store)
        self.favorites = InMemoryFavoriteRepository(store)
        self.usage = InMemoryUsageRepository(store)

    def __enter__(self) -> Self:
        self._store.lock.acquire()
        self._snapshot = self._store.snapshot()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._snapshot is not None:
                self._store.restore(self._snapshot)
        finally:
            self._snapshot = None
            self._store.lock.release()

    def commit(self) -> None:
        self._snapshot = self._store.snapshot()

    def rollback(self) -> None:
        if self._snapshot is not None:
            self._store.restore(self._snapshot)


class InMemoryHealthCheck:
    """Memory is always reachable."""

    def __call__(self) -> bool:
        return True
