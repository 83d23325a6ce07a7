"""InMemoryRetentionStore: the SQL store's semantics over the MemoryStore dicts."""

from __future__ import annotations

from datetime import datetime

from adapters.memory.store import StoreBacked
from domain.model.retention import PurgedQueries, PurgedSessions, SessionCutoffs


class InMemoryRetentionStore(StoreBacked):
    """Oldest first, under the store lock; users, keys and favourites are left alone."""

    def _expired(self, cut: SessionCutoffs) -> tuple[list[str], list[str], list[str]]:
        """Revoked access tokens, refresh tokens and families past `cut` (a family: created
        before cut.issued_before, and every one of its refresh tokens past the cutoffs)."""
        revoked = [jti for jti, expires in self._s.revoked.items() if expires < cut.expired_before]
        refresh = [
            t.token_id
            for t in self._s.refresh.values()
            if t.expires_at < cut.expired_before and t.issued_at < cut.issued_before
        ]
        return revoked, refresh, self._families_without_tokens(cut, set(refresh))

    def _families_without_tokens(self, cut: SessionCutoffs, ignoring: set[str]) -> list[str]:
        """Families created before cut.issued_before with no refresh token but `ignoring`."""
        kept = {t.family_id for t in self._s.refresh.values() if t.token_id not in ignoring}
        return [
            fid
            for fid, family in self._s.families.items()
            if family["created"] < cut.issued_before and fid not in kept
        ]

    def count_expired_sessions(self, cutoffs: SessionCutoffs) -> PurgedSessions:
        with self._s.lock:
            return PurgedSessions(*(len(ids) for ids in self._expired(cutoffs)))

    def purge_expired_sessions(self, cutoffs: SessionCutoffs, batch_size: int) -> PurgedSessions:
        with self._s.lock:
            revoked, refresh, _ = self._expired(cutoffs)
            revoked, refresh = revoked[:batch_size], refresh[:batch_size]
            for jti in revoked:
                del self._s.revoked[jti]
            for jti in refresh:
                del self._s.refresh[jti]
            families = self._families_without_tokens(cutoffs, set())[:batch_size]
            for fid in families:
                del self._s.families[fid]
            return PurgedSessions(len(revoked), len(refresh), len(families))

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
