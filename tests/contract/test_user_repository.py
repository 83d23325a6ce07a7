"""UserRepository: one body per behaviour, on memory, SQLite and MariaDB."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import Conflict
from domain.model.users import Role
from tests.contract.conftest import T0, new_user


def test_user_round_trip_keeps_every_field(uow_factory):
    with uow_factory() as uow:
        added = uow.users.add(new_user())
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
        uow.users.add(new_user())
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.find_by_login("  ana_rios ").username == "Ana_Rios"
        assert uow.users.find_by_login("ANA@EJEMPLO.CO").username == "Ana_Rios"
        assert uow.users.find_by_login("nadie") is None


@pytest.mark.parametrize("other", [("ANA_RIOS", "b@ejemplo.co"), ("otra", "ana@ejemplo.co")])
def test_duplicate_username_or_email_is_a_conflict(uow_factory, other):
    with uow_factory() as uow:
        uow.users.add(new_user())
        uow.commit()
    with pytest.raises(Conflict), uow_factory() as uow:
        uow.users.add(new_user(*other))


def test_uncommitted_work_is_rolled_back(uow_factory):
    with uow_factory() as uow:
        uow.users.add(new_user())
    with uow_factory() as uow:
        assert uow.users.find_by_login("ana_rios") is None


def test_record_login(uow_factory):
    with uow_factory() as uow:
        user = uow.users.add(new_user())
        uow.users.record_login(user.id, T0 + timedelta(hours=1))
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.get(user.id).last_login == T0 + timedelta(hours=1)
