"""Favourites, API keys and queries: one body per behaviour, on memory, SQLite and MariaDB."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.errors import Conflict
from domain.model.api_keys import ApiKey
from domain.model.consensus import ConsensusValue
from domain.model.favorites import Favorite
from domain.model.location import Location
from domain.model.queries import ExportFormat, QueryStatus, QueryType, SeriesPoint, WeatherQuery
from ports.repositories import QueryFilter
from tests.contract.test_repositories import T0, _user, uow_factory  # noqa: F401 (fixture)


def _owner(uow_factory) -> int:  # noqa: F811
    with uow_factory() as uow:
        user = uow.users.add(_user())
        uow.commit()
    return user.id


def _favorite(user_id: int, lat: float, default: bool = False) -> Favorite:
    return Favorite(None, user_id, "Bogotá", Location(lat, -74.08175), default, T0, "CO")


def test_favourites_unique_per_coordinates_and_one_default(uow_factory):  # noqa: F811
    owner = _owner(uow_factory)
    with uow_factory() as uow:
        first = uow.favorites.add(_favorite(owner, 4.60971, default=True))
        uow.favorites.add(_favorite(owner, 6.25184))
        uow.commit()
    with pytest.raises(Conflict), uow_factory() as uow:
        uow.favorites.add(_favorite(owner, 4.60971))
    with uow_factory() as uow:
        assert uow.favorites.default_for(owner).id == first.id
        uow.favorites.clear_default(owner)
        uow.commit()
    with uow_factory() as uow:
        assert uow.favorites.default_for(owner) is None
        stored = uow.favorites.list_for_user(owner)
    assert [f.location.latitude for f in stored] == [4.60971, 6.25184]
    assert stored[0].name == "Bogotá" and stored[0].country == "CO"


def test_favourite_rolled_back_with_its_unit_of_work(uow_factory):  # noqa: F811
    owner = _owner(uow_factory)
    with uow_factory() as uow:
        uow.favorites.add(_favorite(owner, 4.60971, default=True))
        uow.commit()
    with uow_factory() as uow:
        uow.favorites.clear_default(owner)  # then the transaction is abandoned
    with uow_factory() as uow:
        assert uow.favorites.default_for(owner) is not None


def _key(owner: int, provider: str = "openweathermap", limit: int = 2) -> ApiKey:
    return ApiKey(None, owner, provider, "cifrado", None, True, limit, 0, None, T0, "d")


def test_api_keys_quota_per_local_day(uow_factory):  # noqa: F811
    owner = _owner(uow_factory)
    with uow_factory() as uow:
        key = uow.api_keys.add(_key(owner))
        uow.commit()
    with pytest.raises(Conflict), uow_factory() as uow:
        uow.api_keys.add(_key(owner))
    day = date(2026, 3, 1)
    with uow_factory() as uow:
        taken = [uow.api_keys.try_consume(key.id, day, T0) for _ in range(3)]
        uow.commit()
    assert taken == [True, True, False]
    with uow_factory() as uow:
        assert uow.api_keys.try_consume(key.id, day + timedelta(days=1), T0) is True
        uow.commit()
    with uow_factory() as uow:
        stored = uow.api_keys.get(key.id)
        assert (stored.used_today, stored.usage_day, stored.last_used) == (
            1,
            day + timedelta(days=1),
            T0,
        )
        stored.active = False
        uow.api_keys.update(stored)
        uow.commit()
    with uow_factory() as uow:
        assert uow.api_keys.active_for(owner, "openweathermap") is None
        assert uow.api_keys.try_consume(key.id, day + timedelta(days=2), T0) is False
        assert [k.id for k in uow.api_keys.batch_after(0, 10)] == [key.id]


def test_queries_series_and_stats(uow_factory):  # noqa: F811
    owner = _owner(uow_factory)
    query = WeatherQuery(
        None, owner, QueryType.HISTORY, Location(4.61, -74.08, "Bogotá"), ExportFormat.CSV,
        {"parametros": ["temperatura"]}, QueryStatus.PENDING, T0,
        date(2026, 1, 1), date(2026, 1, 2),
    )  # fmt: skip
    with uow_factory() as uow:
        query = uow.queries.add(query)
        uow.commit()
    value = ConsensusValue("temperatura", 14.2, "°C", 14.0, 14.4, 0.2, 2, ("a", "b"), ())
    points = [
        SeriesPoint(datetime(2026, 1, 1, 5, tzinfo=UTC) + timedelta(days=i), {"temperatura": value})
        for i in range(2)
    ]
    query.status = QueryStatus.COMPLETED
    query.response_ms = 120
    with uow_factory() as uow:
        uow.queries.update(query)
        uow.queries.add_series(query.id, points)
        uow.commit()
    with uow_factory() as uow:
        rows = list(uow.queries.iter_series(query.id))
        fast = list(uow.queries.iter_series_values(query.id))
        stats = uow.queries.stats(QueryFilter(user_id=owner))
        page, total = uow.queries.search(QueryFilter(city="BOGOTÁ"), 0, 10)
    assert [r.instant for r in rows] == [p.instant for p in points]
    assert rows[0].consensus["temperatura"].value == 14.2
    assert fast[1].values["temperatura"] == 14.2 and fast[1].values["precipitacion"] is None
    assert stats.by_status == {QueryStatus.COMPLETED: 1} and stats.mean_response_ms == 120
    assert total == 1 and page[0].location.city == "Bogotá"
