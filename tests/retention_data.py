"""Queries, summaries, series and audit entries at chosen ages, for the retention tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from domain.model.activity import ActivityEntry
from domain.model.api_keys import ApiKey
from domain.model.consensus import ConsensusValue
from domain.model.favorites import Favorite
from domain.model.location import Location
from domain.model.queries import (
    ExportFormat,
    QueryParameters,
    QueryStatus,
    QueryType,
    SeriesPoint,
    SummaryValue,
    WeatherQuery,
)
from domain.model.results import QueryResult
from domain.model.tokens import RefreshToken
from domain.model.users import Role, User

NOW = datetime(2026, 11, 30, 12, 0, 0, 250000, tzinfo=UTC)
SERIES_PER_QUERY = 3


def seed(
    uow_factory: Callable,
    query_ages: Sequence[float],
    audit_ages: Sequence[float],
    now: datetime = NOW,
) -> dict[str, object]:
    """One owner with a key and a favourite, a query per age in days (each with a summary
    and SERIES_PER_QUERY series points) and an audit entry per age; returns their ids."""
    with uow_factory() as uow:
        owner = uow.users.add(
            User(None, "Retenida", "ret@ejemplo.co", "$2b$04$hash", Role.OPERATOR, True, now)
        ).id
        key = uow.api_keys.add(
            ApiKey(None, owner, "openweathermap", "cifrado", None, True, 10, 0, None, now, "d")
        ).id
        favorite = uow.favorites.add(
            Favorite(None, owner, "Bogotá", Location(4.61, -74.08), False, now, "CO")
        ).id
        queries = [_query(uow, owner, now - timedelta(days=age)) for age in query_ages]
        for age in audit_ages:
            uow.activity.add(ActivityEntry("login", owner, now - timedelta(days=age)))
        uow.commit()
    return {"owner": owner, "key": key, "favorite": favorite, "queries": queries}


def _query(uow, owner: int, created: datetime) -> int:
    location = Location(6.25, -75.56, "Medellín")
    query = WeatherQuery(
        None, owner, QueryType.HISTORY, location, ExportFormat.JSON, QueryParameters(),
        QueryStatus.COMPLETED, created,
    )  # fmt: skip
    query = uow.queries.add(query)
    value = ConsensusValue("temperatura", 21.5, "°C", 21.0, 22.0, 0.5, 2, ("a", "b"), ())
    uow.queries.add_series(
        query.id,
        [
            SeriesPoint(created - timedelta(hours=h), {"temperatura": value})
            for h in range(SERIES_PER_QUERY)
        ],
    )
    summary = {"temperatura": SummaryValue("temperatura", "°C", 21.5, 21.0, 22.0, 3)}
    uow.queries.save_result(query.id, QueryResult(("open_meteo",)), summary)
    return query.id


# An access token lives 3 days in the session tests, longer than some refresh tokens below,
# so the purge must look at when a pair was issued as well as when its refresh token expired.
SESSION_ACCESS_TTL = 3 * 86400


def seed_sessions(uow_factory: Callable, owner: int, now: datetime = NOW) -> dict[str, set[str]]:
    """Token families, refresh tokens and revoked access tokens at chosen ages (SessionCutoffs
    at `now` with SESSION_ACCESS_TTL: expired before now - 1 day, issued before now - 4 days).
    Returns what a purge must remove ("gone_*") and what it must keep ("kept_*")."""
    day = timedelta(days=1)
    families = {  # id: (created, revoked, [(jti, issued, expires)])
        "viva": (now - 40 * day, False, [("viva-usado", now - 40 * day, now - 10 * day),
                                         ("viva-actual", now - day / 24, now + 29 * day)]),
        "caducada": (now - 60 * day, False, [("caducada-1", now - 60 * day, now - 30 * day),
                                             ("caducada-2", now - 59 * day, now - 29 * day)]),
        "revocada": (now - 50 * day, True, [("revocada-1", now - 50 * day, now - 20 * day)]),
        # expired 12 h ago: inside the one-day margin
        "reciente": (now - 31 * day, False, [("reciente-1", now - 31 * day, now - day / 2)]),
        # the refresh token expired 1.5 days ago, but the access token issued with it (3 days)
        # still lives: neither the token nor its family may go
        "acceso-vivo": (now - 2 * day, False, [("acceso-vivo-1", now - 2 * day,
                                                now - 1.5 * day)]),
    }  # fmt: skip
    revoked = {"revocado-viejo": now - 2 * day, "revocado-vigente": now + day / 48,
               "revocado-en-margen": now - day / 2}  # fmt: skip
    with uow_factory() as uow:
        for family_id, (created, is_revoked, tokens) in families.items():
            uow.tokens.add_family(family_id, owner, created)
            for jti, issued, expires in tokens:
                uow.tokens.add_refresh(RefreshToken(jti, family_id, owner, issued, expires))
            if is_revoked:
                uow.tokens.revoke_family(family_id, created + day, "logout")
        for jti, expires in revoked.items():
            uow.tokens.revoke_access(jti, owner, expires, now - 3 * day)
        uow.commit()
    return {
        "gone_refresh": {"viva-usado", "caducada-1", "caducada-2", "revocada-1"},
        "kept_refresh": {"viva-actual", "reciente-1", "acceso-vivo-1"},
        "gone_families": {"caducada", "revocada"},
        "kept_families": {"viva", "reciente", "acceso-vivo"},
        "gone_revoked": {"revocado-viejo"},
        "kept_revoked": {"revocado-vigente", "revocado-en-margen"},
    }
