"""Which requests of the provider call running on this thread came from the cache.

The fan-out starts a log before each provider call and takes it afterwards (the `cache` field of
the call's meta); the shared HTTP client records one flag per request; helpers that fetch on
threads of their own (IDEAM's datasets) hand their flags back with extend_call_log().
"""

from __future__ import annotations

import threading

_calls = threading.local()


def record(from_cache: bool) -> None:
    """One request of the running call: served from the cache or not."""
    if getattr(_calls, "log", None) is not None:
        _calls.log.append(from_cache)


def start_call_log() -> None:
    """Begin recording cache hits/misses for the provider call running on this thread."""
    _calls.log = []


def extend_call_log(flags: list[bool]) -> None:
    """Add requests made on helper threads to the provider call running on this thread."""
    if getattr(_calls, "log", None) is not None:
        _calls.log.extend(flags)


def take_call_log() -> list[bool]:
    """The from-cache flag of every request since start_call_log(), then forget them."""
    log_, _calls.log = getattr(_calls, "log", None) or [], None
    return log_
