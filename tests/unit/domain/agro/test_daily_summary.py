"""The farm day of an hourly consensus series (issue 14 point 3)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.model.agro import (
    AgroSettings,
    DegreeDayLimits,
    FrostRisk,
    HeatStressCategory,
    growing_degree_days,
    hargreaves_et0,
)
from domain.model.agro.daily_summary import summarise_days

BOGOTA = "America/Bogota"
ZONE = ZoneInfo(BOGOTA)


def day_of(temperatures, start=date(2026, 12, 5), **more):
    """An hourly series from local midnight of `start`, one value per hour."""
    first = datetime.combine(start, datetime.min.time(), ZONE).astimezone(UTC)
    return {
        first + timedelta(hours=i): {"temperatura": t, "humedad_relativa": 60.0, **more}
        for i, t in enumerate(temperatures)
    }


def test_hours_per_band_and_night_relief() -> None:
    # 30 °C / 60 % is ITH 79.84 (peligro) from 12 to 17 h; 20 °C the other 18 hours (normal)
    series = day_of([30.0 if 12 <= h < 18 else 20.0 for h in range(24)])
    (farm_day,) = summarise_days(series, BOGOTA, 4.6)
    assert farm_day.thi_hours == {
        HeatStressCategory.NORMAL: 18,
        HeatStressCategory.ALERT: 0,
        HeatStressCategory.DANGER: 6,
        HeatStressCategory.EMERGENCY: 0,
    }
    assert farm_day.relief_hours == 12  # 18-23 h and 0-5 h


def test_a_hot_night_brings_no_relief() -> None:
    (farm_day,) = summarise_days(day_of([30.0] * 24), BOGOTA, 4.6)
    assert farm_day.relief_hours == 0 and farm_day.thi_hours[HeatStressCategory.DANGER] == 24


def test_et0_and_degree_days_come_from_the_complete_days_extremes() -> None:
    temperatures = [7.0 + 13.0 * (h / 23) for h in range(24)]  # 7 °C at 0 h up to 20 °C
    (farm_day,) = summarise_days(day_of(temperatures, date(2026, 1, 15)), BOGOTA, 4.6)
    assert farm_day.et0 == pytest.approx(3.63, abs=0.005)  # AGRO.md: 4.6° N, 15 January
    assert farm_day.degree_days == 5.0
    assert farm_day.frost is FrostRisk.NONE


def test_a_partial_day_has_no_daily_values_but_counts_its_hours() -> None:
    (farm_day,) = summarise_days(day_of([30.0] * 20), BOGOTA, 4.6)
    assert farm_day.et0 is None and farm_day.degree_days is None and farm_day.frost is None
    assert farm_day.thi_hours[HeatStressCategory.DANGER] == 20


def test_the_running_sum_stops_at_the_first_day_without_degree_days() -> None:
    warm = [15.0] * 12 + [25.0] * 12  # GD (25 + 15)/2 - 10 = 10
    series = day_of(warm) | day_of(warm, date(2026, 12, 6))
    series |= day_of(warm[:10], date(2026, 12, 7)) | day_of(warm, date(2026, 12, 8))
    totals = [d.degree_days_total for d in summarise_days(series, BOGOTA, 4.6)]
    assert totals == [10.0, 20.0, None, None]


def test_frost_is_one_level_up_on_a_dry_calm_dawn() -> None:
    temperatures = [3.0] * 5 + [1.5] + [8.0] * 18  # minimum 1.5 °C at 5 h: moderado
    calm_dry = day_of(temperatures, velocidad_viento=2.0, punto_de_rocio=-2.0)
    windy = day_of(temperatures, velocidad_viento=12.0, punto_de_rocio=-2.0)
    assert summarise_days(calm_dry, BOGOTA, 4.6)[0].frost is FrostRisk.HIGH
    assert summarise_days(windy, BOGOTA, 4.6)[0].frost is FrostRisk.MODERATE


def test_a_freezing_night_is_high_frost_risk_as_issue_14_done_when() -> None:
    (farm_day,) = summarise_days(day_of([-0.5] * 6 + [10.0] * 18), BOGOTA, 4.6)
    assert farm_day.frost is FrostRisk.HIGH


def test_an_empty_series_has_no_days() -> None:
    assert summarise_days({}, BOGOTA, 4.6) == ()


def test_settings_move_the_bands_and_limits() -> None:
    dairy = AgroSettings(degree_days=DegreeDayLimits(5.0, 25.0))
    (farm_day,) = summarise_days(day_of([20.0] * 12 + [5.0] * 12), BOGOTA, 4.6, dairy)
    assert farm_day.degree_days == 7.5


hours = st.lists(st.floats(-10.0, 45.0), min_size=24, max_size=24)


@settings(deadline=None, max_examples=50)
@given(st.lists(hours, min_size=1, max_size=4), st.floats(-60.0, 60.0))
def test_summary_invariants(days, latitude) -> None:
    series = {}
    for k, temps in enumerate(days):
        series |= day_of(temps, date(2026, 6, 1) + timedelta(days=k))
    summary = summarise_days(series, BOGOTA, latitude)
    assert len(summary) == len(days)
    running = 0.0
    for farm_day, temps in zip(summary, days, strict=True):
        assert sum(farm_day.thi_hours.values()) == 24
        assert 0 <= farm_day.relief_hours <= 12
        j = farm_day.day.timetuple().tm_yday
        assert farm_day.et0 == pytest.approx(hargreaves_et0(max(temps), min(temps), latitude, j))
        assert farm_day.degree_days == pytest.approx(growing_degree_days(max(temps), min(temps)))
        assert 0.0 <= farm_day.degree_days <= 20.0
        running += farm_day.degree_days
        assert farm_day.degree_days_total == pytest.approx(running)
