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
