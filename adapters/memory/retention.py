"""InMemoryRetentionStore: the SQL store's semantics over the MemoryStore dicts."""

from __future__ import annotations

from datetime import datetime

from adapters.memory.store import StoreBacked
from domain.model.retention import PurgedQueries


class InMemoryRetentionStore(StoreBacked):
    """Oldest first, under the store lock; users, keys and favourites are left alone."""

    def _old_query_ids(self, cutoff: datetime) -> list[int]:
        old = [q for q in self._s.queries.values() if q.created_at < cutoff]
        return [q.id for q in sorted(old, key=lambda q: (q.created_at, q.id))]

    def count_queries_before(self, cutoff: datetime) -> PurgedQueries:
        with self._s.lock:
            ids = self._old_query_ids(cutoff)
            return PurgedQueries(
                len(ids),
                sum(i in self._s.results for i in ids),
                sum(len(self._s.series.get(i, [])) for i in ids),
            )

    def purge_queries_before(self, cutoff: datetime, batch_size: int) -> PurgedQueries:
        with self._s.lock:
            ids = self._old_query_ids(cutoff)[:batch_size]
            summaries = sum(self._s.results.pop(i, None) is not None for i in ids)
            series = sum(len(self._s.series.pop(i, [])) for i in ids)
            for query_id in ids:
                del self._s.queries[query_id]
            return PurgedQueries(len(ids), summaries, series)

    def count_activity_before(self, cutoff: datetime) -> int:
        with self._s.lock:
            return sum(entry.occurred_at < cutoff for entry in self._s.activity)

    def purge_activity_before(self, cutoff: datetime, batch_size: int) -> int:
        with self._s.lock:
            old = sorted(
                (e for e in self._s.activity if e.occurred_at < cutoff),
                key=lambda e: e.occurred_at,
            )[:batch_size]
            gone = {id(e) for e in old}
            self._s.activity = [e for e in self._s.activity if id(e) not in gone]
            return len(old)
