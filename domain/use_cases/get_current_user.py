"""The caller's own account, as stored now."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.errors import AuthenticationFailed
from domain.model.permissions import Permission, Principal, require
from domain.model.users import User
from ports.repositories import UnitOfWork


@frozen
class GetCurrentUser:
    """Read the principal's user row."""

    uow: Callable[[], UnitOfWork]

    def __call__(self, principal: Principal) -> User:
        require(principal, Permission.READ_OWN_ACCOUNT)
        with self.uow() as uow:
            user = uow.users.get(principal.user_id)
        if user is None:
            raise AuthenticationFailed("la cuenta ya no existe")
        return user
