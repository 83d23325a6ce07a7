"""Auth endpoints: register, login, refresh, logout, me."""

from __future__ import annotations

import falcon
from attrs import frozen

from adapters.http.converter import unstructure
from adapters.http.resources.command import CommandResource
from adapters.http.schemas import responses as out
from domain.use_cases.get_current_user import GetCurrentUser
from domain.use_cases.logout import Logout


class RegisterResource(CommandResource):
    """POST /api/auth/register and POST /api/usuarionuevo: RegisterUser."""


class LoginResource(CommandResource):
    """POST /api/auth/login: Login."""


class RefreshResource(CommandResource):
    """POST /api/auth/refresh: RefreshTokens."""


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
