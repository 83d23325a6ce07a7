"""LoginAttemptRepository: failures per key inside a window."""

from __future__ import annotations

from datetime import timedelta

from tests.contract.conftest import T0


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


def test_withdraw_removes_one_row_and_clear_account_lifts_every_pair(uow_factory):
    with uow_factory() as uow:
        uow.login_attempts.lock()
        for key in ("cuenta:1@10.0.0.1", "cuenta:1@10.0.0.2", "cuenta:1", "cuenta:12@10.0.0.1"):
            uow.login_attempts.add_failure([key], T0)
        uow.login_attempts.add_failure(["ip:10.0.0.1", "ip:10.0.0.1"], T0)
        uow.commit()
    with uow_factory() as uow:
        uow.login_attempts.withdraw("ip:10.0.0.1", T0)
        uow.login_attempts.withdraw("ip:10.0.0.9", T0)  # nothing there: no error
        uow.login_attempts.clear_account("cuenta:1")
        uow.commit()
    with uow_factory() as uow:
        left = {
            key: len(uow.login_attempts.failures_since(key, T0))
            for key in (
                *("cuenta:1@10.0.0.1", "cuenta:1@10.0.0.2", "cuenta:1"),
                *("cuenta:12@10.0.0.1", "ip:10.0.0.1"),
            )
        }
    assert left == {
        "cuenta:1@10.0.0.1": 0,
        "cuenta:1@10.0.0.2": 0,
        "cuenta:1": 0,
        "cuenta:12@10.0.0.1": 1,
        "ip:10.0.0.1": 1,
    }
