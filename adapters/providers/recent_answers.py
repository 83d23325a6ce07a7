"""Cached provider answers this process has already read, kept in memory until they expire.

A cache hit through requests-cache builds a request, computes its key, reads the backend
(SQLite or Redis) and rebuilds the response: most of the CPU of a query whose providers all
answer from the cache. The response read is kept here, under the URL, parameters and headers
asked with, and given back while the stored copy has not expired (its own `expires`), so the
answer and its lifetime are the shared cache's. Responses evicted from the shared cache (an
error body) are forgotten here too; a `fresh` call (a key probe) never looks here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.providers import call_log
from domain.model.lru import Lru

SIZE = 256  # answers per provider session: a few locations × variables sets


class RecentAnswers:
    def __init__(self, size: int = SIZE) -> None:
        self._items: Lru[str, Any] = Lru(size)

    @staticmethod
    def _key(url: str, params: Mapping[str, Any], headers: Mapping[str, str] | None) -> str:
        return repr((url, sorted(params.items()), sorted((headers or {}).items())))

    def lookup(self, url: str, params: Mapping[str, Any], headers: Any, outcome: dict) -> Any:
        """The response read before, or None (never read, expired or forgotten); a hit is
        logged as one (`outcome`, the call log) as requests-cache's would be."""
        key = self._key(url, params, headers)
        response = self._items.get(key)
        if response is None:
            return None
        if response.is_expired:
            self._items.discard_where(lambda k, r: k == key and r is response)
            return None
        outcome["status"], outcome["from_cache"] = 200, True
        call_log.record(True)
        return response

    def keep(self, url: str, params: Mapping[str, Any], headers: Any, response: Any) -> None:
        """A 200 just read from the shared cache (requests-cache's CachedResponse)."""
        if response.status_code != 200 or not hasattr(response, "is_expired"):
            return
        self._items.put(self._key(url, params, headers), response)

    def forget(self, response: Any) -> None:
        self._items.discard_where(lambda _key, kept: kept is response)
