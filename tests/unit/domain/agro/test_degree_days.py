"""Growing degree days, modified average (McMaster & Wilhelm 1997): bounds and limits."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.model.agro import DegreeDayLimits, growing_degree_days


@st.composite
def limits(draw: st.DrawFn) -> DegreeDayLimits:
    base = draw(st.floats(-5.0, 20.0))
    return DegreeDayLimits(base=base, cap=base + draw(st.floats(1.0, 30.0)))


@settings(deadline=None)
@given(st.floats(-60.0, 55.0), st.floats(0.0, 40.0), limits())
def test_a_day_adds_between_zero_and_the_whole_band(
    t_min: float, spread: float, bounds: DegreeDayLimits
) -> None:
    t_max = min(60.0, t_min + spread)
    value = growing_degree_days(t_max, t_min, bounds)
    assert 0.0 <= value <= bounds.cap - bounds.base


def test_a_night_warmer_than_the_cap_still_adds_at_most_the_band() -> None:
    # Both extremes clamp to [Tbase, Tsup]: 40/35 °C is a full 30 - 10 = 20 °C·day, not 22.5.
    assert growing_degree_days(40.0, 35.0) == 20.0


def test_limits_can_be_chosen_per_request() -> None:
    # A cool-season crop: base 5 °C, cap 25 °C; 20/5 °C gives (20 + 5)/2 - 5.
    assert growing_degree_days(20.0, 5.0, DegreeDayLimits(base=5.0, cap=25.0)) == 7.5


def test_a_range_sums_its_days() -> None:
    days = [(32.0, 18.0), (20.0, 5.0), (9.0, 2.0)]
    assert math.fsum(growing_degree_days(high, low) for high, low in days) == 19.0


@pytest.mark.parametrize(("t_max", "t_min"), [(None, 5.0), (20.0, None)])
def test_a_missing_extreme_gives_no_degree_days(t_max: float | None, t_min: float | None) -> None:
    assert growing_degree_days(t_max, t_min) is None


@pytest.mark.parametrize(("base", "cap"), [(30.0, 10.0), (10.0, 10.0), (math.nan, 30.0)])
def test_a_base_not_below_the_cap_is_rejected(base: float, cap: float) -> None:
    with pytest.raises(ValidationError):
        DegreeDayLimits(base=base, cap=cap)


def test_a_maximum_below_the_minimum_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        growing_degree_days(5.0, 20.0)
    assert "temperatura_max" in caught.value.details
