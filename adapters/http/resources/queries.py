"""Weather query endpoints: run current, historical and forecast queries, list and read them."""

from __future__ import annotations

import falcon
from attrs import frozen

from adapters.http import render
from adapters.http.body import parse
from adapters.http.schemas import requests
from domain.use_cases.get_query import GetQuery
from domain.use_cases.list_queries import ListQueries, ListQueriesCommand
from domain.use_cases.run_current_query import RunCurrentQuery
from domain.use_cases.run_forecast_query import RunForecastQuery
from domain.use_cases.run_history_query import RunHistoryQuery


@frozen
class CurrentQueriesResource:
    """POST /api/consultas/tiempo-real."""

    run: RunCurrentQuery
    max_body: int

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        command = parse(req, requests.CurrentQuery, self.max_body)
        resp.media = render.current_result(self.run(command))
        resp.status = falcon.HTTP_201


@frozen
class HistoryQueriesResource:
    """POST /api/consultas/historico."""

    run: RunHistoryQuery
    max_body: int

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        command = parse(req, requests.HistoryQuery, self.max_body)
        resp.media = render.history_result(self.run(command))
        resp.status = falcon.HTTP_201


@frozen
class ForecastQueriesResource:
    """POST /api/consultas/pronostico."""

    run: RunForecastQuery
    max_body: int

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        command = parse(req, requests.ForecastQuery, self.max_body)
        resp.media = render.forecast_result(self.run(command))
        resp.status = falcon.HTTP_201


def _list_command(req: falcon.Request) -> ListQueriesCommand:
    return ListQueriesCommand(
        principal=req.context.principal,
        page=req.get_param("page"),
        per_page=req.get_param("per_page"),
        query_type=req.get_param("tipo"),
        status=req.get_param("estado"),
        city=req.get_param("ciudad"),
        since=req.get_param("desde"),
        until=req.get_param("hasta"),
        user=req.get_param("usuario"),
    )


@frozen
class MyQueriesResource:
    """GET /api/consultas/mis-consultas."""

    list_queries: ListQueries

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = render.query_page(self.list_queries(_list_command(req)))


@frozen
class AllQueriesResource:
    """GET /api/consultas (admin: every query; consultor: every completed query)."""

    list_queries: ListQueries

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = render.query_page(self.list_queries.everyone(_list_command(req)))


@frozen
class QueryResource:
    """GET /api/consultas/{query_id}."""

    get_query: GetQuery

    def on_get(self, req: falcon.Request, resp: falcon.Response, query_id: int) -> None:
        resp.media = render.stored_query(self.get_query(req.context.principal, query_id))
