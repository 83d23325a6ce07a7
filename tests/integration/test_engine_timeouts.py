"""MariaDB engine timeouts: a query cut by DB_READ_TIMEOUT never poisons the pool."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from adapters.sql.engine import UNAVAILABLE_ERRORS, make_engine

pytestmark = pytest.mark.mysql


@pytest.fixture
def one_slot(mysql_url):
    """A pool of exactly one connection, so the next checkout is whatever the last one left."""
    engine = make_engine(mysql_url, pool_size=1, max_overflow=0, pool_timeout=1, read_timeout=1)
    yield engine
    engine.dispose()


def test_a_query_cut_mid_transaction_is_invalidated_and_the_next_one_answers(one_slot):
    with one_slot.connect() as conn:
        assert conn.execute(sa.text("SELECT 1")).scalar() == 1  # the slot holds a live one
    started = time.monotonic()
    with pytest.raises(sa.exc.OperationalError) as info, one_slot.begin() as conn:
        conn.execute(sa.text("SELECT SLEEP(3)"))  # the server answers, but after the timeout
    assert time.monotonic() - started < 2.5
    assert info.value.connection_invalidated
    assert isinstance(info.value, UNAVAILABLE_ERRORS)
    # The late answer to SLEEP(3) must never be read as the answer to the next query.
    for expected in (42, 43):
        with one_slot.connect() as conn:
            assert conn.execute(sa.text(f"SELECT {expected}")).scalar() == expected
    time.sleep(2.5)  # until the server would have sent the SLEEP result
    with one_slot.connect() as conn:
        assert conn.execute(sa.text("SELECT 44")).scalar() == 44


def test_waiting_for_a_busy_pool_slot_is_bounded(one_slot):
    with one_slot.connect():
        started = time.monotonic()
        with pytest.raises(UNAVAILABLE_ERRORS):
            one_slot.connect()
        assert time.monotonic() - started < 2.0
