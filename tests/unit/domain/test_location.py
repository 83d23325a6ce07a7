"""Location: coordinates are validated, normalised to floats and reported in Spanish."""

from __future__ import annotations

import math

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.model.location import Location


def test_keeps_coordinates_and_city() -> None:
    location = Location(6.2442, -75.5812, "Medellín")

    assert (location.latitude, location.longitude, location.city) == (6.2442, -75.5812, "Medellín")


def test_integers_become_floats_and_city_is_optional() -> None:
    location = Location(4, -74)

    assert location == Location(4.0, -74.0, None)
    assert isinstance(location.latitude, float)
    assert isinstance(location.longitude, float)


@pytest.mark.parametrize(("lat", "lon"), [(90, 180), (-90, -180), (0, 0)])
def test_bounds_are_inclusive(lat: float, lon: float) -> None:
    assert Location(lat, lon).latitude == lat


@pytest.mark.parametrize(
    ("lat", "lon", "field"),
    [
        (90.0001, 0, "latitud"),
        (-91, 0, "latitud"),
        (0, 180.5, "longitud"),
        (0, -181, "longitud"),
        (math.nan, 0, "latitud"),
        (0, math.inf, "longitud"),
        (True, 0, "latitud"),
        (0, False, "longitud"),
        ("6.2", 0, "latitud"),
        (None, 0, "latitud"),
    ],
)
def test_invalid_coordinates_raise_validation_error(lat: object, lon: object, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Location(lat, lon)  # type: ignore[arg-type]

    assert set(caught.value.details) == {field}
    assert caught.value.message.startswith(field)
    assert caught.value.code == "validacion"


def test_out_of_range_message_names_the_range() -> None:
    with pytest.raises(ValidationError) as caught:
        Location(999, 0)

    assert caught.value.message == "latitud debe estar entre -90 y 90"


def test_city_is_stripped_and_blank_means_none() -> None:
    assert Location(0, 0, "  Bogotá ").city == "Bogotá"
    assert Location(0, 0, "   ").city is None


def test_city_must_be_text() -> None:
    with pytest.raises(ValidationError) as caught:
        Location(0, 0, 42)  # type: ignore[arg-type]

    assert "ciudad" in caught.value.details


def test_is_an_immutable_value() -> None:
    location = Location(1, 2, "X")

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        location.latitude = 3.0  # type: ignore[misc]
    assert location == Location(1.0, 2.0, "X")
    assert hash(location) == hash(Location(1.0, 2.0, "X"))


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_every_coordinate_in_range_is_accepted_unchanged(lat: float, lon: float) -> None:
    location = Location(lat, lon)

    assert (location.latitude, location.longitude) == (lat, lon)


@given(
    st.one_of(st.floats(min_value=90, exclude_min=True), st.floats(max_value=-90, exclude_max=True))
)
def test_every_latitude_out_of_range_is_rejected(lat: float) -> None:
    with pytest.raises(ValidationError) as caught:
        Location(lat, 0)

    assert "latitud" in caught.value.details
