"""Delete queries (with their summaries and series) and audit entries past their retention,
and the rows of sessions no token can use any more (revoked access tokens, refresh tokens and
their families, SessionCutoffs).

Batch by batch, each batch its own short transaction, so the API keeps serving while it runs;
restartable: an interrupted purge leaves only whole queries and simply continues next time.
Users, API keys and favourites are never touched.
"""

from __future__ import annotations

from datetime import datetime

from attrs import frozen

from domain.errors import ValidationError
from domain.model.auth_policy import AuthPolicy
from domain.model.retention import (
    PurgedQueries,
    PurgedSessions,
    RetentionPolicy,
    SessionCutoffs,
)
from ports.clock import Clock
from ports.retention import RetentionStore


@frozen
class PurgeOldDataCommand:
    """Keep `older_than_days` of queries and `audit_older_than_days` of audit log."""

    older_than_days: int
    audit_older_than_days: int
    batch_size: int = 500
    dry_run: bool = False


@frozen
class PurgeReport:
    """What was removed (or, on a dry run, would be) and the instants it was older than."""

    query_cutoff: datetime
    audit_cutoff: datetime
    queries: PurgedQueries
    activity_entries: int
    batches: int
    dry_run: bool
    sessions: PurgedSessions
    sessions_expired_before: datetime


@frozen
class PurgeOldData:
    """Runs one purge; `__call__` returns a PurgeReport."""

    store: RetentionStore
    clock: Clock
    auth: AuthPolicy  # its access_ttl: how long an access token naming a family can live

    def __call__(self, command: PurgeOldDataCommand) -> PurgeReport:
        policy = RetentionPolicy(command.older_than_days, command.audit_older_than_days)
        if command.batch_size < 1:
            raise ValidationError(
                "el tamaño de lote debe ser al menos 1", details={"batch_size": "minimo_1"}
            )
        now = self.clock()
        query_cutoff, audit_cutoff = policy.query_cutoff(now), policy.audit_cutoff(now)
        sessions_cut = SessionCutoffs.at(now, self.auth.access_ttl)
        if command.dry_run:
            queries = self.store.count_queries_before(query_cutoff)
            activity = self.store.count_activity_before(audit_cutoff)
            sessions = self.store.count_expired_sessions(sessions_cut)
            return PurgeReport(query_cutoff, audit_cutoff, queries, activity, 0, True,
                               sessions, sessions_cut.expired_before)  # fmt: skip
        queries, query_batches = self._purge_queries(query_cutoff, command.batch_size)
        activity, audit_batches = self._purge_activity(audit_cutoff, command.batch_size)
        sessions, session_batches = self._purge_sessions(sessions_cut, command.batch_size)
        batches = query_batches + audit_batches + session_batches
        return PurgeReport(query_cutoff, audit_cutoff, queries, activity, batches, False,
                           sessions, sessions_cut.expired_before)  # fmt: skip

    def _purge_queries(self, cutoff: datetime, batch_size: int) -> tuple[PurgedQueries, int]:
        total, batches = PurgedQueries(), 0
        while (step := self.store.purge_queries_before(cutoff, batch_size)).rows:
            total, batches = total + step, batches + 1
        return total, batches

    def _purge_activity(self, cutoff: datetime, batch_size: int) -> tuple[int, int]:
        total, batches = 0, 0
        while step := self.store.purge_activity_before(cutoff, batch_size):
            total, batches = total + step, batches + 1
        return total, batches

    def _purge_sessions(
        self, cutoffs: SessionCutoffs, batch_size: int
    ) -> tuple[PurgedSessions, int]:
        total, batches = PurgedSessions(), 0
        while (step := self.store.purge_expired_sessions(cutoffs, batch_size)).rows:
            total, batches = total + step, batches + 1
        return total, batches
