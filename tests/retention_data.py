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
