"""GET /api/health: liveness plus a database check (503 while it is unreachable)."""

from __future__ import annotations

import falcon
from attrs import frozen

from ports.repositories import HealthCheck


@frozen
class HealthResource:
    """Public; says nothing about the configuration, only whether it works."""

    database_ok: HealthCheck
    public = True

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ok = self.database_ok()
        resp.status = falcon.HTTP_200 if ok else falcon.HTTP_503
        resp.media = {
            "estado": "ok" if ok else "degradado",
            "base_de_datos": "ok" if ok else "error",
        }
