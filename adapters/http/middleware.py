"""Middleware: request id, client info, CORS, bearer authentication, request logging."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Mapping, Sequence

import falcon

from adapters.http.client_ip import Network, client_ip
from adapters.http.route import Route, require
from adapters.log_context import request_id
from domain.errors import AuthenticationFailed
from domain.model.permissions import Principal
from domain.model.tokens import ClientInfo

log = logging.getLogger("climaguru.http")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContextMiddleware:
    """Echo a sane X-Request-ID or make one; record who is calling from where; log the outcome."""

    def __init__(self, trusted_proxies: Sequence[Network]) -> None:
        self._proxies = tuple(trusted_proxies)

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        incoming = req.get_header("X-Request-ID") or ""
        req.context.request_id = incoming if REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        req.context.started = time.perf_counter()
        req.context.log_token = request_id.set(req.context.request_id)
        resp.set_header("X-Request-ID", req.context.request_id)
        ip = client_ip(req.remote_addr, req.get_header("X-Forwarded-For"), self._proxies)
        agent = req.user_agent[:255] if req.user_agent else None
        req.context.client = ClientInfo(ip=ip, user_agent=agent)

    def process_response(self, req, resp, resource, req_succeeded: bool) -> None:
        """THE request line (gunicorn's access log is off): route template, never the query."""
        started = getattr(req.context, "started", None)
        principal = getattr(req.context, "principal", None)
        client = getattr(req.context, "client", None)
        fields = {
            "request_id": getattr(req.context, "request_id", None),
            "user_id": getattr(principal, "user_id", None),
            "method": req.method,
            "route": req.uri_template,
            "status": int(resp.status_code),
            "latency_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            "client_ip": getattr(client, "ip", None),
        }
        log.info("peticion", extra={"fields": fields})
        token = getattr(req.context, "log_token", None)
        if token is not None:
            request_id.reset(token)
            req.context.log_token = None


class CorsMiddleware(falcon.CORSMiddleware):
    """Falcon's CORS policy, plus `Vary: Origin`: the answer depends on the caller's Origin
    (echoed, or left out), so a shared cache must not hand one origin's answer to another."""

    def process_response(self, req, resp, resource, req_succeeded: bool) -> None:
        super().process_response(req, resp, resource, req_succeeded)
        if self.allow_origins != "*":
            vary = [v.strip() for v in (resp.get_header("Vary") or "").split(",") if v.strip()]
            if "origin" not in {v.lower() for v in vary}:
                resp.set_header("Vary", ", ".join([*vary, "Origin"]))


class AuthMiddleware:
    """The route table's policy: public routes pass; the rest need a Bearer token and a role
    with one of the route's permissions (checked here, or after the body when it has one)."""

    def __init__(
        self, authenticate: Callable[[str], Principal], routes: Mapping[tuple[str, str], Route]
    ) -> None:
        self._authenticate = authenticate
        self._routes = routes
        self._public = {path for (path, _), route in routes.items() if route.public}

    def process_resource(self, req: falcon.Request, resp, resource, params) -> None:
        route = self._routes.get((req.uri_template, req.method))
        req.context.route = route
        if resource is None or req.method == "OPTIONS" or req.uri_template in self._public:
            return
        if route is None and not hasattr(resource, f"on_{req.method.lower()}"):
            return  # Falcon answers 405 with Allow, the same for anyone: no token needed
        header = req.get_header("Authorization") or ""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationFailed("se requiere un token de acceso (Authorization: Bearer ...)")
        req.context.principal = self._authenticate(token.strip())
        if route is not None and route.body is None:
            require(req.context.principal, route.permission)
