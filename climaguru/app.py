"""create_app(container) -> falcon.App: middleware, routes and error handlers."""

from __future__ import annotations

import falcon

from adapters.http.errors import register_error_handlers
from adapters.http.middleware import AuthMiddleware, RequestContextMiddleware
from adapters.http.openapi import build_document
from adapters.http.resources.accounts import (
    LogsResource,
    MyActivityResource,
    PasswordResource,
    UserResource,
    UsersResource,
)
from adapters.http.resources.auth import (
    LoginResource,
    LogoutResource,
    MeResource,
    RefreshResource,
    RegisterResource,
)
from adapters.http.resources.console import console_routes
from adapters.http.resources.docs import DocsAssetResource, DocsPageResource, OpenApiResource
from adapters.http.resources.downloads import DownloadResource
from adapters.http.resources.health import HealthResource
from adapters.http.resources.keys_and_favorites import (
    ApiKeyProbeResource,
    ApiKeyResource,
    ApiKeysResource,
    FavoriteResource,
    FavoritesResource,
    StatisticsResource,
)
from adapters.http.resources.queries import (
    AllQueriesResource,
    CurrentQueriesResource,
    HistoryQueriesResource,
    MyQueriesResource,
    QueryResource,
)
from adapters.http.route_ids import IdConverter
from adapters.sql.engine import UNAVAILABLE_ERRORS
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
    app.router_options.converters["id"] = IdConverter
    register_error_handlers(app, database_unavailable=UNAVAILABLE_ERRORS)
    add_routes(app, container, settings.max_body_bytes)
    for template, resource in console_routes() if settings.console else []:
        app.add_route(template, resource)
    return app


def add_routes(app: falcon.App, c: Container, max_body: int) -> None:
    for template, resource in route_table(c, max_body):
        app.add_route(template, resource)


def route_table(c: Container, max_body: int) -> list[tuple[str, object]]:
    """Every route and its resource (the role-matrix test walks this list)."""
    register = RegisterResource(c.register_user(), max_body)
    users, keys, favorites = c.manage_users(), c.manage_api_keys(), c.manage_favorites()
    return [
        ("/api/health", HealthResource(c.health_check())),
        ("/api/auth/register", register),
        ("/api/usuarionuevo", register),
        ("/api/auth/login", LoginResource(c.login(), max_body)),
        ("/api/auth/refresh", RefreshResource(c.refresh_tokens(), max_body)),
        ("/api/auth/logout", LogoutResource(c.logout())),
        ("/api/auth/me", MeResource(c.get_current_user())),
        ("/api/auth/me/password", PasswordResource(c.change_password(), max_body)),
        ("/api/auth/me/actividad", MyActivityResource(c.activity_log())),
        ("/api/consultas", AllQueriesResource(c.list_queries())),
        ("/api/consultas/tiempo-real", CurrentQueriesResource(c.run_current_query(), max_body)),
        ("/api/consultas/historico", HistoryQueriesResource(c.run_history_query(), max_body)),
        ("/api/consultas/mis-consultas", MyQueriesResource(c.list_queries())),
        ("/api/consultas/{query_id:id}", QueryResource(c.get_query())),
        ("/api/consultas/{query_id:id}/descargar", DownloadResource(c.export_query())),
        ("/api/api-keys", ApiKeysResource(keys, max_body)),
        ("/api/api-keys/{key_id:id}", ApiKeyResource(keys, max_body)),
        ("/api/api-keys/{key_id:id}/probar", ApiKeyProbeResource(keys)),
        ("/api/ciudades-favoritas", FavoritesResource(favorites, max_body)),
        ("/api/ciudades-favoritas/{favorite_id:id}", FavoriteResource(favorites, max_body)),
        ("/api/usuarios", UsersResource(users, max_body)),
        ("/api/usuarios/{user_id:id}", UserResource(users, max_body)),
        ("/api/logs", LogsResource(c.activity_log())),
        ("/api/reportes/estadisticas", StatisticsResource(c.statistics())),
        *(_docs_routes(c, max_body) if c.settings().api_docs else []),
    ]


def _docs_routes(c: Container, max_body: int) -> list[tuple[str, object]]:
    """The OpenAPI document and Swagger UI (hidden in production unless API_DOCS=true)."""
    enabled = c.weather_providers()
    keyed = [name for name, p in enabled.items() if p.capabilities.needs_key]
    document = build_document(max_body, list(enabled), keyed)
    return [
        ("/api/openapi.json", OpenApiResource(document)),
        ("/api/docs", DocsPageResource()),
        ("/api/docs/{asset}", DocsAssetResource()),
    ]
