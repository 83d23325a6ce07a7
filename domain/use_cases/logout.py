"""Logout: the access token and its whole refresh family are revoked in the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from attrs import frozen

from domain.model.activity import Action, audit
from domain.model.permissions import Principal
from domain.model.tokens import ClientInfo
from ports.clock import Clock
from ports.repositories import UnitOfWork


@frozen
class Logout:
    """Revoke what the caller holds so every worker and host rejects it from now on."""

    uow: Callable[[], UnitOfWork]
    clock: Clock

    def __call__(self, principal: Principal, client: ClientInfo) -> None:
        now = self.clock()
        expires = datetime.fromtimestamp(principal.token_expires_at, UTC)
        with self.uow() as uow:
            uow.tokens.revoke_access(principal.token_id, principal.user_id, expires, now)
            uow.tokens.revoke_family(principal.family_id, now, Action.LOGOUT.value)
            uow.activity.add(audit(Action.LOGOUT, principal.user_id, now, client))
            uow.commit()
