"""MariaDB units of work: no ping per checkout, yet a dropped pooled connection is no error."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from adapters.sql.uow import SqlAlchemyUnitOfWork
from tests.contract.conftest import new_user

pytestmark = pytest.mark.mysql


def _commands(engine: sa.Engine) -> list[str]:
    sent: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: sent.append(a[2].split()[0]))
    return sent


def test_a_connection_the_server_dropped_is_replaced_on_the_first_statement(mysql_engine):
    with SqlAlchemyUnitOfWork(mysql_engine) as uow:
        user = uow.users.add(new_user())
        uow.commit()
    with mysql_engine.connect() as conn:  # the pooled connection's server session
        pooled_id = conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar_one()
    killer = sa.create_engine(mysql_engine.url)
    with killer.connect() as conn:  # as a restart or wait_timeout would
        conn.exec_driver_sql(f"KILL CONNECTION {int(pooled_id)}")
    killer.dispose()

    with SqlAlchemyUnitOfWork(mysql_engine, read_only=True) as uow:
        assert uow.users.get(user.id).username == user.username  # retried, not an error
        # a second statement runs on the new connection (the same transaction)
        assert uow.tokens.access_revoked("nada") is False


def test_a_read_unit_of_work_sends_its_statements_and_one_rollback_only(mysql_engine, monkeypatch):
    import pymysql.connections

    with SqlAlchemyUnitOfWork(mysql_engine) as uow:
        user = uow.users.add(new_user())
        uow.commit()
    calls: list[str] = []
    for name in ("ping", "rollback", "commit"):
        original = getattr(pymysql.connections.Connection, name)

        def counted(self, *args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(pymysql.connections.Connection, name, counted)
    statements = _commands(mysql_engine)

    with SqlAlchemyUnitOfWork(mysql_engine, read_only=True) as uow:
        assert uow.users.get(user.id) is not None
    assert statements == ["SELECT"]
    assert calls == ["rollback"]  # no ping at checkout, no second rollback at check-in
