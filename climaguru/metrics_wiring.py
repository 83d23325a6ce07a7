"""Metrics on the app (METRICS setting): the process's sink, the request middleware, /metrics."""

from __future__ import annotations

import falcon

from adapters import metrics as hooks
from adapters.http.metrics_middleware import MetricsMiddleware
from adapters.http.resources.metrics import PATTERN, MetricsSink
from adapters.metrics_queries import StoredQueriesCollector
from adapters.metrics_registry import Metrics
from climaguru.container import Container


def install_metrics(app: falcon.App, container: Container) -> Metrics | None:
    """With METRICS=off nothing is recorded and /metrics answers 404; else the app's Metrics."""
    settings = container.settings()
    if settings.metrics == "off":
        hooks.install(None)
        return None
    metrics = Metrics()
    metrics.add_scraped(StoredQueriesCollector(container.query_counts()))
    hooks.install(metrics)
    app.add_middleware(MetricsMiddleware(metrics))
    # /metrics, outside /api/: nginx never proxies it (deploy/nginx-climaguru.conf).
    app.add_sink(MetricsSink(metrics.render, settings.metrics_token), PATTERN)
    return metrics
