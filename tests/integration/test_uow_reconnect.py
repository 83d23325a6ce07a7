"""MariaDB units of work: no ping per checkout, yet a dropped pooled connection is no error."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from adapters.sql.engine import make_statement_engine
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


def _counting_driver(monkeypatch) -> list[str]:
    import pymysql.connections

    calls: list[str] = []
    for name in ("ping", "rollback", "commit"):
        original = getattr(pymysql.connections.Connection, name)

        def counted(self, *args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(pymysql.connections.Connection, name, counted)
    return calls


@pytest.fixture
def statement_engine(mysql_engine, mysql_url):
    engine = make_statement_engine(mysql_engine, mysql_url)
    yield engine
    engine.dispose()


def test_a_one_statement_read_sends_its_select_and_nothing_else(
    mysql_engine, statement_engine, monkeypatch
):
    # Authentication and listings: an autocommit connection, so no ROLLBACK of nothing.
    with SqlAlchemyUnitOfWork(mysql_engine) as uow:
        user = uow.users.add(new_user())
        uow.commit()
    calls = _counting_driver(monkeypatch)
    statements = _commands(statement_engine)
    with SqlAlchemyUnitOfWork(statement_engine, read_only=True) as uow:
        assert uow.users.get(user.id) is not None
    with SqlAlchemyUnitOfWork(statement_engine, read_only=True) as uow:
        assert uow.users.get(user.id) is not None
    assert statements == ["SELECT", "SELECT"]
    assert calls == []


def test_a_one_statement_read_sees_what_was_committed_since_its_last_use(
    mysql_engine, statement_engine
):
    # A pooled autocommit connection holds no snapshot: a deactivation (or a revocation)
    # committed elsewhere is seen by the very next read, as authentication needs.
    with SqlAlchemyUnitOfWork(mysql_engine) as uow:
        user = uow.users.add(new_user())
        uow.commit()
    with SqlAlchemyUnitOfWork(statement_engine, read_only=True) as uow:
        assert uow.users.get(user.id).active is True
    with SqlAlchemyUnitOfWork(mysql_engine) as uow:
        stored = uow.users.get(user.id)
        stored.active = False
        uow.users.update(stored)
        uow.commit()
    with SqlAlchemyUnitOfWork(statement_engine, read_only=True) as uow:
        assert uow.users.get(user.id).active is False


def test_a_dropped_autocommit_connection_is_replaced_on_the_first_statement(
    mysql_engine, statement_engine
):
    with SqlAlchemyUnitOfWork(mysql_engine) as uow:
        user = uow.users.add(new_user())
        uow.commit()
    with statement_engine.connect() as conn:
        pooled_id = conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar_one()
    with mysql_engine.connect() as conn:
        conn.exec_driver_sql(f"KILL CONNECTION {int(pooled_id)}")
    with SqlAlchemyUnitOfWork(statement_engine, read_only=True) as uow:
        assert uow.users.get(user.id).username == user.username  # retried, not an error
