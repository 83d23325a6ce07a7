"""One body per repository behaviour, run against memory, SQLite and MariaDB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.memory.store import MemoryStore
from adapters.memory.uow import InMemoryUnitOfWork
from adapters.sql.engine import make_engine
from adapters.sql.uow import SqlAlchemyUnitOfWork
from domain.errors import Conflict
from domain.model.activity import ActivityEntry
from domain.model.tokens import RefreshToken
from domain.model.users import Role, User

T0 = datetime(2026, 5, 4, 10, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(params=["memory", "sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def uow_factory(request):
    if request.param == "memory":
        store = MemoryStore()
        yield lambda: InMemoryUnitOfWork(store)
        return
    if request.param == "sqlite":
        engine = make_engine(request.getfixturevalue("sqlite_url"))
    else:
        engine = request.getfixturevalue("mysql_engine")
    yield lambda: SqlAlchemyUnitOfWork(engine)
    engine.dispose()


def _user(name: str = "Ana_Rios", email: str = "ana@ejemplo.co") -> User:
    return User(
        id=None,
        username=name,
        email=email,
        password_hash="$2b$04$hash",
        role=Role.OPERATOR,
        active=True,
        created_at=T0,
        full_name="Ana Ríos ñandú 🌧",
    )


def test_user_round_trip_keeps_every_field(uow_factory):
    with uow_factory() as uow:
        added = uow.users.add(_user())
        uow.commit()
    with uow_factory() as uow:
        got = uow.users.get(added.id)
    assert got is not None
    assert (got.username, got.email, got.full_name, got.role, got.active) == (
        "Ana_Rios",
        "ana@ejemplo.co",
        "Ana Ríos ñandú 🌧",
        Role.OPERATOR,
        True,
    )
    assert got.created_at == T0
    assert got.created_at.tzinfo is not None


def test_find_by_login_ignores_case_for_usernames_and_emails(uow_factory):
    with uow_factory() as uow:
        uow.users.add(_user())
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.find_by_login("  ana_rios ").username == "Ana_Rios"
        assert uow.users.find_by_login("ANA@EJEMPLO.CO").username == "Ana_Rios"
        assert uow.users.find_by_login("nadie") is None


@pytest.mark.parametrize("other", [("ANA_RIOS", "b@ejemplo.co"), ("otra", "ana@ejemplo.co")])
def test_duplicate_username_or_email_is_a_conflict(uow_factory, other):
    with uow_factory() as uow:
        uow.users.add(_user())
        uow.commit()
    with pytest.raises(Conflict), uow_factory() as uow:
        uow.users.add(_user(*other))


def test_uncommitted_work_is_rolled_back(uow_factory):
    with uow_factory() as uow:
        uow.users.add(_user())
    with uow_factory() as uow:
        assert uow.users.find_by_login("ana_rios") is None


def test_record_login(uow_factory):
    with uow_factory() as uow:
        user = uow.users.add(_user())
        uow.users.record_login(user.id, T0 + timedelta(hours=1))
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.get(user.id).last_login == T0 + timedelta(hours=1)


def test_refresh_tokens_are_single_use_and_families_revocable(uow_factory):
    with uow_factory() as uow:
        user = uow.users.add(_user())
        uow.tokens.add_family("fam-1", user.id, T0)
        uow.tokens.add_refresh(RefreshToken("jti-1", "fam-1", user.id, T0, T0 + timedelta(days=1)))
        uow.commit()
    with uow_factory() as uow:
        assert uow.tokens.family_revoked("fam-1") is False
        assert uow.tokens.mark_used("jti-1", T0 + timedelta(seconds=5)) is True
        assert uow.tokens.mark_used("jti-1", T0 + timedelta(seconds=6)) is False
        uow.commit()
    with uow_factory() as uow:
        assert uow.tokens.get_refresh("jti-1").used_at == T0 + timedelta(seconds=5)
        assert uow.tokens.get_refresh("nope") is None
        uow.tokens.revoke_family("fam-1", T0, "logout")
        uow.commit()
    with uow_factory() as uow:
        assert uow.tokens.family_revoked("fam-1") is True
        assert uow.tokens.family_revoked("desconocida") is True


def test_revoked_access_tokens(uow_factory):
    with uow_factory() as uow:
        user = uow.users.add(_user())
        uow.tokens.revoke_access("acc-1", user.id, T0 + timedelta(hours=1), T0)
        uow.tokens.revoke_access("acc-1", user.id, T0 + timedelta(hours=1), T0)  # idempotent
        uow.commit()
    with uow_factory() as uow:
        assert uow.tokens.access_revoked("acc-1") is True
        assert uow.tokens.access_revoked("acc-2") is False


def test_login_attempts_window_and_clear(uow_factory):
    with uow_factory() as uow:
        for minutes in (0, 5, 20):
            uow.login_attempts.add_failure(
                ["usuario:ana", "ip:10.0.0.1"], T0 + timedelta(minutes=minutes)
            )
        uow.commit()
    with uow_factory() as uow:
        since = T0 + timedelta(minutes=5)
        assert uow.login_attempts.failures_since("usuario:ana", since) == [
            T0 + timedelta(minutes=5),
            T0 + timedelta(minutes=20),
        ]
        uow.login_attempts.clear("usuario:ana")
        uow.commit()
    with uow_factory() as uow:
        assert uow.login_attempts.failures_since("usuario:ana", T0) == []
        assert len(uow.login_attempts.failures_since("ip:10.0.0.1", T0)) == 3


def test_activity_log_newest_first(uow_factory):
    with uow_factory() as uow:
        user = uow.users.add(_user())
        for i, action in enumerate(("registro", "login", "logout")):
            uow.activity.add(
                ActivityEntry(
                    action=action,
                    user_id=user.id,
                    occurred_at=T0 + timedelta(seconds=i),
                    ip="2001:db8::1",
                    user_agent="curl/8",
                    detail={"n": i, "texto": "Bogotá"},
                )
            )
        uow.commit()
    with uow_factory() as uow:
        entries = uow.activity.list_for_user(user.id)
    assert [e.action for e in entries] == ["logout", "login", "registro"]
    assert entries[0].detail == {"n": 2, "texto": "Bogotá"}
    assert entries[0].ip == "2001:db8::1"
