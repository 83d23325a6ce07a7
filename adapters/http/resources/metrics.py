"""GET /metrics: the Prometheus exposition, open or behind its own bearer token.

A Falcon sink, not a route: it is no part of the API contract (no route table entry, no
OpenAPI path, no user token; the authentication middleware passes sinks through), and it
exists only while METRICS is on.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable

import falcon

from domain.errors import AuthenticationFailed

PATH = "/metrics"
PATTERN = re.compile(re.escape(PATH) + r"$")  # exactly (a trailing slash is stripped first)


class MetricsSink:
    """With a token (METRICS=token), only `Authorization: Bearer <token>` gets the numbers."""

    def __init__(
        self, render: Callable[[str | None], tuple[bytes, str]], token: str | None = None
    ) -> None:
        self._render = render
        self._token = token.encode() if token else None

    def __call__(self, req: falcon.Request, resp: falcon.Response, **params: str) -> None:
        req.context.metrics_route = PATH  # the request metrics' route label
        if req.method != "GET":
            raise falcon.HTTPMethodNotAllowed(["GET"])
        if self._token is not None and not self._authorized(req.get_header("Authorization")):
            raise AuthenticationFailed(
                "se requiere el token de métricas (Authorization: Bearer ...)"
            )
        resp.data, resp.content_type = self._render(req.get_header("Accept"))
        resp.cache_control = ["no-store"]

    def _authorized(self, header: str | None) -> bool:
        scheme, _, given = (header or "").partition(" ")
        assert self._token is not None
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), self._token
        )
