"""bench/fanout's fake weather upstreams, served in this process, counting what they answer.

The load benchmark needs to know that the measured `tiempo-real` requests were cache hits:
every upstream request the app really makes reaches this server, so an unchanged count across
a measured run means none of its requests left the provider cache.
"""

from __future__ import annotations

import threading
from collections import Counter

from fake_providers import Samples, make_handler
from loopback import LoopbackServer


class CountingSamples(Samples):
    """fake_providers.Samples that counts every request it builds an answer for, by path."""

    def __init__(self, radius: int) -> None:
        super().__init__(radius)
        self._counts: Counter[str] = Counter()
        self._count_lock = threading.Lock()

    def body(self, path: str, query: str) -> bytes | None:
        with self._count_lock:
            self._counts[path] += 1
        return super().body(path, query)

    def counts(self) -> dict[str, int]:
        with self._count_lock:
            return dict(self._counts)


class CountingFake(LoopbackServer):
    """The answering fake upstream (no silent port) on 127.0.0.1, in a daemon thread."""

    def __init__(self, radius: int, latency_ms: float = 0.0) -> None:
        self.samples = CountingSamples(radius)
        handler = make_handler(self.samples, latency_ms / 1000, False, 60.0)
        super().__init__(handler, daemon_threads=True)

    def total(self) -> int:
        return sum(self.samples.counts().values())
