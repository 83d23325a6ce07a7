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
        with self.uow() as uow:  # one read: user, role, status and both revocations
            account = uow.tokens.session_account(claims.user_id, claims.token_id, claims.family_id)
        if account is None or issued_before(claims.issued_at, account.tokens_valid_after):
            raise AuthenticationFailed(REVOKED)
        return Principal(
            user_id=account.id,
            username=account.username,
            role=account.role,
            token_id=claims.token_id,
            family_id=claims.family_id,
            token_expires_at=claims.expires_at,
            account=account,
        )
