"""Auth endpoints: register, login, refresh, logout, me."""

from __future__ import annotations

import falcon
from attrs import frozen

from adapters.http.body import parse
from adapters.http.converter import unstructure
from adapters.http.schemas import requests
from adapters.http.schemas import responses as out
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

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        command = parse(req, requests.Registration, self.max_body)
        resp.media = unstructure(self.register(command))
        resp.status = falcon.HTTP_201
        _no_store(resp)


@frozen
class LoginResource:
    """POST /api/auth/login."""

    login: Login
    max_body: int

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        command = parse(req, requests.Login, self.max_body)
        resp.media = unstructure(self.login(command))
        _no_store(resp)


@frozen
class RefreshResource:
    """POST /api/auth/refresh."""

    refresh: RefreshTokens
    max_body: int

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        command = parse(req, requests.Refresh, self.max_body)
        resp.media = unstructure(self.refresh(command))
        _no_store(resp)


@frozen
class LogoutResource:
    """POST /api/auth/logout: revokes the presented access token and its refresh family."""

    logout: Logout

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.logout(req.context.principal, req.context.client)
        resp.media = unstructure(out.Message("sesión cerrada"))


@frozen
class MeResource:
    """GET /api/auth/me."""

    get_current_user: GetCurrentUser

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = unstructure(out.AccountBody(self.get_current_user(req.context.principal)))


def _no_store(resp: falcon.Response) -> None:
    """RFC 6749 §5.1: a response carrying tokens must not be kept by any cache."""
    resp.set_header("Cache-Control", "no-store")
    resp.set_header("Pragma", "no-cache")
