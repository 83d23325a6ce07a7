"""PurgeOldData over the in-memory store: what goes, what stays, what it refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.memory.retention import InMemoryRetentionStore
from adapters.memory.store import MemoryStore
from adapters.memory.uow import InMemoryUnitOfWork
from domain.errors import ValidationError
from domain.model.auth_policy import AuthPolicy
from domain.model.retention import PurgedQueries, PurgedSessions
from domain.use_cases.purge_old_data import PurgeOldData, PurgeOldDataCommand
from tests.retention_data import NOW, SERIES_PER_QUERY, SESSION_ACCESS_TTL, seed, seed_sessions

S = SERIES_PER_QUERY


@pytest.fixture
def world():
    store = MemoryStore()
    made = seed(lambda: InMemoryUnitOfWork(store), [2, 20, 45, 90, 300], [3, 60, 100, 500])
    return (
        store,
        made,
        PurgeOldData(InMemoryRetentionStore(store), clock=lambda: NOW, auth=AuthPolicy()),
    )


def test_purge_reports_what_it_removed_and_keeps_the_rest(world):
    store, made, purge = world
    report = purge(PurgeOldDataCommand(30, 90, batch_size=2))
    assert report.query_cutoff == NOW - timedelta(days=30)
    assert report.audit_cutoff == NOW - timedelta(days=90)
    assert report.queries == PurgedQueries(3, 3, 3 * S)
    assert report.activity_entries == 2  # 100 and 500 days; 60 is inside the audit period
    assert report.batches == 2 + 1  # two query batches (2 + 1), one audit batch of 2
    assert sorted(store.queries) == sorted(made["queries"][:2])
    assert sorted((NOW - e.occurred_at).days for e in store.activity) == [3, 60]
    assert list(store.users) == [made["owner"]] and list(store.api_keys) == [made["key"]]
    assert list(store.favorites) == [made["favorite"]]


def test_dry_run_counts_and_deletes_nothing(world):
    store, _, purge = world
    report = purge(PurgeOldDataCommand(30, 90, dry_run=True))
    assert report.dry_run and report.batches == 0
    assert (report.queries, report.activity_entries) == (PurgedQueries(3, 3, 3 * S), 2)
    assert len(store.queries) == 5 and len(store.activity) == 4


def test_a_second_run_finds_nothing_left(world):
    _, _, purge = world
    purge(PurgeOldDataCommand(30, 90))
    again = purge(PurgeOldDataCommand(30, 90))
    assert (again.queries, again.activity_entries, again.batches) == (PurgedQueries(), 0, 0)


@pytest.mark.parametrize(
    ("days", "audit", "batch", "field"),
    [(0, 90, 10, "older_than"), (-5, 90, 10, "older_than"),
     (30, 29, 10, "audit_older_than"), (30, 90, 0, "batch_size")],
)  # fmt: skip
def test_refuses_what_would_delete_too_much(world, days, audit, batch, field):
    store, _, purge = world
    with pytest.raises(ValidationError) as caught:
        purge(PurgeOldDataCommand(days, audit, batch_size=batch))
    assert field in caught.value.details
    assert len(store.queries) == 5 and len(store.activity) == 4


def test_expired_sessions_are_purged_with_the_rest_and_counted_on_a_dry_run():
    store = MemoryStore()
    owner = seed(lambda: InMemoryUnitOfWork(store), [], [])["owner"]
    made = seed_sessions(lambda: InMemoryUnitOfWork(store), owner)
    purge = PurgeOldData(
        InMemoryRetentionStore(store), lambda: NOW, AuthPolicy(access_ttl=SESSION_ACCESS_TTL)
    )

    dry = purge(PurgeOldDataCommand(30, 90, dry_run=True))
    assert dry.sessions == PurgedSessions(1, 4, 2) and len(store.refresh) == 7
    assert dry.sessions_expired_before == NOW - timedelta(days=1)

    report = purge(PurgeOldDataCommand(30, 90, batch_size=2))
    assert report.sessions == PurgedSessions(1, 4, 2)
    assert report.batches == 2  # no query or audit batch: two session batches
    assert set(store.refresh) == made["kept_refresh"]
    assert set(store.families) == made["kept_families"]
    assert set(store.revoked) == made["kept_revoked"]
