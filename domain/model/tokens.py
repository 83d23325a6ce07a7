"""Token claims and the records that let logout and refresh rotation hold on every worker."""

from __future__ import annotations

import enum
from datetime import datetime

from attrs import define, frozen


class TokenType(enum.StrEnum):
    """The two kinds of JWT ClimaGuru issues; one is never accepted as the other."""

    ACCESS = "access"
    REFRESH = "refresh"


@frozen
class TokenClaims:
    """The verified content of a token."""

    user_id: int
    token_id: str
    family_id: str
    token_type: TokenType
    issued_at: float
    expires_at: float


@frozen
class TokenPair:
    """What login, registration and refresh hand back."""

    access_token: str
    refresh_token: str
    expires_in: int


@define
class RefreshToken:
    """A refresh token as stored: single use, tied to a family born at login."""

    token_id: str
    family_id: str
    user_id: int
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@frozen
class ClientInfo:
    """Where a request came from, for the audit log and the login throttle."""

    ip: str | None
    user_agent: str | None


def is_forgiven_retry(used_at: datetime | None, now: datetime, grace_seconds: float) -> bool:
    """A refresh token used again within the grace window is a client retry (it lost our
    answer), not a replay: it gets a new pair instead of killing the family."""
    if used_at is None:
        return False
    return (now - used_at).total_seconds() <= grace_seconds


def issued_before(issued_at: float, valid_after: datetime | None) -> bool:
    """A token issued before the account's tokens_valid_after is dead."""
    return valid_after is not None and issued_at < valid_after.timestamp()
