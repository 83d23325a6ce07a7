"""Weather query endpoints: run current, historical and forecast queries, list and read them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import falcon
from attrs import frozen

from adapters.http import render
from adapters.http.body import parse
from adapters.http.schemas import requests
from domain.use_cases.get_query import GetQuery
from domain.use_cases.list_queries import ListQueries, ListQueriesCommand


@frozen
class _RunQueryResource:
    """POST of one kind of query: parse the body into its command, run it, render it (201)."""

    run: Callable[[Any], Any]
    max_body: int
    schema: ClassVar[type]
    shape: ClassVar[Callable[[Any], dict[str, Any]]]  # the use case result as a response body

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        command = parse(req, self.schema, self.max_body)
        resp.media = type(self).shape(self.run(command))
        resp.status = falcon.HTTP_201


class CurrentQueriesResource(_RunQueryResource):
    """POST /api/consultas/tiempo-real."""

    schema, shape = requests.CurrentQuery, render.current_result


class HistoryQueriesResource(_RunQueryResource):
    """POST /api/consultas/historico."""

    schema, shape = requests.HistoryQuery, render.history_result


class ForecastQueriesResource(_RunQueryResource):
    """POST /api/consultas/pronostico."""

    schema, shape = requests.ForecastQuery, render.forecast_result


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
