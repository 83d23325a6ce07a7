"""RetentionStore: one body per behaviour, on memory, SQLite and MariaDB."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.memory.retention import InMemoryRetentionStore
from adapters.memory.store import MemoryStore
from adapters.memory.uow import InMemoryUnitOfWork
from adapters.sql.engine import make_engine
from adapters.sql.retention import SqlAlchemyRetentionStore
from adapters.sql.uow import SqlAlchemyUnitOfWork
from domain.model.retention import PurgedQueries, PurgedSessions, SessionCutoffs
from tests.retention_data import NOW, SERIES_PER_QUERY, SESSION_ACCESS_TTL, seed, seed_sessions

S = SERIES_PER_QUERY


@pytest.fixture(params=["memory", "sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def backend(request):
    """(unit-of-work factory, retention store) over the same data."""
    if request.param == "memory":
        store = MemoryStore()
        yield (lambda: InMemoryUnitOfWork(store)), InMemoryRetentionStore(store)
        return
    if request.param == "sqlite":
        engine = make_engine(request.getfixturevalue("sqlite_url"))
    else:
        engine = request.getfixturevalue("mysql_engine")
    yield (lambda: SqlAlchemyUnitOfWork(engine)), SqlAlchemyRetentionStore(engine)
    engine.dispose()


def test_old_queries_go_oldest_first_with_summaries_and_series_in_batches(backend):
    uow_factory, store = backend
    cutoff = NOW - timedelta(days=30)
    ids = seed(uow_factory, [1, 100, 10, 41, 40, 30], [])["queries"]
    assert store.count_queries_before(cutoff) == PurgedQueries(3, 3, 3 * S)

    first = store.purge_queries_before(cutoff, batch_size=2)
    assert first == PurgedQueries(2, 2, 2 * S)
    with uow_factory() as uow:
        assert uow.queries.get(ids[1]) is None and uow.queries.get(ids[3]) is None  # 100, 41
        assert uow.queries.get(ids[4]) is not None  # 40 days: the next batch
    assert store.purge_queries_before(cutoff, batch_size=2) == PurgedQueries(1, 1, S)
    assert store.purge_queries_before(cutoff, batch_size=2) == PurgedQueries()
    with uow_factory() as uow:
        for kept in (ids[0], ids[2], ids[5]):  # 1, 10 and exactly 30 days (not older): kept
            assert uow.queries.get(kept) is not None
            assert uow.queries.count_series(kept) == S
            assert uow.queries.get_result(kept).sources_used == ("open_meteo",)
        for gone in (ids[1], ids[3], ids[4]):
            assert uow.queries.get(gone) is None
            assert uow.queries.count_series(gone) == 0 and uow.queries.get_result(gone) is None


def test_users_keys_and_favourites_survive_a_purge_of_everything(backend):
    uow_factory, store = backend
    made = seed(uow_factory, [400, 500], [800])
    assert store.purge_queries_before(NOW, 10) == PurgedQueries(2, 2, 2 * S)
    assert store.purge_activity_before(NOW, 10) == 1
    with uow_factory() as uow:
        assert uow.users.get(made["owner"]).username == "Retenida"
        assert uow.api_keys.get(made["key"]).provider == "openweathermap"
        assert uow.favorites.get(made["favorite"]).name == "Bogotá"


def test_audit_entries_older_than_the_cutoff_go_in_batches(backend):
    uow_factory, store = backend
    owner = seed(uow_factory, [], [5, 400, 50, 200, 730])["owner"]
    cutoff = NOW - timedelta(days=100)
    assert store.count_activity_before(cutoff) == 3
    assert [store.purge_activity_before(cutoff, 2) for _ in range(3)] == [2, 1, 0]
    with uow_factory() as uow:
        left = uow.activity.list_for_user(owner)
    assert sorted((NOW - e.occurred_at).days for e in left) == [5, 50]


def test_an_empty_database_purges_nothing(backend):
    _, store = backend
    assert store.count_queries_before(NOW) == PurgedQueries()
    assert store.purge_queries_before(NOW, 100) == PurgedQueries()
    assert store.purge_activity_before(NOW, 100) == 0


def test_expired_sessions_go_and_every_session_a_token_can_still_use_stays(backend):
    uow_factory, store = backend
    owner = seed(uow_factory, [], [])["owner"]
    made = seed_sessions(uow_factory, owner)
    cutoffs = SessionCutoffs.at(NOW, SESSION_ACCESS_TTL)
    assert store.count_expired_sessions(cutoffs) == PurgedSessions(1, 4, 2)

    steps = [store.purge_expired_sessions(cutoffs, batch_size=1) for _ in range(5)]

    # one row of each kind per batch: 4 refresh tokens take 4; a family goes only once it has
    # no token left, so none is removed through the foreign key's cascade uncounted
    assert sum(steps[1:], steps[0]) == PurgedSessions(1, 4, 2)
    assert steps[-1] == PurgedSessions()
    assert store.count_expired_sessions(cutoffs) == PurgedSessions()
    with uow_factory() as uow:
        for jti in made["gone_refresh"]:
            assert uow.tokens.get_refresh(jti) is None
        for jti in made["kept_refresh"]:
            assert uow.tokens.get_refresh(jti) is not None
        for family in made["gone_families"]:
            assert uow.tokens.family_revoked(family)  # gone reads as revoked: never valid
        for family in made["kept_families"]:  # the access tokens naming them still work
            assert not uow.tokens.family_revoked(family)
            assert uow.tokens.session_account(owner, "otro-jti", family) is not None
        for jti in made["kept_revoked"]:  # still valid tokens: they must stay refused
            assert uow.tokens.access_revoked(jti)
            assert uow.tokens.session_account(owner, jti, "viva") is None
        for jti in made["gone_revoked"]:
            assert not uow.tokens.access_revoked(jti)


def test_a_session_purge_leaves_the_users_other_rows_alone(backend):
    uow_factory, store = backend
    made = seed(uow_factory, [1], [2])
    seed_sessions(uow_factory, made["owner"])
    store.purge_expired_sessions(SessionCutoffs.at(NOW, SESSION_ACCESS_TTL), batch_size=100)
    with uow_factory() as uow:
        assert uow.users.get(made["owner"]).active
        assert uow.queries.get(made["queries"][0]) is not None
        assert len(uow.activity.list_for_user(made["owner"])) == 1
