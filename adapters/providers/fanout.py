"""ThreadPoolFanOut: every provider call at once on one bounded pool, under one deadline."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait

import attrs

from adapters.log_context import safe_traceback, submit_in_context
from adapters.providers.call_log import start_call_log, take_call_log
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
            # Each task runs in a copy of this request's context: its log lines carry the
            # request id even on a pool thread (and even after the deadline has passed).
            name: submit_in_context(self._pool, _measured, call)
            for name, call in calls.items()
        }
        if futures:
            wait(futures.values(), timeout=deadline)
        return {name: self._result(name, future, deadline) for name, future in futures.items()}

    @staticmethod
    def _result(
        name: str, future: Future[ProviderAnswer], deadline: float
    ) -> ProviderAnswer | ProviderUnavailable:
        if not future.done():
            future.cancel()
            late = ProviderUnavailable(Reason.TIMEOUT, "plazo_global")
            late.latency_ms = round(deadline * 1000)  # type: ignore[attr-defined]
            return late
        error = future.exception()
        if error is None:
            return future.result()
        if isinstance(error, ProviderUnavailable):
            return error
        fields = {"provider": name, "traceback": safe_traceback(error)}
        log.error("error_del_adaptador", extra={"fields": fields})
        return ProviderUnavailable(Reason.ERROR, "error_del_adaptador")

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _cache_state(flags: list[bool]) -> str | None:
    if not flags:
        return None
    if all(flags):
        return "hit"
    return "miss" if not any(flags) else "parcial"


def _measured(call: Callable[[], ProviderAnswer]) -> ProviderAnswer:
    """Run one provider call, adding its latency and cache use to the answer (or the error)."""
    started = time.perf_counter()
    start_call_log()
    try:
        answer = call()
    except ProviderUnavailable as exc:
        exc.latency_ms = round((time.perf_counter() - started) * 1000)  # type: ignore[attr-defined]
        exc.cache = _cache_state(take_call_log())  # type: ignore[attr-defined]
        raise
    latency = round((time.perf_counter() - started) * 1000)
    meta = {**answer.meta, "latencia_ms": latency, "cache": _cache_state(take_call_log())}
    return attrs.evolve(answer, meta=meta)
