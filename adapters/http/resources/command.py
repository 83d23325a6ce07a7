"""The POST that runs one use case over its body, written once from the route table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import falcon
from attrs import frozen

from adapters.http.body import parse
from adapters.http.converter import unstructure


@frozen
class CommandResource:
    """POST: the route's request schema (`route.body`) → the use case's command → its result,
    rendered by `view`, answered with the route's success status (`route.ok`) and `headers`.
    A subclass names its route in its docstring and, when the result is no response schema,
    its view."""

    run: Callable[[Any], Any]
    max_body: int
    view: ClassVar[Callable[[Any], Any]] = staticmethod(unstructure)
    headers: ClassVar[tuple[tuple[str, str], ...]] = ()  # set on every success, e.g. no-store

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        route = req.context.route
        resp.media = self.view(self.run(parse(req, route.body, self.max_body)))
        resp.status = falcon.code_to_http_status(route.ok)
        resp.set_headers(self.headers)
