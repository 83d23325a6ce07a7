"""Provider API keys and favourite cities of the caller."""

from __future__ import annotations

import falcon
from attrs import frozen

from adapters.http import render
from adapters.http.body import parse
from adapters.http.converter import unstructure
from adapters.http.schemas import requests
from adapters.http.schemas import responses as out
from domain.use_cases.get_statistics import GetStatistics
from domain.use_cases.manage_api_keys import ManageApiKeys
from domain.use_cases.manage_favorites import ManageFavorites


@frozen
class ApiKeysResource:
    """GET / POST /api/api-keys."""

    keys: ManageApiKeys
    max_body: int

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = unstructure(
            out.ApiKeyList([render.api_key(v) for v in self.keys.list(req.context.principal)])
        )

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        command = parse(req, requests.NewApiKey, self.max_body)
        resp.media = unstructure(out.ApiKeyBody(render.api_key(self.keys.create(command))))
        resp.status = falcon.HTTP_201


@frozen
class ApiKeyResource:
    """GET / PATCH / DELETE /api/api-keys/{key_id}."""

    keys: ManageApiKeys
    max_body: int

    def on_get(self, req: falcon.Request, resp: falcon.Response, key_id: int) -> None:
        resp.media = unstructure(
            out.ApiKeyBody(render.api_key(self.keys.get(req.context.principal, key_id)))
        )

    def on_patch(self, req: falcon.Request, resp: falcon.Response, key_id: int) -> None:
        command = parse(req, requests.ApiKeyChange, self.max_body)
        resp.media = unstructure(out.ApiKeyBody(render.api_key(self.keys.update(command, key_id))))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, key_id: int) -> None:
        self.keys.delete(req.context.principal, key_id, req.context.client)
        resp.status = falcon.HTTP_204


@frozen
class ApiKeyProbeResource:
    """POST /api/api-keys/{key_id}/probar."""

    keys: ManageApiKeys

    def on_post(self, req: falcon.Request, resp: falcon.Response, key_id: int) -> None:
        result = self.keys.probe(req.context.principal, key_id, req.context.client)
        resp.media = render.probe(result)


@frozen
class FavoritesResource:
    """GET / POST /api/ciudades-favoritas."""

    favorites: ManageFavorites
    max_body: int

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        items = self.favorites.list(req.context.principal)
        resp.media = unstructure(out.FavoriteList([render.favorite(f) for f in items]))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        command = parse(req, requests.NewFavorite, self.max_body)
        resp.media = unstructure(out.FavoriteBody(render.favorite(self.favorites.create(command))))
        resp.status = falcon.HTTP_201


@frozen
class FavoriteResource:
    """PATCH / DELETE /api/ciudades-favoritas/{favorite_id}."""

    favorites: ManageFavorites
    max_body: int

    def on_patch(self, req: falcon.Request, resp: falcon.Response, favorite_id: int) -> None:
        command = parse(req, requests.FavoriteChange, self.max_body)
        updated = self.favorites.update(command, favorite_id)
        resp.media = unstructure(out.FavoriteBody(render.favorite(updated)))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, favorite_id: int) -> None:
        self.favorites.delete(req.context.principal, favorite_id)
        resp.status = falcon.HTTP_204


@frozen
class StatisticsResource:
    """GET /api/reportes/estadisticas?desde=&hasta=."""

    statistics: GetStatistics

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        principal = req.context.principal
        report = self.statistics(principal, req.get_param("desde"), req.get_param("hasta"))
        resp.media = render.statistics(report)
