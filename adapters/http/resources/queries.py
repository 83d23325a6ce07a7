"""Weather query endpoints: run current, historical and forecast queries, list and read them."""

from __future__ import annotations

import falcon
from attrs import frozen

from adapters.http import render
from adapters.http.body import query
from adapters.http.resources.command import CommandResource
from domain.use_cases.get_query import GetQuery
from domain.use_cases.list_queries import ListQueries, ListQueriesCommand


class CurrentQueriesResource(CommandResource):
    """POST /api/consultas/tiempo-real: RunCurrentQuery."""

    view = staticmethod(render.current_result)


class HistoryQueriesResource(CommandResource):
    """POST /api/consultas/historico: RunHistoryQuery."""

    view = staticmethod(render.history_result)


class ForecastQueriesResource(CommandResource):
    """POST /api/consultas/pronostico: RunForecastQuery."""

    view = staticmethod(render.forecast_result)


@frozen
class MyQueriesResource:
    """GET /api/consultas/mis-consultas."""

    list_queries: ListQueries

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = render.query_page(self.list_queries(query(req, ListQueriesCommand)))


@frozen
class AllQueriesResource:
    """GET /api/consultas (admin: every query; consultor: every completed query)."""

    list_queries: ListQueries

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = render.query_page(self.list_queries.everyone(query(req, ListQueriesCommand)))


@frozen
class QueryResource:
    """GET /api/consultas/{query_id}."""

    get_query: GetQuery

    def on_get(self, req: falcon.Request, resp: falcon.Response, query_id: int) -> None:
        resp.media = render.stored_query(self.get_query(req.context.principal, query_id))
