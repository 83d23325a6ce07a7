"""Dew point (Magnus, Alduchov & Eskridge 1996): invariants and input checks."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.model.agro import dew_point

temperatures = st.floats(-40.0, 50.0)
humidities = st.floats(1.0, 100.0)


@settings(deadline=None)
@given(temperatures, humidities)
def test_dew_point_never_exceeds_the_air_temperature(temperature: float, humidity: float) -> None:
    assert dew_point(temperature, humidity) <= temperature


@settings(deadline=None)
@given(temperatures)
def test_saturated_air_has_its_dew_point_at_the_air_temperature(temperature: float) -> None:
    assert dew_point(temperature, 100.0) == pytest.approx(temperature, abs=1e-9)


@settings(deadline=None)
@given(temperatures, humidities, st.floats(0.01, 50.0))
def test_moister_air_has_a_higher_dew_point(
    temperature: float, humidity: float, more: float
) -> None:
    wetter = min(100.0, humidity + more)
    assert dew_point(temperature, humidity) <= dew_point(temperature, wetter)


@pytest.mark.parametrize(("temperature", "humidity"), [(None, 50.0), (20.0, None), (None, None)])
def test_a_missing_input_gives_no_dew_point(
    temperature: float | None, humidity: float | None
) -> None:
    assert dew_point(temperature, humidity) is None


@pytest.mark.parametrize(
    ("temperature", "humidity", "field"),
    [
        (20.0, 0.0, "humedad_relativa"),
        (20.0, -1.0, "humedad_relativa"),
        (20.0, 100.5, "humedad_relativa"),
        (math.nan, 50.0, "temperatura"),
        (75.0, 50.0, "temperatura"),
        (20.0, math.inf, "humedad_relativa"),
    ],
)
def test_impossible_inputs_are_rejected_naming_the_field(
    temperature: float, humidity: float, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        dew_point(temperature, humidity)
    assert field in caught.value.details
