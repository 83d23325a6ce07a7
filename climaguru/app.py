"""create_app(container) -> falcon.App: middleware, routes and error handlers."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from adapters.http.errors import register_error_handlers
from adapters.http.media import use_orjson
from adapters.http.middleware import AuthMiddleware, CorsMiddleware, RequestContextMiddleware
from adapters.http.openapi import build_document
from adapters.http.resources import accounts as acc
from adapters.http.resources import auth, console, docs, health, queries
from adapters.http.resources import keys_and_favorites as kf
from adapters.http.resources.downloads import DownloadResource
from adapters.http.route import Route, index
from adapters.http.route_ids import IdConverter
from adapters.http.routes import ROUTES
from adapters.sql.engine import UNAVAILABLE_ERRORS
from climaguru.container import Container
from climaguru.metrics_wiring import install_metrics


def create_app(container: Container) -> falcon.App:
    """Build the WSGI app from an already configured container."""
    settings = container.settings()
    middleware: list[object] = [RequestContextMiddleware(settings.trusted_proxies)]
    if settings.cors_origins:
        middleware.append(
            CorsMiddleware(
                allow_origins=list(settings.cors_origins),
                expose_headers=["X-Request-ID", "Retry-After", "Content-Disposition"],
            )
        )
    middleware.append(AuthMiddleware(container.authenticate(), index(ROUTES)))
    app = falcon.App(middleware=middleware)
    app.req_options.strip_url_path_trailing_slash = True
    use_orjson(app)
    app.router_options.converters["id"] = IdConverter
    register_error_handlers(app, database_unavailable=UNAVAILABLE_ERRORS)
    install_metrics(app, container)
    add_routes(app, container, settings.max_body_bytes)
    return app


def add_routes(app: falcon.App, c: Container, max_body: int) -> None:
    """Every path of the route table, answered by one resource with exactly its methods."""
    resources = _resources(c, max_body)
    settings = c.settings()
    for template, routes in routed(settings.api_docs, settings.console).items():
        resource = resources[routes[0].resource]()
        answers = {name for name in dir(resource) if name.startswith("on_")}
        if answers != {r.responder for r in routes}:
            raise RuntimeError(f"{template}: the resource answers {answers}, the table {routes}")
        app.add_route(template, resource)


def routed(api_docs: bool, console: bool = True) -> dict[str, list[Route]]:
    """Path template → its routes (the docs routes only while API_DOCS is on, the web
    console's only while CONSOLE is)."""
    paths: dict[str, list[Route]] = {}
    for route in ROUTES:
        if (api_docs or not route.docs) and (console or not route.console):
            paths.setdefault(route.path, []).append(route)
    return paths


def _resources(c: Container, max_body: int) -> dict[type, Callable[[], object]]:
    """How to build each resource class the table names (one instance per path)."""
    register = auth.RegisterResource(c.register_user(), max_body)
    return {
        health.HealthResource: lambda: health.HealthResource(c.health_check()),
        auth.RegisterResource: lambda: register,
        auth.LoginResource: lambda: auth.LoginResource(c.login(), max_body),
        auth.RefreshResource: lambda: auth.RefreshResource(c.refresh_tokens(), max_body),
        auth.LogoutResource: lambda: auth.LogoutResource(c.logout()),
        auth.MeResource: lambda: auth.MeResource(c.get_current_user()),
        acc.PasswordResource: lambda: acc.PasswordResource(c.change_password(), max_body),
        acc.MyActivityResource: lambda: acc.MyActivityResource(c.activity_log()),
        acc.UsersResource: lambda: acc.UsersResource(c.manage_users(), max_body),
        acc.UserResource: lambda: acc.UserResource(c.manage_users(), max_body),
        acc.UserLockResource: lambda: acc.UserLockResource(c.manage_users()),
        acc.LogsResource: lambda: acc.LogsResource(c.activity_log()),
        queries.AllQueriesResource: lambda: queries.AllQueriesResource(c.list_queries()),
        queries.CurrentQueriesResource: lambda: queries.CurrentQueriesResource(
            c.run_current_query(), max_body
        ),
        queries.HistoryQueriesResource: lambda: queries.HistoryQueriesResource(
            c.run_history_query(), max_body
        ),
        queries.ForecastQueriesResource: lambda: queries.ForecastQueriesResource(
            c.run_forecast_query(), max_body
        ),
        queries.MyQueriesResource: lambda: queries.MyQueriesResource(c.list_queries()),
        queries.QueryResource: lambda: queries.QueryResource(c.get_query()),
        DownloadResource: lambda: DownloadResource(c.export_query()),
        kf.ApiKeysResource: lambda: kf.ApiKeysResource(c.manage_api_keys(), max_body),
        kf.ApiKeyResource: lambda: kf.ApiKeyResource(c.manage_api_keys(), max_body),
        kf.ApiKeyProbeResource: lambda: kf.ApiKeyProbeResource(c.manage_api_keys()),
        kf.FavoritesResource: lambda: kf.FavoritesResource(c.manage_favorites(), max_body),
        kf.FavoriteResource: lambda: kf.FavoriteResource(c.manage_favorites(), max_body),
        kf.StatisticsResource: lambda: kf.StatisticsResource(c.statistics()),
        docs.OpenApiResource: lambda: docs.OpenApiResource(_document(c, max_body)),
        docs.DocsPageResource: docs.DocsPageResource,
        docs.DocsAssetResource: docs.DocsAssetResource,
        console.ConsolePageResource: console.ConsolePageResource,
        console.ConsoleAssetResource: console.ConsoleAssetResource,
    }


def _document(c: Container, max_body: int) -> dict:
    """The OpenAPI document of this deployment (its enabled providers, its body limit)."""
    enabled = c.weather_providers()
    keyed = [name for name, p in enabled.items() if p.capabilities.needs_key]
    return build_document(max_body, list(enabled), keyed)
