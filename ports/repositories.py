"""Storage ports and the unit of work that groups them into one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, Self

from domain.model.activity import ActivityEntry
from domain.model.tokens import RefreshToken
from domain.model.users import User


class UserRepository(Protocol):
    """Accounts; usernames are unique ignoring case and surrounding spaces."""

    def add(self, user: User) -> User:
        """Store a new user and return it with its id; Conflict when username or email exist."""
        ...

    def get(self, user_id: int) -> User | None: ...

    def find_by_login(self, username_or_email: str) -> User | None: ...

    def record_login(self, user_id: int, at: datetime) -> None: ...


class TokenRepository(Protocol):
    """Refresh tokens, their families and revoked access tokens."""

    def add_family(self, family_id: str, user_id: int, at: datetime) -> None: ...

    def add_refresh(self, token: RefreshToken) -> None: ...

    def get_refresh(self, token_id: str) -> RefreshToken | None: ...

    def mark_used(self, token_id: str, at: datetime) -> bool:
        """Mark a refresh token used; False when it already was (someone else used it first)."""
        ...

    def revoke_family(self, family_id: str, at: datetime, reason: str) -> None: ...

    def family_revoked(self, family_id: str) -> bool: ...

    def revoke_access(
        self, token_id: str, user_id: int, expires_at: datetime, at: datetime
    ) -> None: ...

    def access_revoked(self, token_id: str) -> bool: ...


class LoginAttemptRepository(Protocol):
    """Failed logins per key ('usuario:<name>' or 'ip:<addr>'), shared by every worker."""

    def add_failure(self, keys: Sequence[str], at: datetime) -> None: ...

    def failures_since(self, key: str, since: datetime) -> list[datetime]:
        """The failure instants for the key at or after `since`, oldest first."""
        ...

    def clear(self, key: str) -> None: ...


class ActivityRepository(Protocol):
    """The audit log."""

    def add(self, entry: ActivityEntry) -> None: ...

    def list_for_user(self, user_id: int, limit: int = 50) -> list[ActivityEntry]: ...


class UnitOfWork(Protocol):
    """One transaction over every repository; nothing is stored until commit()."""

    users: UserRepository
    tokens: TokenRepository
    login_attempts: LoginAttemptRepository
    activity: ActivityRepository

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class HealthCheck(Protocol):
    """Answers whether the database can be reached right now."""

    def __call__(self) -> bool: ...
