"""Counts every answered request by route template, method and status, with its duration."""

from __future__ import annotations

import time

import falcon

from adapters.metrics import NO_ROUTE, method_label
from adapters.metrics_registry import Metrics


class MetricsMiddleware:
    """Labels are the route template (never the raw path), the method and the status only."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        req.context.metrics_started = time.perf_counter()

    def process_response(self, req, resp, resource, req_succeeded: bool) -> None:
        started = getattr(req.context, "metrics_started", None)
        if started is None:
            return
        route = req.uri_template or getattr(req.context, "metrics_route", None) or NO_ROUTE
        method = method_label(req.method)
        self._metrics.requests.labels(route, method, str(resp.status_code)).inc()
        self._metrics.request_seconds.labels(route, method).observe(time.perf_counter() - started)
