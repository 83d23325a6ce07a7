"""The audit log: every entry for admins (filtered, paginated), one's own for everyone."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.errors import ValidationError
from domain.model.paging import Page, day_bounds, identifier, paging
from domain.model.permissions import Permission, Principal, require
from ports.repositories import ActivityFilter, UnitOfWork


@frozen
class ActivityLogCommand:
    """The filters of GET /api/logs and /api/auth/me/actividad, as the client sent them."""

    principal: Principal
    page: object = None
    per_page: object = None
    user: object = None  # only GET /api/logs
    action: object = None
    since: object = None
    until: object = None


@frozen
class ActivityLog:
    """GET /api/logs and GET /api/auth/me/actividad."""

    uow: Callable[[], UnitOfWork]

    def all(self, cmd: ActivityLogCommand) -> Page:
        require(cmd.principal, Permission.READ_ALL_LOGS)
        return self._search(identifier(cmd.user, "usuario"), cmd)

    def own(self, cmd: ActivityLogCommand) -> Page:
        require(cmd.principal, Permission.READ_OWN_ACTIVITY)
        return self._search(cmd.principal.user_id, cmd)

    def _search(self, user_id: int | None, cmd: ActivityLogCommand) -> Page:
        page, per_page = paging(cmd.page, cmd.per_page)
        since, until = day_bounds(cmd.since, cmd.until)
        action = cmd.action
        if action is not None and (not isinstance(action, str) or len(action) > 50):
            raise ValidationError("accion no es válida", details={"accion": "invalida"})
        with self.uow() as uow:
            flt = ActivityFilter(user_id, action, since, until)
            items, total = uow.activity.search(flt, (page - 1) * per_page, per_page)
        return Page(items, page, per_page, total)
