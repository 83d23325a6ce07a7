"""Storage ports and the unit of work that groups them into one transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Protocol, Self

from attrs import frozen

from domain.model.activity import ActivityEntry
from domain.model.api_keys import ApiKey
from domain.model.favorites import Favorite
from domain.model.queries import QueryStatus, QueryType, SeriesPoint, SummaryValue, WeatherQuery
from domain.model.results import ProviderReport, QueryResult, SeriesValues
from domain.model.statistics import QueryStatistics, UserQueryTotals
from domain.model.tokens import RefreshToken
from domain.model.users import Account, Role, User


class UserRepository(Protocol):
    """Accounts; usernames are unique ignoring case and surrounding spaces."""

    def add(self, user: User) -> User:
        """Store a new user and return it with its id; Conflict when username or email exist."""
        ...

    def get(self, user_id: int, for_update: bool = False) -> User | None:
        """`for_update` locks the row until commit where the database can (write paths)."""
        ...

    def find_by_login(self, username_or_email: str) -> User | None: ...

    def record_login(self, user_id: int, at: datetime) -> None: ...

    def update(self, user: User) -> None:
        """Store email, full name, role, active flag, hash and tokens_valid_after; Conflict on
        a duplicate email."""
        ...

    def search(
        self, role: Role | None, active: bool | None, text: str | None, offset: int, limit: int
    ) -> tuple[list[User], int]: ...

    def count_active_admins(self) -> int:
        """Active admins, locking their rows until commit where the database can."""
        ...


class TokenRepository(Protocol):
    """Refresh tokens, their families and revoked access tokens."""

    def add_family(self, family_id: str, user_id: int, at: datetime) -> None: ...

    def add_refresh(self, token: RefreshToken) -> None: ...

    def get_refresh(self, token_id: str, for_update: bool = False) -> RefreshToken | None: ...

    def mark_used(self, token_id: str, at: datetime) -> bool:
        """Mark a refresh token used; False when it already was (someone else used it first)."""
        ...

    def revoke_family(self, family_id: str, at: datetime, reason: str) -> None: ...

    def family_revoked(self, family_id: str) -> bool: ...

    def revoke_access(
        self, token_id: str, user_id: int, expires_at: datetime, at: datetime
    ) -> None: ...

    def access_revoked(self, token_id: str) -> bool: ...

    def session_account(self, user_id: int, token_id: str, family_id: str) -> Account | None:
        """The user behind an access token, in one read: None unless the user exists and is
        active, the token is not revoked and its family is live."""
        ...

    def revoke_user_families(
        self, user_id: int, at: datetime, reason: str, keep: str | None = None
    ) -> None:
        """Revoke every live family of the user except `keep`."""
        ...


class LoginAttemptRepository(Protocol):
    """Failed logins (and sign-ups) per key, e.g. 'cuenta:<id>@<addr>', shared by every worker."""

    def lock(self) -> None:
        """Serialise check-and-record with every other unit of work that locks, on any worker
        or host, until this unit of work ends (so a limit of N lets exactly N through)."""
        ...

    def add_failure(self, keys: Sequence[str], at: datetime) -> None: ...

    def withdraw(self, key: str, at: datetime) -> None:
        """Remove one row of `key` recorded at `at` (an attempt that turned out right)."""
        ...

    def clear_account(self, account: str) -> None:
        """Forget `account` and every (account, address) pair of it: lifts its locks."""
        ...

    def failures_since(self, key: str, since: datetime) -> list[datetime]:
        """The failure instants for the key at or after `since`, oldest first."""
        ...

    def clear(self, key: str) -> None: ...


@frozen
class ActivityFilter:
    """Filters of GET /api/logs and /api/auth/me/actividad; None means any."""

    user_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive


class ActivityRepository(Protocol):
    """The audit log."""

    def add(self, entry: ActivityEntry) -> None: ...

    def list_for_user(self, user_id: int, limit: int = 50) -> list[ActivityEntry]: ...

    def search(
        self, flt: ActivityFilter, offset: int, limit: int
    ) -> tuple[list[ActivityEntry], int]:
        """Newest first; the page and the total."""
        ...


@frozen
class QueryFilter:
    """Filters of GET /api/consultas/mis-consultas; None means any."""

    user_id: int | None = None
    query_type: QueryType | None = None
    status: QueryStatus | None = None
    city: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class QueryRepository(Protocol):
    """consultas, datos_clima (the summary) and the per-instant series."""

    def add(self, query: WeatherQuery) -> WeatherQuery: ...

    def get(self, query_id: int) -> WeatherQuery | None: ...

    def abandon_stale(self, before: datetime, at: datetime) -> int:
        """Mark pendiente/procesando queries created before `before` as error `abandonada`
        (their worker died); how many."""
        ...

    def update(self, query: WeatherQuery) -> None:
        """Store status, timings, provider answers and error code of an existing query."""
        ...

    def save_result(
        self, query_id: int, result: QueryResult, columns: Mapping[str, SummaryValue]
    ) -> None:
        """The datos_clima row: `columns` fill the summary columns, `result` the rest."""
        ...

    def get_result(self, query_id: int) -> QueryResult | None: ...

    def add_series(self, query_id: int, points: Sequence[SeriesPoint]) -> None: ...

    def iter_series(self, query_id: int, limit: int | None = None) -> Iterator[SeriesPoint]:
        """The stored series in time order (streamable)."""
        ...

    def iter_series_values(
        self, query_id: int, with_readings: bool = False
    ) -> Iterator[SeriesValues]:
        """Like iter_series but the values only (+ each provider's readings): the fast path
        for exports that need values only."""
        ...

    def count_series(self, query_id: int) -> int: ...

    def search(self, flt: QueryFilter, offset: int, limit: int) -> tuple[list[WeatherQuery], int]:
        """A page of queries, newest first, and the total that match; the items carry what a
        listing shows (no provider answers, no client address)."""
        ...

    def stats(self, flt: QueryFilter) -> QueryStatistics:
        """Totals by status and type, mean response time of completed queries, the newest
        query and the five most asked cities."""
        ...

    def answers(self, flt: QueryFilter) -> Iterator[Mapping[str, ProviderReport]]:
        """The provider reports (respuesta_api) of every matching query, oldest first."""
        ...

    def per_user(self, flt: QueryFilter) -> list[UserQueryTotals]:
        """Every active user's queries over the period (user_id of the filter ignored)."""
        ...


class ApiKeyRepository(Protocol):
    """api_keys; the quota check and increment are one conditional UPDATE."""

    def add(self, key: ApiKey) -> ApiKey: ...

    def active_for(self, user_id: int, provider: str) -> ApiKey | None: ...

    def try_consume(self, key_id: int, day: date, at: datetime) -> bool:
        """Take one unit of today's quota; False (nothing changed) when it is exhausted."""
        ...

    def get(self, key_id: int) -> ApiKey | None: ...

    def list_for_user(self, user_id: int | None) -> list[ApiKey]:
        """The user's keys (every key when None), by provider."""
        ...

    def update(self, key: ApiKey) -> None:
        """Store activa, descripcion, limite and the ciphertexts."""
        ...

    def delete(self, key_id: int) -> None: ...

    def batch_after(self, last_id: int, size: int) -> list[ApiKey]:
        """Keys with id > last_id in id order (for re-encryption in batches)."""
        ...


class FavoriteRepository(Protocol):
    """ciudades_favoritas; unique per user and coordinates."""

    def add(self, favorite: Favorite) -> Favorite:
        """Conflict when the user already keeps these coordinates."""
        ...

    def get(self, favorite_id: int) -> Favorite | None: ...

    def list_for_user(self, user_id: int) -> list[Favorite]: ...

    def update(self, favorite: Favorite) -> None: ...

    def delete(self, favorite_id: int) -> None: ...

    def clear_default(self, user_id: int) -> None: ...

    def default_for(self, user_id: int) -> Favorite | None: ...


class UsageRepository(Protocol):
    """Shared counters: system-key budgets per user, provider and day; query rate windows.

    Each charge is one atomic step in the database, so every worker and host shares them.
    """

    def try_charge_system_key(self, user_id: int, provider: str, day: date, budget: int) -> bool:
        """Take one unit of the user's daily budget on a system key; False when it is spent."""
        ...

    def system_key_usage(self, user_id: int | None, day: date) -> list[tuple[int, str, int]]:
        """(user_id, provider, used) for the day (every user when None), by user and provider."""
        ...

    def try_hit(self, user_id: int, window: int, limit: int) -> bool:
        """Count one query in the user's window; False (not counted) once `limit` is reached."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository; nothing is stored until commit()."""

    users: UserRepository
    tokens: TokenRepository
    login_attempts: LoginAttemptRepository
    activity: ActivityRepository
    queries: QueryRepository
    api_keys: ApiKeyRepository
    favorites: FavoriteRepository
    usage: UsageRepository

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class HealthCheck(Protocol):
    """Answers whether the database can be reached right now."""

    def __call__(self) -> bool: ...
