"""Refresh-token rotation with reuse detection: a replayed token kills its whole family."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from attrs import frozen

from domain.errors import AuthenticationFailed
from domain.model.activity import Action, audit
from domain.model.auth_policy import AuthPolicy
from domain.model.tokens import (
    ClientInfo,
    RefreshToken,
    TokenClaims,
    TokenPair,
    TokenType,
    is_forgiven_retry,
    issued_before,
)
from domain.model.users import User
from domain.use_cases.issue_tokens import TokenIssuer
from ports.clock import Clock
from ports.repositories import UnitOfWork
from ports.security import TokenService

INVALID = "token de refresco inválido o revocado"


@frozen
class RefreshTokensCommand:
    """The refresh token the client holds."""

    refresh_token: object
    client: ClientInfo = ClientInfo(None, None)


@frozen
class RefreshTokens:
    """Exchange a live refresh token for a new pair; the old one dies."""

    uow: Callable[[], UnitOfWork]
    tokens: TokenService
    issuer: TokenIssuer
    policy: AuthPolicy
    clock: Clock

    def __call__(self, cmd: RefreshTokensCommand) -> TokenPair:
        if not isinstance(cmd.refresh_token, str) or not cmd.refresh_token:
            raise AuthenticationFailed(INVALID)
        claims = self.tokens.decode(cmd.refresh_token, TokenType.REFRESH)
        now = self.clock()
        with self.uow() as uow:
            # Locked: a concurrent refresh of the same token waits and then sees it used.
            stored = uow.tokens.get_refresh(claims.token_id, for_update=True)
            user = uow.users.get(claims.user_id)
            if not _live(uow, claims, stored, user):
                raise AuthenticationFailed(INVALID)
            assert stored is not None and user is not None
            if not uow.tokens.mark_used(stored.token_id, now):
                again = uow.tokens.get_refresh(stored.token_id)
                used_at = again.used_at if again else None
                if not is_forgiven_retry(used_at, now, self.policy.refresh_reuse_grace):
                    self._kill_family(uow, stored, user.id, now, cmd.client)
                    raise AuthenticationFailed(INVALID)
                # A retry within the grace window (the client lost our answer): a new pair.
            pair = self.issuer.issue(uow, claims.user_id, stored.family_id)
            uow.activity.add(audit(Action.REFRESH, user.id, now, cmd.client))
            uow.commit()
        return pair

    @staticmethod
    def _kill_family(
        uow: UnitOfWork, stored: RefreshToken, user_id: int | None, now: datetime, client
    ) -> None:
        """A replayed token: its whole family dies, and the audit log says so."""
        action = Action.REFRESH_REUSED
        uow.tokens.revoke_family(stored.family_id, now, action.value)
        uow.activity.add(audit(action, user_id, now, client, family=stored.family_id))
        uow.commit()


def _live(
    uow: UnitOfWork, claims: TokenClaims, stored: RefreshToken | None, user: User | None
) -> bool:
    """The token is stored for this user, its family lives, and so does the account."""
    return not (
        stored is None
        or stored.user_id != claims.user_id
        or user is None
        or not user.active
        or uow.tokens.family_revoked(stored.family_id)
        or issued_before(claims.issued_at, user.tokens_valid_after)
    )
