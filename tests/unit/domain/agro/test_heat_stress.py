"""Cattle heat stress (NRC 1971 ITH, LWSI bands, Mader et al. 2006): invariants and settings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.model.agro import (
    HeatStressCategory,
    HeatStressThresholds,
    adjusted_thi,
    is_night_relief,
    thi,
    thi_category,
)

temperatures = st.floats(-30.0, 40.0)  # plus up to 20 °C warmer stays within the valid range
humidities = st.floats(0.0, 100.0)
# ∂ITH/∂HR = 0.0055 (1.8T - 26): positive only above 26/1.8 = 14.44 °C (AGRO.md's "14.4").
WARM = 26.0 / 1.8


@settings(deadline=None)
@given(temperatures, humidities, st.floats(0.01, 20.0))
def test_thi_rises_with_temperature_at_fixed_humidity(t: float, rh: float, warmer: float) -> None:
    assert thi(t, rh) < thi(t + warmer, rh)


@settings(deadline=None)
@given(st.floats(14.45, 50.0), st.floats(0.0, 99.9), st.floats(0.1, 100.0))
def test_thi_rises_with_humidity_above_14_4_degrees(t: float, rh: float, more: float) -> None:
    assert t > WARM
    assert thi(t, rh) < thi(t, min(100.0, rh + more))


@st.composite
def thresholds(draw: st.DrawFn) -> HeatStressThresholds:
    alert = draw(st.floats(60.0, 80.0))
    danger = alert + draw(st.floats(0.5, 10.0))
    return HeatStressThresholds(alert, danger, danger + draw(st.floats(0.5, 10.0)))


@settings(deadline=None)
@given(st.floats(40.0, 110.0), st.floats(0.0, 30.0), thresholds())
def test_bands_never_get_milder_as_thi_rises(
    value: float, more: float, bands: HeatStressThresholds
) -> None:
    assert thi_category(value, bands).level <= thi_category(value + more, bands).level


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (74.99, HeatStressCategory.NORMAL),
        (75.0, HeatStressCategory.ALERT),
        (78.99, HeatStressCategory.ALERT),
        (79.0, HeatStressCategory.DANGER),
        (83.99, HeatStressCategory.DANGER),
        (84.0, HeatStressCategory.EMERGENCY),
    ],
)
def test_lwsi_band_edges_belong_to_the_upper_band(value: float, band: HeatStressCategory) -> None:
    assert thi_category(value) is band


def test_wire_codes_are_spanish() -> None:
    assert [c.value for c in HeatStressCategory] == ["normal", "alerta", "peligro", "emergencia"]


def test_a_dairy_herd_with_earlier_thresholds_is_alerted_sooner() -> None:
    dairy = HeatStressThresholds(alert=68.0, danger=72.0, emergency=80.0)
    value = thi(22.0, 90.0)  # 70.85: normal for the LWSI defaults
    assert thi_category(value) is HeatStressCategory.NORMAL
    assert thi_category(value, dairy) is HeatStressCategory.ALERT


@pytest.mark.parametrize(
    ("alert", "danger", "emergency"), [(79, 75, 84), (75, 75, 84), (75, 84, 84)]
)
def test_thresholds_out_of_order_are_rejected(
    alert: float, danger: float, emergency: float
) -> None:
    with pytest.raises(ValidationError):
        HeatStressThresholds(alert, danger, emergency)


def test_night_relief_is_below_75() -> None:
    assert is_night_relief(74.9)
    assert not is_night_relief(75.0)


def test_missing_inputs_give_no_thi_and_no_band() -> None:
    assert thi(None, 60.0) is None
    assert thi(30.0, None) is None
    assert thi_category(None) is None


def test_adjusted_thi_follows_mader_2006() -> None:
    # 30 °C, 60 %: ITH 79.84; wind 3.6 km/h = 1 m/s; 800 W/m² of sun.
    assert adjusted_thi(30.0, 60.0, 3.6, 800.0) == pytest.approx(79.84 + 4.51 - 1.992 + 5.44)


@pytest.mark.parametrize(
    ("wind", "radiation"),
    [(None, 800.0), (3.6, None), (None, None)],
    ids=["no wind", "no sun", "none"],
)
def test_adjusted_thi_needs_both_wind_and_radiation(
    wind: float | None, radiation: float | None
) -> None:
    assert adjusted_thi(30.0, 60.0, wind, radiation) is None


@settings(deadline=None)
@given(st.floats(0.0, 60.0), st.floats(0.0, 1200.0), st.floats(0.1, 30.0))
def test_wind_relieves_and_sun_loads(wind: float, radiation: float, more: float) -> None:
    base = adjusted_thi(30.0, 60.0, wind, radiation)
    assert adjusted_thi(30.0, 60.0, wind + more, radiation) < base
    assert adjusted_thi(30.0, 60.0, wind, radiation + more * 10) > base


@pytest.mark.parametrize(("wind", "radiation"), [(-1.0, 500.0), (5.0, -10.0)])
def test_negative_wind_or_radiation_is_rejected(wind: float, radiation: float) -> None:
    with pytest.raises(ValidationError):
        adjusted_thi(30.0, 60.0, wind, radiation)
