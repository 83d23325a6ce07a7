"""Every reference value of /work/shared/AGRO.md, checked to its 2 decimals."""

from __future__ import annotations

import pytest

from domain.model.agro import (
    HeatStressCategory,
    dew_point,
    extraterrestrial_radiation,
    growing_degree_days,
    hargreaves_et0,
    thi,
    thi_category,
)

# Magnus, Alduchov & Eskridge (1996), J. Appl. Meteor. 35:601-609: (T °C, HR %, Td °C).
DEW_POINTS = [(20, 50, 9.26), (30, 60, 21.39), (10, 100, 10.00), (0, 80, -3.04)]

# NRC (1971) ITH with the LWSI bands (Armstrong 1994): (T °C, HR %, ITH, category).
THIS = [
    (22, 90, 70.85, HeatStressCategory.NORMAL),
    (25, 80, 74.91, HeatStressCategory.NORMAL),
    (30, 60, 79.84, HeatStressCategory.DANGER),
    (35, 40, 82.79, HeatStressCategory.DANGER),
    (38, 50, 88.74, HeatStressCategory.EMERGENCY),
]

# FAO-56 eq. 21: (latitude °, day of year, Ra MJ m-2 day-1). The first is FAO-56 Example 8
# (20° S, 3 September), which prints 32.2; the formula gives 32.19.
RADIATIONS = [(-20.0, 246, 32.19), (4.6, 15, 34.29)]

# McMaster & Wilhelm (1997) modified average, Tbase 10 °C, Tsup 30 °C: (Tmax, Tmin, GD).
DEGREE_DAYS = [(32, 18, 14.0), (20, 5, 5.0), (9, 2, 0.0)]


@pytest.mark.parametrize(("temperature", "humidity", "expected"), DEW_POINTS)
def test_dew_point_matches_agro_md(temperature: float, humidity: float, expected: float) -> None:
    assert round(dew_point(temperature, humidity), 2) == expected


@pytest.mark.parametrize(("temperature", "humidity", "expected", "category"), THIS)
def test_thi_and_band_match_agro_md(
    temperature: float, humidity: float, expected: float, category: HeatStressCategory
) -> None:
    value = thi(temperature, humidity)
    assert round(value, 2) == expected
    assert thi_category(value) is category


def test_hot_humid_lowland_is_danger_as_issue_14_done_when() -> None:
    value = thi(30.0, 60.0)
    assert round(value, 2) == 79.84
    assert thi_category(value).value == "peligro"


@pytest.mark.parametrize(("latitude", "day", "expected"), RADIATIONS)
def test_extraterrestrial_radiation_matches_fao56(
    latitude: float, day: int, expected: float
) -> None:
    assert round(extraterrestrial_radiation(latitude, day), 2) == expected


def test_fao56_example_8_to_its_printed_precision() -> None:
    assert round(extraterrestrial_radiation(-20.0, 246), 1) == 32.2


def test_hargreaves_et0_matches_agro_md() -> None:
    # 4.6° N, 15 January (J = 15), Tmax 20 °C, Tmin 7 °C.
    assert round(hargreaves_et0(20.0, 7.0, 4.6, 15), 2) == 3.63


@pytest.mark.parametrize(("t_max", "t_min", "expected"), DEGREE_DAYS)
def test_degree_days_match_agro_md(t_max: float, t_min: float, expected: float) -> None:
    assert round(growing_degree_days(t_max, t_min), 2) == expected
