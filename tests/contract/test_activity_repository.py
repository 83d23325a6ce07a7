"""ActivityRepository: the audit log."""

from __future__ import annotations

from datetime import timedelta

from domain.model.activity import ActivityEntry
from ports.repositories import ActivityFilter
from tests.contract.conftest import T0, new_user


def test_activity_log_newest_first(uow_factory):
    with uow_factory() as uow:
        user = uow.users.add(new_user())
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


def test_details_come_back_with_the_keys_they_were_written_with(uow_factory):
    detail = {"user_id": 7, "changes": {"role": "admin", "active": False}, "texto": "ñ"}
    with uow_factory() as uow:
        uow.activity.add(ActivityEntry("usuario_actualizado", None, T0, detail=detail))
        uow.commit()
    with uow_factory() as uow:
        entries, total = uow.activity.search(ActivityFilter(None, "usuario_actualizado", T0), 0, 10)
    assert total == 1 and entries[0].detail == detail
