"""Frost risk heuristic (AGRO.md): the minimum-temperature bands and the dry, calm dawn."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.model.agro import AgroSettings, FrostRisk, FrostThresholds, frost_risk

minima = st.floats(-20.0, 20.0)
dew_points = st.floats(-30.0, 20.0)
winds = st.floats(0.0, 60.0)


@pytest.mark.parametrize(
    ("t_min", "risk"),
    [
        (-3.0, FrostRisk.HIGH),
        (0.0, FrostRisk.HIGH),
        (0.1, FrostRisk.MODERATE),
        (2.0, FrostRisk.MODERATE),
        (4.0, FrostRisk.LOW),
        (4.1, FrostRisk.NONE),
    ],
)
def test_bands_of_the_minimum_include_their_upper_bound(t_min: float, risk: FrostRisk) -> None:
    assert frost_risk(t_min) is risk


@pytest.mark.parametrize(
    ("t_min", "dew", "wind", "risk"),
    [
        (3.0, -1.0, 4.0, FrostRisk.MODERATE),  # bajo, raised
        (5.0, 0.0, 4.9, FrostRisk.LOW),  # ninguno, raised
        (-1.0, -5.0, 0.0, FrostRisk.HIGH),  # already the top level
        (3.0, -1.0, 5.0, FrostRisk.LOW),  # 5 km/h is not below 5: not calm
        (3.0, 0.1, 0.0, FrostRisk.LOW),  # dew point above 0 °C: not dry
    ],
)
def test_a_dry_calm_dawn_raises_one_level(
    t_min: float, dew: float, wind: float, risk: FrostRisk
) -> None:
    assert frost_risk(t_min, dew, wind) is risk


def test_cold_high_plains_night_is_high_as_issue_14_done_when() -> None:
    assert frost_risk(-0.5, 4.0, 12.0).value == "alto"


def test_without_dawn_data_the_minimum_alone_decides() -> None:
    assert frost_risk(3.0, None, 2.0) is FrostRisk.LOW
    assert frost_risk(3.0, -2.0, None) is FrostRisk.LOW


def test_without_a_minimum_there_is_no_risk_level() -> None:
    assert frost_risk(None, -5.0, 0.0) is None


def test_wire_codes_are_spanish() -> None:
    assert [r.value for r in FrostRisk] == ["ninguno", "bajo", "moderado", "alto"]


@settings(deadline=None)
@given(minima, st.floats(0.0, 10.0), dew_points, winds)
def test_a_colder_night_never_lowers_the_risk(
    t_min: float, colder: float, dew: float, wind: float
) -> None:
    assert frost_risk(t_min - colder, dew, wind).level >= frost_risk(t_min, dew, wind).level


@settings(deadline=None)
@given(minima, dew_points, st.floats(0.0, 20.0), winds, st.floats(0.0, 20.0))
def test_moister_or_windier_dawns_never_raise_the_risk(
    t_min: float, dew: float, moister: float, wind: float, windier: float
) -> None:
    risk = frost_risk(t_min, dew, wind).level
    assert frost_risk(t_min, dew + moister, wind).level <= risk
    assert frost_risk(t_min, dew, wind + windier).level <= risk


def test_thresholds_are_settings() -> None:
    warmer = FrostThresholds(high_at_or_below=1.0, moderate_at_or_below=3.0, low_at_or_below=6.0)
    assert frost_risk(5.0) is FrostRisk.NONE
    assert frost_risk(5.0, thresholds=warmer) is FrostRisk.LOW
    assert AgroSettings().frost == FrostThresholds()


def test_thresholds_out_of_order_are_rejected() -> None:
    with pytest.raises(ValidationError):
        FrostThresholds(high_at_or_below=3.0, moderate_at_or_below=2.0)
