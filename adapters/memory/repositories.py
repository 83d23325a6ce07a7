"""usuarios and the token tables in memory, with the SQL adapters' semantics."""

from __future__ import annotations

import copy
from datetime import datetime

from adapters.memory.store import MemoryStore, StoreBacked
from domain.errors import Conflict
from domain.model.tokens import RefreshToken
from domain.model.users import Account, Role, User, normalize_username

__all__ = ["InMemoryTokenRepository", "InMemoryUserRepository", "MemoryStore"]


class InMemoryUserRepository(StoreBacked):
    """usuarios in a dict."""

    def add(self, user: User) -> User:
        key = normalize_username(user.username)
        for other in self._s.users.values():
            if normalize_username(other.username) == key or other.email == user.email:
                raise Conflict(
                    "ya existe un usuario con ese username o email",
                    details={"username": "duplicado", "email": "duplicado"},
                )
        return self._insert(self._s.users, user)

    def get(self, user_id: int, for_update: bool = False) -> User | None:
        return self._copy_of(self._s.users, user_id)

    def find_by_login(self, username_or_email: str) -> User | None:
        key = username_or_email.strip().lower()
        for user in self._s.users.values():
            if (user.email if "@" in key else normalize_username(user.username)) == key:
                return copy.deepcopy(user)
        return None

    def record_login(self, user_id: int, at: datetime) -> None:
        self._s.users[user_id].last_login = at

    def update(self, user: User) -> None:
        for other in self._s.users.values():
            if other.id != user.id and other.email == user.email:
                raise Conflict("ya existe un usuario con ese email", details={"email": "duplicado"})
        if user.id in self._s.users:
            self._s.users[user.id] = copy.deepcopy(user)

    def search(
        self, role: Role | None, active: bool | None, text: str | None, offset: int, limit: int
    ) -> tuple[list[User], int]:
        needle = (text or "").lower()

        def keep(u: User) -> bool:
            haystack = f"{normalize_username(u.username)} {u.email} {(u.full_name or '').lower()}"
            return (
                (role is None or u.role == role)
                and (active is None or u.active == active)
                and (not needle or needle in haystack)
            )

        found = sorted((u for u in self._s.users.values() if keep(u)), key=lambda u: u.id)
        return copy.deepcopy(found[offset : offset + limit]), len(found)

    def count_active_admins(self) -> int:
        return sum(1 for u in self._s.users.values() if u.role == Role.ADMIN and u.active)


class InMemoryTokenRepository(StoreBacked):
    """Token families, refresh tokens and revoked access tokens."""

    def add_family(self, family_id: str, user_id: int, at: datetime) -> None:
        self._s.families[family_id] = {"user_id": user_id, "created": at, "revoked": None}

    def add_refresh(self, token: RefreshToken) -> None:
        self._s.refresh[token.token_id] = copy.deepcopy(token)

    def get_refresh(self, token_id: str, for_update: bool = False) -> RefreshToken | None:
        return self._copy_of(self._s.refresh, token_id)

    def mark_used(self, token_id: str, at: datetime) -> bool:
        token = self._s.refresh.get(token_id)
        if token is None or token.used_at is not None:
            return False
        token.used_at = at
        return True

    def revoke_family(self, family_id: str, at: datetime, reason: str) -> None:
        family = self._s.families.get(family_id)
        if family is not None and family["revoked"] is None:
            family["revoked"] = at

    def family_revoked(self, family_id: str) -> bool:
        family = self._s.families.get(family_id)
        return family is None or family["revoked"] is not None

    def revoke_access(
        self, token_id: str, user_id: int, expires_at: datetime, at: datetime
    ) -> None:
        self._s.revoked.setdefault(token_id, expires_at)  # the purge reads when it can go

    def access_revoked(self, token_id: str) -> bool:
        return token_id in self._s.revoked

    def session_account(self, user_id: int, token_id: str, family_id: str) -> Account | None:
        user = self._s.users.get(user_id)
        if user is None or not user.active:
            return None
        if self.access_revoked(token_id) or self.family_revoked(family_id):
            return None
        return Account.of(user)

    def revoke_user_families(
        self, user_id: int, at: datetime, reason: str, keep: str | None = None
    ) -> None:
        for family_id, family in self._s.families.items():
            if family["user_id"] == user_id and family_id != keep and family["revoked"] is None:
                family["revoked"] = at
