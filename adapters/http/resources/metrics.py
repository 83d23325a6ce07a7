"""GET /metrics: the Prometheus exposition, open or behind its own bearer token."""

from __future__ import annotations

import hmac
from collections.abc import Callable

import falcon

from domain.errors import AuthenticationFailed


class MetricsResource:
    """Not an API route, no user token; METRICS=token wants `Authorization: Bearer <token>`."""

    public = True  # AuthMiddleware leaves it alone; the token below is checked here

    def __init__(
        self, render: Callable[[str | None], tuple[bytes, str]], token: str | None = None
    ) -> None:
        self._render = render
        self._token = token.encode() if token else None

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
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
