"""RetentionStore: the storage side of purging old queries, audit entries and expired sessions,
batch by batch."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.model.retention import PurgedQueries, PurgedSessions, SessionCutoffs


class RetentionStore(Protocol):
    """Deletes old rows in short, independent transactions; never users, keys or favourites."""

    def count_queries_before(self, cutoff: datetime) -> PurgedQueries:
        """What purging queries created before `cutoff` would remove (a dry run)."""
        ...

    def purge_queries_before(self, cutoff: datetime, batch_size: int) -> PurgedQueries:
        """Delete up to `batch_size` of the oldest queries created before `cutoff` with their
        summaries and series (series in chunks of `batch_size` rows, each committed on its
        own, then the queries and summaries in one transaction). Zero counts: nothing left."""
        ...

    def count_activity_before(self, cutoff: datetime) -> int: ...

    def purge_activity_before(self, cutoff: datetime, batch_size: int) -> int:
        """Delete up to `batch_size` of the oldest audit entries before `cutoff`, in one
        transaction; returns how many (0: nothing left)."""
        ...

    def count_expired_sessions(self, cutoffs: SessionCutoffs) -> PurgedSessions:
        """What purging expired sessions would remove (a dry run)."""
        ...

    def purge_expired_sessions(self, cutoffs: SessionCutoffs, batch_size: int) -> PurgedSessions:
        """Delete up to `batch_size` each of the revoked access tokens, then the refresh tokens,
        then the families that `cutoffs` says no request can need (each kind in its own
        transaction; a family only once none of its refresh tokens is left). Zero: none left."""
        ...
