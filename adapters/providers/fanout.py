"""ThreadPoolFanOut: every provider call at once on one bounded pool, under one deadline."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait

from domain.model.consensus import Reason
from domain.model.readings import ProviderAnswer
from ports.providers import ProviderUnavailable

log = logging.getLogger("climaguru.providers")


class ThreadPoolFanOut:
    """One pool per process; a call still running at the deadline is reported as a timeout.

    The late call keeps its thread until its own per-provider timeout ends it, so the pool is
    sized for the worst case (queries in flight × providers).
    """

    def __init__(self, max_workers: int = 32) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="proveedor")

    def __call__(
        self, calls: Mapping[str, Callable[[], ProviderAnswer]], deadline: float
    ) -> dict[str, ProviderAnswer | ProviderUnavailable]:
        futures: dict[str, Future[ProviderAnswer]] = {
            name: self._pool.submit(call) for name, call in calls.items()
        }
        if futures:
            wait(futures.values(), timeout=deadline)
        return {name: self._result(name, future) for name, future in futures.items()}

    @staticmethod
    def _result(name: str, future: Future[ProviderAnswer]) -> ProviderAnswer | ProviderUnavailable:
        if not future.done():
            future.cancel()
            return ProviderUnavailable(Reason.TIMEOUT, "plazo_global")
        error = future.exception()
        if error is None:
            return future.result()
        if isinstance(error, ProviderUnavailable):
            return error
        log.error("proveedor %s falló", name, exc_info=error)
        return ProviderUnavailable(Reason.ERROR, "error_del_adaptador")

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
