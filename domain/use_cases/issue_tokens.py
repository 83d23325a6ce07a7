"""Issuing an access + refresh pair inside an existing or a new token family."""

from __future__ import annotations

from datetime import datetime, timedelta

from attrs import frozen

from domain.model.auth_policy import AuthPolicy
from domain.model.tokens import RefreshToken, TokenClaims, TokenPair, TokenType
from ports.clock import Clock, IdGenerator
from ports.repositories import UnitOfWork
from ports.security import TokenService


@frozen
class TokenIssuer:
    """Creates a token pair and records the refresh token so it can be rotated and revoked."""

    tokens: TokenService
    policy: AuthPolicy
    clock: Clock
    new_id: IdGenerator

    def new_family(self, uow: UnitOfWork, user_id: int) -> TokenPair:
        family_id = self.new_id()
        uow.tokens.add_family(family_id, user_id, self.clock())
        return self.issue(uow, user_id, family_id)

    def issue(self, uow: UnitOfWork, user_id: int, family_id: str) -> TokenPair:
        now = self.clock()
        access = self._claims(user_id, family_id, TokenType.ACCESS, now, self.policy.access_ttl)
        ttl = self.policy.refresh_ttl
        refresh = self._claims(user_id, family_id, TokenType.REFRESH, now, ttl)
        uow.tokens.add_refresh(
            RefreshToken(
                token_id=refresh.token_id,
                family_id=family_id,
                user_id=user_id,
                issued_at=now,
                expires_at=now + timedelta(seconds=ttl),
            )
        )
        return TokenPair(
            access_token=self.tokens.encode(access),
            refresh_token=self.tokens.encode(refresh),
            expires_in=self.policy.access_ttl,
        )

    def _claims(
        self, user_id: int, family_id: str, kind: TokenType, now: datetime, ttl: int
    ) -> TokenClaims:
        issued = now.timestamp()
        return TokenClaims(
            user_id=user_id,
            token_id=self.new_id(),
            family_id=family_id,
            token_type=kind,
            issued_at=issued,
            expires_at=issued + ttl,
        )
