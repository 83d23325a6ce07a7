"""Auth endpoints: register, login, refresh, logout, me."""

from __future__ import annotations

import falcon
from attrs import frozen

from adapters.http.converter import unstructure
from adapters.http.resources.command import CommandResource
from adapters.http.schemas import responses as out
from domain.use_cases.get_current_user import GetCurrentUser
from domain.use_cases.logout import Logout

# RFC 6749 §5.1: a response carrying tokens must not be kept by any cache.
NO_STORE = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))


class RegisterResource(CommandResource):
    """POST /api/auth/register and POST /api/usuarionuevo: RegisterUser."""

    headers = NO_STORE


class LoginResource(CommandResource):
    """POST /api/auth/login: Login."""

    headers = NO_STORE


class RefreshResource(CommandResource):
    """POST /api/auth/refresh: RefreshTokens."""

    headers = NO_STORE


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
