"""Turn a bearer access token into a Principal, reading role and status from storage."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.errors import AuthenticationFailed
from domain.model.permissions import Principal
from domain.model.tokens import TokenType, issued_before
from ports.repositories import UnitOfWork
from ports.security import TokenService

REVOKED = "el token fue revocado o la cuenta no está activa"


@frozen
class Authenticate:
    """Verify signature and claims, then revocation, family, account status and role."""

    uow: Callable[[], UnitOfWork]
    tokens: TokenService

    def __call__(self, token: str) -> Principal:
        claims = self.tokens.decode(token, TokenType.ACCESS)
        with self.uow() as uow:
            user = uow.users.get(claims.user_id)
            if (
                user is None
                or not user.active
                or uow.tokens.access_revoked(claims.token_id)
                or uow.tokens.family_revoked(claims.family_id)
            ):
                raise AuthenticationFailed(REVOKED)
        if issued_before(claims.issued_at, user.tokens_valid_after):
            raise AuthenticationFailed(REVOKED)
        assert user.id is not None
        return Principal(
            user_id=user.id,
            username=user.username,
            role=user.role,
            token_id=claims.token_id,
            family_id=claims.family_id,
            token_expires_at=claims.expires_at,
        )
