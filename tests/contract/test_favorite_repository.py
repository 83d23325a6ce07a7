"""FavoriteRepository: unique coordinates per user, one default."""

from __future__ import annotations

import pytest

from domain.errors import Conflict
from domain.model.favorites import Favorite
from domain.model.location import Location
from tests.contract.conftest import T0, stored_user


def _favorite(user_id: int, lat: float, default: bool = False) -> Favorite:
    return Favorite(None, user_id, "Bogotá", Location(lat, -74.08175), default, T0, "CO")


def test_favourites_unique_per_coordinates_and_one_default(uow_factory):
    owner = stored_user(uow_factory)
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


def test_favourite_rolled_back_with_its_unit_of_work(uow_factory):
    owner = stored_user(uow_factory)
    with uow_factory() as uow:
        uow.favorites.add(_favorite(owner, 4.60971, default=True))
        uow.commit()
    with uow_factory() as uow:
        uow.favorites.clear_default(owner)  # then the transaction is abandoned
    with uow_factory() as uow:
        assert uow.favorites.default_for(owner) is not None
