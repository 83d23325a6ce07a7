"""What an adapter built from a cached provider answer, kept so a cache hit skips decode and parse.

A cache hit hands back the very answer stored earlier (its cache key, creation and expiry
times). Decoding its JSON body and building readings from it again gave the same result:
most of the CPU of a forecast whose providers all answer from the cache. `ProviderHttp`
keeps that result here under the stored answer's identity (cache key + created_at +
expires: a refreshed or re-fetched entry has another) and the `Parse.key` the adapter gives,
which names every input of the parse besides the body (days, granularity, variables, zone,
today's date, tier, ...): a different request never reuses another's result. Only answers
that came from the cache are kept (an entry is only known by its stored identity), never a
failed decode, error check or parse. The kept value is private: each caller gets
`Parse.share(value)`, its own copy. At most `size` results (least recently used out).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from attrs import frozen

from domain.model.lru import MISSING, Lru

SIZE = 64  # results per provider session: a few locations × granularities × variable sets


def _same(value: Any) -> Any:
    return value


@frozen
class Parse:
    """How to build an adapter's result from a decoded body; `key` names all else it reads."""

    key: Hashable
    run: Callable[[Any], Any]
    share: Callable[[Any], Any] = _same  # each caller's own copy of a kept result


def identity_of(response: Any) -> Hashable | None:
    """A cached answer's stored identity, or None (not from the cache, or not known)."""
    if not getattr(response, "from_cache", False):
        return None
    key, created = getattr(response, "cache_key", None), getattr(response, "created_at", None)
    if not key or created is None:
        return None
    return (key, created, getattr(response, "expires", None))


class ParsedAnswers:
    """Results by (stored answer identity, parse key), shared by a worker's threads."""

    def __init__(self, size: int = SIZE) -> None:
        self._items: Lru[Hashable, Any] = Lru(size)

    def lookup(self, response: Any, parse: Parse) -> Any:
        """`parse.share` of the result kept for this stored answer and key, else MISSING."""
        identity = identity_of(response)
        if identity is None:
            return MISSING
        value = self._items.get((identity, parse.key), MISSING)
        return MISSING if value is MISSING else parse.share(value)

    def keep(self, response: Any, parse: Parse, body: Any) -> Any:
        """`parse.run(body)`; kept (and each caller given its share) when from the cache."""
        value = parse.run(body)
        identity = identity_of(response)
        if identity is None:
            return value
        self._items.put((identity, parse.key), value)
        return parse.share(value)

    def forget(self, response: Any) -> None:
        """Results of an answer evicted from the shared cache."""
        identity = identity_of(response)
        if identity is not None:
            self._items.discard_where(lambda key, _value: key[0] == identity)

    def __len__(self) -> int:
        return len(self._items)
