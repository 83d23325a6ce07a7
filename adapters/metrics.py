"""Prometheus metrics: what ClimaGuru counts, with which labels (never a user, key or token).

`adapters.metrics_registry.Metrics` holds the metric objects of one app; `install(metrics)`
makes it the process's sink, through which code deep in the adapters (the provider HTTP
client, the error handlers) records with the functions below, which do nothing while metrics
are off. This module imports no prometheus_client: importing it decides nothing (see
climaguru/metrics_dir.py for the multiprocess mode under gunicorn).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adapters.metrics_registry import Metrics

NO_ROUTE = "sin_ruta"  # the route label of a request that matched no route (a 404)
OTHER = "otro"  # any method or outcome code outside the known, bounded set
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_CODE = re.compile(r"^[a-z0-9_]{1,40}$")  # outcome codes are constants like "http_503"


def method_label(method: str) -> str:
    return method if method in METHODS else OTHER


def code_label(code: str | None) -> str:
    return code if code is not None and _CODE.match(code) else OTHER


_sink: Metrics | None = None


def install(metrics: Metrics | None) -> None:
    """Make `metrics` the process's sink (None: metrics off, every record is a no-op)."""
    global _sink
    _sink = metrics


def _record(action: Callable[[Metrics], object]) -> None:
    sink = _sink
    if sink is not None:
        action(sink)


def provider_call(provider: str, outcome: str, seconds: float, cache: str | None) -> None:
    """One provider call: `outcome` "ok" or its failure code; `cache` "hit", "miss" or None."""

    def action(m: Metrics) -> None:
        m.provider_calls.labels(provider, code_label(outcome)).inc()
        m.provider_seconds.labels(provider).observe(seconds)
        if cache is not None:
            m.cache_lookups.labels(provider, cache).inc()

    _record(action)


def quota_unit_spent(provider: str) -> None:
    """A user's key was charged one unit of its daily quota for a network call."""
    _record(lambda m: m.quota_units.labels(provider).inc())


def database_unavailable() -> None:
    """The API answered 503 base_de_datos_no_disponible."""
    _record(lambda m: m.database_unavailable.inc())
