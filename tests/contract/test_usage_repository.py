"""Issue 12.1: system-key budgets and query rate windows, memory, SQLite and MariaDB alike."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from adapters.sql.uow import SqlAlchemyUnitOfWork
from tests.contract.conftest import stored_user

DAY = date(2026, 5, 4)


def charge(uow_factory, user_id, provider="openweathermap", day=DAY, budget=3) -> bool:
    with uow_factory() as uow:
        ok = uow.usage.try_charge_system_key(user_id, provider, day, budget)
        uow.commit()
    return ok


def test_a_budget_is_charged_up_to_its_size_per_user_provider_and_day(uow_factory):
    ana = stored_user(uow_factory)
    bea = stored_user(uow_factory, "Bea", "bea@ejemplo.co")
    assert [charge(uow_factory, ana) for _ in range(5)] == [True] * 3 + [False] * 2
    assert charge(uow_factory, ana, provider="meteoblue")
    assert charge(uow_factory, bea)
    assert charge(uow_factory, ana, day=date(2026, 5, 5))
    assert not charge(uow_factory, ana, budget=0)
    with uow_factory() as uow:
        assert uow.usage.system_key_usage(ana, DAY) == [
            (ana, "meteoblue", 1),
            (ana, "openweathermap", 3),
        ]
        assert (bea, "openweathermap", 1) in uow.usage.system_key_usage(None, DAY)


def test_a_charge_rolled_back_is_not_spent(uow_factory):
    ana = stored_user(uow_factory)
    with uow_factory() as uow:
        assert uow.usage.try_charge_system_key(ana, "meteoblue", DAY, 1)
    assert charge(uow_factory, ana, provider="meteoblue", budget=1)


def test_a_rate_window_counts_up_to_its_limit_and_the_next_starts_afresh(uow_factory):
    ana = stored_user(uow_factory)

    def hit(window: int) -> bool:
        with uow_factory() as uow:
            ok = uow.usage.try_hit(ana, window, 2)
            uow.commit()
        return ok

    assert [hit(100) for _ in range(3)] == [True, True, False]
    assert [hit(101) for _ in range(3)] == [True, True, False]


@pytest.mark.mysql
def test_concurrent_charges_never_exceed_the_budget(mysql_engine):
    """Eight threads, each its own connection, 60 charges against a budget of 25."""
    factory = lambda: SqlAlchemyUnitOfWork(mysql_engine)  # noqa: E731
    ana = stored_user(factory)
    results: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(60 // 8 + 1):
            ok = charge(factory, ana, day=DAY, budget=25)
            with lock:
                results.append(ok)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 64
    assert results.count(True) == 25
    with factory() as uow:
        assert uow.usage.system_key_usage(ana, DAY) == [(ana, "openweathermap", 25)]
