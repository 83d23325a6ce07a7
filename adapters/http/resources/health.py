"""GET /api/health: liveness plus a database check (503 while it is unreachable)."""

from __future__ import annotations

import falcon
from attrs import frozen

from adapters.http.converter import unstructure
from adapters.http.schemas.responses import Health
from ports.repositories import HealthCheck


@frozen
class HealthResource:
    """Public; says nothing about the configuration, only whether it works."""

    database_ok: HealthCheck

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ok = self.database_ok()
        resp.status = falcon.HTTP_200 if ok else falcon.HTTP_503
        resp.media = unstructure(Health("ok" if ok else "degradado", "ok" if ok else "error"))
