"""MariaDB reads outside a transaction (adapters/sql/reads.py): every request's authentication
and the listings run their one SELECT on an autocommit connection, with no ROLLBACK after it.
What must still hold: a read never sees an old snapshot (a logout or a deactivation applies at
once), a connection the server dropped is no error, a server that is down is one bounded
attempt and SQLAlchemy's error (the HTTP layer's 503), and no parameter reaches a message."""

from __future__ import annotations

from datetime import UTC, datetime

import pymysql.connections
import pytest
import sqlalchemy as sa

from adapters.sql.engine import make_engine, make_read_engine
from adapters.sql.reads import TransactionlessReads
from adapters.sql.uow import SqlAlchemyUnitOfWork
from tests.contract.conftest import new_user

pytestmark = pytest.mark.mysql

NOW = datetime(2026, 12, 5, 23, 0, tzinfo=UTC)
CONNECTION_ID = sa.select(sa.func.connection_id()).where(sa.bindparam("x") == 1)


@pytest.fixture
def reads(mysql_engine) -> TransactionlessReads:
    url = mysql_engine.url.render_as_string(hide_password=False)
    found = TransactionlessReads.beside(mysql_engine, make_read_engine(url))
    assert found is not None
    return found


def _session(engine, reads, user_id: int, family: str = "fam-1"):
    with SqlAlchemyUnitOfWork(engine, read_only=True, reads=reads) as uow:
        return uow.tokens.session_account(user_id, "jti-1", family)


def _user_with_family(engine) -> int:
    with SqlAlchemyUnitOfWork(engine) as uow:
        user = uow.users.add(new_user())
        uow.tokens.add_family("fam-1", user.id, NOW)
        uow.commit()
    return user.id


def _connection_id(reads) -> int:
    return reads.rows(CONNECTION_ID, {"x": 1})[0][0]


def test_a_read_on_a_pooled_connection_sees_what_was_committed_since(mysql_engine, reads):
    user_id = _user_with_family(mysql_engine)
    first = _connection_id(reads)
    assert _session(mysql_engine, reads, user_id).username == "Ana_Rios"
    with SqlAlchemyUnitOfWork(mysql_engine) as uow:  # a logout everywhere, on another connection
        uow.tokens.revoke_family("fam-1", NOW, "logout")
        uow.commit()
    assert _connection_id(reads) == first  # the same pooled connection, no ROLLBACK since...
    assert _session(mysql_engine, reads, user_id) is None  # ...and yet no old snapshot


def test_a_read_unit_of_work_sends_one_select_and_no_rollback(mysql_engine, reads, monkeypatch):
    user_id = _user_with_family(mysql_engine)
    _session(mysql_engine, reads, user_id)  # the read pool's connection exists
    sent: list[str] = []
    for name in ("query", "ping", "rollback", "commit"):
        original = getattr(pymysql.connections.Connection, name)

        def counted(self, *args, _name=name, _original=original, **kwargs):
            sent.append(_name if _name != "query" else str(args[0]).split()[0])
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(pymysql.connections.Connection, name, counted)
    assert _session(mysql_engine, reads, user_id) is not None
    assert sent == ["SELECT"]


def test_a_read_connection_the_server_dropped_is_replaced_once(mysql_engine, reads):
    user_id = _user_with_family(mysql_engine)
    pooled = _connection_id(reads)
    killer = sa.create_engine(mysql_engine.url)
    with killer.connect() as conn:  # as a restart or wait_timeout would
        conn.exec_driver_sql(f"KILL CONNECTION {int(pooled)}")
    killer.dispose()
    assert _session(mysql_engine, reads, user_id).username == "Ana_Rios"  # retried, no error
    assert _connection_id(reads) != pooled


def test_a_server_that_is_down_costs_one_attempt_and_raises_sqlalchemys_error(monkeypatch):
    url = "mysql+pymysql://root:@127.0.0.1:1/nada"  # nothing listens on port 1
    reads = TransactionlessReads.beside(make_engine(url), make_read_engine(url, connect_timeout=2))
    attempts: list[int] = []
    original = pymysql.connections.Connection.connect

    def counted(self, *args, **kwargs):
        attempts.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pymysql.connections.Connection, "connect", counted)
    with pytest.raises(sa.exc.OperationalError):  # the HTTP layer's 503
        reads.rows(CONNECTION_ID, {"x": 1})
    assert attempts == [1]


def test_an_error_names_no_parameter_and_leaves_the_pool_usable(mysql_engine, reads):
    broken = sa.select(sa.literal_column("no_existe")).where(sa.bindparam("clave") == "x")
    with pytest.raises(sa.exc.DBAPIError) as caught:
        reads.rows(broken, {"clave": "secreto-de-prueba-123"})
    assert "secreto-de-prueba-123" not in str(caught.value)
    assert "no_existe" in str(caught.value)  # the server's own message is kept
    assert _connection_id(reads) > 0


def test_disposing_the_engine_closes_the_read_pool_too(mysql_engine, reads):
    _connection_id(reads)
    pool = reads._engine.pool
    assert pool.checkedin() == 1
    mysql_engine.dispose()
    assert reads._engine.pool is not pool and reads._engine.pool.checkedin() == 0


def test_only_a_units_first_statement_reads_outside_its_transaction(mysql_engine, reads):
    _connection_id(reads)  # the autocommit pool's connection
    outside = _connection_id(reads)
    with SqlAlchemyUnitOfWork(mysql_engine, read_only=True, reads=reads) as uow:
        first = uow._conn.rows(CONNECTION_ID, {"x": 1})[0][0]
        second = uow._conn.rows(CONNECTION_ID, {"x": 1})[0][0]
        third = uow._conn.rows(CONNECTION_ID, {"x": 1})[0][0]
    assert first == outside  # the autocommit pool
    assert second == third != outside  # one transaction on the unit of work's own connection
