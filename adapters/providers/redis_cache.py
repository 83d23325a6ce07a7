"""A requests-cache Redis backend that several hosts share and that never fails a query.

requests-cache's own RedisCache lets a redis.RedisError escape from session.get(), which would
turn every provider call into an error while Redis is down. Here every storage operation is
guarded: a failure counts as a cache miss (reads) or is dropped (writes), and Redis is left
alone for `cooldown` seconds so a dead cache costs one fast failure, not one per request.
Entries are stored as JSON (no pickle from a network service) under `namespace:`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from redis import Redis, RedisError
from redis.backoff import NoBackoff
from redis.retry import Retry
from requests_cache.backends.base import BaseCache
from requests_cache.backends.redis import RedisDict, RedisHashDict

log = logging.getLogger("climaguru.providers")
T = TypeVar("T")
# Redis keeps an entry this long after it expires (requests-cache's default is an hour).
TTL_OFFSET = 60


class RedisBreaker:
    """Remembers that Redis failed, so callers skip it until the cooldown has passed."""

    def __init__(self, cooldown: float = 10.0, clock: Callable[[], float] = time.monotonic):
        self.cooldown = cooldown
        self._clock = clock
        self._down_until = 0.0
        self._lock = threading.Lock()

    def call(self, operation: Callable[[], T], fallback: T) -> T:
        if self._clock() < self._down_until:
            return fallback
        try:
            return operation()
        except RedisError as exc:
            with self._lock:
                if self._clock() >= self._down_until:
                    log.warning(
                        "cache de proveedores (redis) no disponible (%s): se consulta a los "
                        "proveedores directamente durante %.0f s",
                        type(exc).__name__,
                        self.cooldown,
                    )
                self._down_until = self._clock() + self.cooldown
            return fallback


_MISSING: Any = object()


class _Guarded:
    """Every dict operation of a requests-cache Redis collection, through the breaker."""

    breaker: RedisBreaker

    def __contains__(self, key: object) -> bool:
        return self.breaker.call(lambda: super(_Guarded, self).__contains__(key), False)

    def __getitem__(self, key: str) -> Any:
        value = self.breaker.call(lambda: super(_Guarded, self).__getitem__(key), _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, item: Any) -> None:
        self.breaker.call(lambda: super(_Guarded, self).__setitem__(key, item), None)

    def __delitem__(self, key: str) -> None:
        self.breaker.call(lambda: super(_Guarded, self).__delitem__(key), None)

    def __len__(self) -> int:
        return self.breaker.call(lambda: super(_Guarded, self).__len__(), 0)

    def bulk_delete(self, keys: Any) -> None:
        self.breaker.call(lambda: super(_Guarded, self).bulk_delete(keys), None)

    def keys(self) -> Iterator[str]:  # type: ignore[override]
        yield from self.breaker.call(lambda: list(super(_Guarded, self).keys()), [])

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        yield from self.breaker.call(lambda: list(super(_Guarded, self).items()), [])


class _GuardedResponses(_Guarded, RedisDict):
    def __init__(self, breaker: RedisBreaker, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.breaker = breaker

    def __setitem__(self, key: str, item: Any) -> None:
        # set(..., ex=) rather than RedisDict's setex (deprecated in redis 8); Redis drops the
        # entry TTL_OFFSET seconds after it expires.
        delta = getattr(item, "expires_delta", None)
        seconds = delta + self.ttl_offset if delta is not None else None
        ex = seconds if seconds is not None and seconds > 0 else None
        value = self.serialize(item)
        self.breaker.call(lambda: self.connection.set(self._bkey(key), value, ex=ex), None)


class _GuardedRedirects(_Guarded, RedisHashDict):
    def __init__(self, breaker: RedisBreaker, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.breaker = breaker


class ResilientRedisCache(BaseCache):
    """requests-cache backend on a shared Redis; Redis errors degrade to cache misses."""

    def __init__(self, connection: Redis, namespace: str, breaker: RedisBreaker) -> None:
        super().__init__(cache_name=namespace)
        self.responses = _GuardedResponses(
            breaker, namespace, connection=connection, serializer="json", ttl_offset=TTL_OFFSET
        )
        self.redirects = _GuardedRedirects(
            breaker, namespace, collection_name="redirects", connection=connection
        )


def redis_connection(url: str, timeout: float = 1.0) -> Redis:
    """A client that gives up fast (no retries, short timeouts): the providers are the fallback."""
    return Redis.from_url(
        url,
        socket_connect_timeout=timeout / 2,
        socket_timeout=timeout,
        retry_on_timeout=False,
        retry=Retry(NoBackoff(), 0),
    )
