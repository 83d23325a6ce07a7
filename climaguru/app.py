"""create_app(container) -> falcon.App: middleware, routes and error handlers."""

from __future__ import annotations

import falcon

from adapters.http.errors import register_error_handlers
from adapters.http.middleware import AuthMiddleware, RequestContextMiddleware
from adapters.http.resources.auth import (
    LoginResource,
    LogoutResource,
    MeResource,
    RefreshResource,
    RegisterResource,
)
from adapters.http.resources.health import HealthResource
from adapters.http.resources.queries import (
    CurrentQueriesResource,
    HistoryQueriesResource,
    MyQueriesResource,
    QueryResource,
)
from climaguru.container import Container


def create_app(container: Container) -> falcon.App:
    """Build the WSGI app from an already configured container."""
    settings = container.settings()
    middleware: list[object] = [RequestContextMiddleware(settings.trusted_proxies)]
    if settings.cors_origins:
        middleware.append(
            falcon.CORSMiddleware(
                allow_origins=list(settings.cors_origins),
                expose_headers=["X-Request-ID", "Retry-After", "Content-Disposition"],
            )
        )
    middleware.append(AuthMiddleware(container.authenticate()))
    app = falcon.App(middleware=middleware)
    app.req_options.strip_url_path_trailing_slash = True
    register_error_handlers(app)
    add_routes(app, container, settings.max_body_bytes)
    return app


def add_routes(app: falcon.App, c: Container, max_body: int) -> None:
    register = RegisterResource(c.register_user(), max_body)
    app.add_route("/api/auth/register", register)
    app.add_route("/api/usuarionuevo", register)
    app.add_route("/api/auth/login", LoginResource(c.login(), max_body))
    app.add_route("/api/auth/refresh", RefreshResource(c.refresh_tokens(), max_body))
    app.add_route("/api/auth/logout", LogoutResource(c.logout()))
    app.add_route("/api/auth/me", MeResource(c.get_current_user()))
    app.add_route("/api/health", HealthResource(c.health_check()))
    app.add_route(
        "/api/consultas/tiempo-real", CurrentQueriesResource(c.run_current_query(), max_body)
    )
    app.add_route(
        "/api/consultas/historico", HistoryQueriesResource(c.run_history_query(), max_body)
    )
    app.add_route("/api/consultas/mis-consultas", MyQueriesResource(c.list_queries()))
    app.add_route("/api/consultas/{query_id:int}", QueryResource(c.get_query()))
