"""Account endpoints: user administration, own password, own activity, the audit log."""

from __future__ import annotations

import falcon
from attrs import frozen

from adapters.http import render
from adapters.http.body import parse, query
from adapters.http.converter import unstructure
from adapters.http.schemas import requests
from adapters.http.schemas import responses as out
from domain.use_cases.activity_log import ActivityLog, ActivityLogCommand
from domain.use_cases.change_password import ChangePassword
from domain.use_cases.manage_users import ListUsersCommand, ManageUsers


@frozen
class UsersResource:
    """GET / POST /api/usuarios (admin)."""

    users: ManageUsers
    max_body: int

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self.users.list(query(req, ListUsersCommand))
        resp.media = render.page(page, "usuarios", unstructure)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        command = parse(req, requests.NewUser, self.max_body)
        resp.media = unstructure(out.AccountBody(self.users.create(command)))
        resp.status = falcon.HTTP_201


@frozen
class UserResource:
    """GET / PATCH / DELETE /api/usuarios/{user_id} (admin; DELETE deactivates)."""

    users: ManageUsers
    max_body: int

    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        resp.media = unstructure(out.AccountBody(self.users.get(req.context.principal, user_id)))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        command = parse(req, requests.UserChange, self.max_body, user_id=user_id)
        resp.media = unstructure(out.AccountBody(self.users.update(command)))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        user = self.users.deactivate(req.context.principal, user_id, req.context.client)
        resp.media = unstructure(out.AccountBody(user))


@frozen
class UserLockResource:
    """DELETE /api/usuarios/{user_id}/bloqueo (admin): lift the account's login locks."""

    users: ManageUsers

    def on_delete(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        self.users.unlock(req.context.principal, user_id, req.context.client)
        resp.status = falcon.HTTP_204


@frozen
class PasswordResource:
    """PATCH /api/auth/me/password."""

    change: ChangePassword
    max_body: int

    def on_patch(self, req: falcon.Request, resp: falcon.Response) -> None:
        command = parse(req, requests.PasswordChange, self.max_body)
        self.change(command)
        resp.media = unstructure(out.Message("contraseña cambiada; las demás sesiones se cerraron"))


@frozen
class MyActivityResource:
    """GET /api/auth/me/actividad."""

    log: ActivityLog

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self.log.own(query(req, ActivityLogCommand))
        resp.media = render.page(page, "actividad", render.activity)


@frozen
class LogsResource:
    """GET /api/logs (admin)."""

    log: ActivityLog

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self.log.all(query(req, ActivityLogCommand))
        resp.media = render.page(page, "logs", render.activity)
