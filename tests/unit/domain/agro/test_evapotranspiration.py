"""Hargreaves-Samani ET0 with FAO-56 eq. 21 Ra: invariants and input checks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.model.agro import extraterrestrial_radiation, hargreaves_et0

latitudes = st.floats(-90.0, 90.0)
days = st.integers(1, 366)
minima = st.floats(-60.0, 50.0)


@settings(deadline=None)
@given(latitudes, days)
def test_extraterrestrial_radiation_is_never_negative(latitude: float, day: int) -> None:
    assert extraterrestrial_radiation(latitude, day) >= 0.0


def test_polar_night_receives_no_radiation() -> None:
    # 80° N around the December solstice: the sun does not rise (ωs = 0).
    assert extraterrestrial_radiation(80.0, 355) == pytest.approx(0.0, abs=1e-9)


@settings(deadline=None)
@given(minima, st.floats(0.0, 40.0), latitudes, days)
def test_et0_is_never_negative(t_min: float, spread: float, latitude: float, day: int) -> None:
    t_max = min(60.0, t_min + spread)
    assert hargreaves_et0(t_max, t_min, latitude, day) >= 0.0


@settings(deadline=None)
@given(minima, latitudes, days)
def test_no_daily_range_means_no_et0(temperature: float, latitude: float, day: int) -> None:
    assert hargreaves_et0(temperature, temperature, latitude, day) == 0.0


def test_a_bitterly_cold_day_evaporates_nothing() -> None:
    # Tmed below -17.8 °C would make the formula negative; ET0 stays at 0.
    assert hargreaves_et0(-20.0, -30.0, 70.0, 180) == 0.0


@pytest.mark.parametrize(("t_max", "t_min"), [(None, 7.0), (20.0, None), (None, None)])
def test_a_missing_extreme_gives_no_et0(t_max: float | None, t_min: float | None) -> None:
    assert hargreaves_et0(t_max, t_min, 4.6, 15) is None


@pytest.mark.parametrize(
    ("t_max", "t_min", "latitude", "day", "field"),
    [
        (7.0, 20.0, 4.6, 15, "temperatura_max"),
        (20.0, 7.0, 91.0, 15, "latitud"),
        (20.0, 7.0, 4.6, 0, "dia_del_anio"),
        (20.0, 7.0, 4.6, 367, "dia_del_anio"),
        (20.0, -95.0, 4.6, 15, "temperatura_min"),
    ],
)
def test_impossible_inputs_are_rejected_naming_the_field(
    t_max: float, t_min: float, latitude: float, day: int, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        hargreaves_et0(t_max, t_min, latitude, day)
    assert field in caught.value.details
