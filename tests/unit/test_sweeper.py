"""The abandoned-query sweep runs at start-up and periodically, never in a listing."""

from __future__ import annotations

import logging
import threading

from climaguru.sweeper import PeriodicSweep


def test_the_sweep_repeats_in_the_background_and_survives_a_failing_database(caplog):
    calls: list[int] = []
    enough = threading.Event()

    def sweep() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("MariaDB reiniciando")
        if len(calls) >= 3:
            enough.set()
        return 0

    sweeper = PeriodicSweep(sweep, interval=0.02)
    sweeper.run_once()  # start-up: the failure is logged, not raised
    sweeper.start()
    try:
        assert enough.wait(5), "the periodic sweep stopped after a failure"
    finally:
        sweeper.stop()
    assert any(r.levelno == logging.WARNING for r in caplog.records)
