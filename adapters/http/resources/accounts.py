"""Account endpoints: user administration, own password, own activity, the audit log."""

from __future__ import annotations

import falcon
from attrs import frozen

from adapters.http import render
from adapters.http.body import read_json
from adapters.http.converter import structure, unstructure
from adapters.http.schemas import requests
from domain.use_cases.activity_log import ActivityLog
from domain.use_cases.change_password import ChangePassword
from domain.use_cases.manage_users import ManageUsers

LIST_PARAMS = ("page", "per_page", "rol", "activo", "q", "usuario", "accion", "desde", "hasta")


def params(req: falcon.Request) -> dict[str, str]:
    return {name: req.get_param(name) for name in LIST_PARAMS if req.get_param(name) is not None}


@frozen
class UsersResource:
    """GET / POST /api/usuarios (admin)."""

    users: ManageUsers
    max_body: int

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self.users.list(req.context.principal, params(req))
        resp.media = render.page(page, "usuarios", unstructure)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, self.max_body)
        command = structure(
            body, requests.NewUser, principal=req.context.principal, client=req.context.client
        )
        resp.media = {"usuario": unstructure(self.users.create(command))}
        resp.status = falcon.HTTP_201


@frozen
class UserResource:
    """GET / PATCH / DELETE /api/usuarios/{user_id} (admin; DELETE deactivates)."""

    users: ManageUsers
    max_body: int

    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        resp.media = {"usuario": unstructure(self.users.get(req.context.principal, user_id))}

    def on_patch(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        body = read_json(req, self.max_body)
        command = structure(
            body,
            requests.UserChange,
            principal=req.context.principal,
            client=req.context.client,
            user_id=user_id,
        )
        resp.media = {"usuario": unstructure(self.users.update(command))}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        user = self.users.deactivate(req.context.principal, user_id, req.context.client)
        resp.media = {"usuario": unstructure(user)}


@frozen
class PasswordResource:
    """PATCH /api/auth/me/password."""

    change: ChangePassword
    max_body: int

    def on_patch(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, self.max_body)
        command = structure(
            body,
            requests.PasswordChange,
            principal=req.context.principal,
            client=req.context.client,
        )
        self.change(command)
        resp.media = {"message": "contraseña cambiada; las demás sesiones se cerraron"}


@frozen
class MyActivityResource:
    """GET /api/auth/me/actividad."""

    log: ActivityLog

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self.log.own(req.context.principal, params(req))
        resp.media = render.page(page, "actividad", render.activity)


@frozen
class LogsResource:
    """GET /api/logs (admin)."""

    log: ActivityLog

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self.log.all(req.context.principal, params(req))
        resp.media = render.page(page, "logs", render.activity)
