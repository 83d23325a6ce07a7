"""Refresh-token rotation with reuse detection: a replayed token kills its whole family."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.errors import AuthenticationFailed
from domain.model.activity import ActivityEntry
from domain.model.auth_policy import AuthPolicy
from domain.model.tokens import ClientInfo, TokenPair, TokenType
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
            if (
                stored is None
                or stored.user_id != claims.user_id
                or user is None
                or not user.active
                or uow.tokens.family_revoked(stored.family_id)
                or (
                    user.tokens_valid_after
                    and claims.issued_at < user.tokens_valid_after.timestamp()
                )
            ):
                raise AuthenticationFailed(INVALID)
            if not uow.tokens.mark_used(stored.token_id, now):
                used_at = uow.tokens.get_refresh(stored.token_id).used_at  # type: ignore[union-attr]
                age = (now - used_at).total_seconds() if used_at else float("inf")
                if age > self.policy.refresh_reuse_grace:
                    uow.tokens.revoke_family(stored.family_id, now, "refresh_reutilizado")
                    uow.activity.add(
                        ActivityEntry(
                            action="refresh_reutilizado",
                            user_id=user.id,
                            occurred_at=now,
                            ip=cmd.client.ip,
                            user_agent=cmd.client.user_agent,
                            detail={"familia": stored.family_id},
                        )
                    )
                    uow.commit()
                    raise AuthenticationFailed(INVALID)
                # A retry within the grace window (the client lost our answer): a new pair.
            pair = self.issuer.issue(uow, claims.user_id, stored.family_id)
            uow.activity.add(
                ActivityEntry(
                    action="refresh",
                    user_id=user.id,
                    occurred_at=now,
                    ip=cmd.client.ip,
                    user_agent=cmd.client.user_agent,
                )
            )
            uow.commit()
        return pair
