"""Auth endpoints: register, login, refresh, logout, me."""

from __future__ import annotations

import falcon
from attrs import frozen

from adapters.http.body import read_json
from adapters.http.converter import structure, unstructure
from adapters.http.schemas import requests
from domain.use_cases.get_current_user import GetCurrentUser
from domain.use_cases.login import Login
from domain.use_cases.logout import Logout
from domain.use_cases.refresh_tokens import RefreshTokens
from domain.use_cases.register_user import RegisterUser


@frozen
class RegisterResource:
    """POST /api/auth/register and POST /api/usuarionuevo."""

    register: RegisterUser
    max_body: int
    public = True

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, self.max_body)
        command = structure(body, requests.Registration, client=req.context.client)
        resp.media = unstructure(self.register(command))
        resp.status = falcon.HTTP_201


@frozen
class LoginResource:
    """POST /api/auth/login."""

    login: Login
    max_body: int
    public = True

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, self.max_body)
        command = structure(body, requests.Login, client=req.context.client)
        resp.media = unstructure(self.login(command))


@frozen
class RefreshResource:
    """POST /api/auth/refresh."""

    refresh: RefreshTokens
    max_body: int
    public = True

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, self.max_body)
        command = structure(body, requests.Refresh, client=req.context.client)
        resp.media = unstructure(self.refresh(command))


@frozen
class LogoutResource:
    """POST /api/auth/logout: revokes the presented access token and its refresh family."""

    logout: Logout

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.logout(req.context.principal, req.context.client)
        resp.media = {"message": "sesión cerrada"}


@frozen
class MeResource:
    """GET /api/auth/me."""

    get_current_user: GetCurrentUser

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"usuario": unstructure(self.get_current_user(req.context.principal))}
