"""Abandoned queries are swept at start-up and then periodically, off the request path."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable

log = logging.getLogger("climaguru")
SWEEP_INTERVAL_S = 60.0  # listings already show stale rows as abandonada; this stores them


class PeriodicSweep:
    """A daemon thread per worker calling `sweep` every ~interval seconds (10 % jitter, so the
    workers of a host do not sweep together). A failure is logged and retried next time:
    the database may be restarting."""

    def __init__(self, sweep: Callable[[], int], interval: float = SWEEP_INTERVAL_S) -> None:
        self._sweep = sweep
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="barrido-consultas", daemon=True)

    def run_once(self) -> None:
        try:
            self._sweep()
        except Exception:  # the next period tries again
            log.warning("no se pudieron revisar consultas abandonadas")

    def start(self) -> PeriodicSweep:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(self._interval * random.uniform(1.0, 1.1)):  # noqa: S311
            self.run_once()
