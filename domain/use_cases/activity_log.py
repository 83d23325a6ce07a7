"""The audit log: every entry for admins (filtered, paginated), one's own for everyone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from attrs import frozen

from domain.errors import ValidationError
from domain.model.paging import Page, day_bounds, identifier, paging
from domain.model.permissions import Permission, Principal, require
from ports.repositories import UnitOfWork


@frozen
class ActivityLog:
    """GET /api/logs and GET /api/auth/me/actividad."""

    uow: Callable[[], UnitOfWork]

    def all(self, principal: Principal, params: dict[str, Any]) -> Page:
        require(principal, Permission.READ_ALL_LOGS)
        user_id = identifier(params.get("usuario"), "usuario")
        return self._search(user_id, params)

    def own(self, principal: Principal, params: dict[str, Any]) -> Page:
        require(principal, Permission.READ_OWN_ACTIVITY)
        return self._search(principal.user_id, params)

    def _search(self, user_id: int | None, params: dict[str, Any]) -> Page:
        page, per_page = paging(params.get("page"), params.get("per_page"))
        since, until = day_bounds(params.get("desde"), params.get("hasta"))
        action = params.get("accion")
        if action is not None and (not isinstance(action, str) or len(action) > 50):
            raise ValidationError("accion no es válida", details={"accion": "invalida"})
        with self.uow() as uow:
            items, total = uow.activity.search(
                user_id, action, since, until, (page - 1) * per_page, per_page
            )
        return Page(items, page, per_page, total)
