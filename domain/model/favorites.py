"""Favourite cities: named points a user keeps; at most one is the default location."""

from __future__ import annotations

from datetime import datetime

from attrs import define

from domain.model.location import Location


@define
class Favorite:
    """One row of ciudades_favoritas."""

    id: int | None
    user_id: int
    name: str
    location: Location
    is_default: bool
    created_at: datetime
    country: str | None = None
