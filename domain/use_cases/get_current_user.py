"""The caller's own account, as stored now."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.errors import AuthenticationFailed
from domain.model.permissions import Permission, Principal, require
from domain.model.users import Account
from ports.repositories import UnitOfWork


@frozen
class GetCurrentUser:
    """The account the authentication read in this request; the user row otherwise."""

    uow: Callable[[], UnitOfWork]

    def __call__(self, principal: Principal) -> Account:
        require(principal, Permission.READ_OWN_ACCOUNT)
        if principal.account is not None:  # read in this request, with the revocation checks
            return principal.account
        with self.uow() as uow:
            user = uow.users.get(principal.user_id)
        if user is None:
            raise AuthenticationFailed("la cuenta ya no existe")
        return Account.of(user)
