"""Alert periods of a consensus series (issue 14 point 4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.model.agro import AgroSettings, FrostRisk, HeatStressCategory
from domain.model.agro.alerts import AlertType, series_alerts
from domain.model.agro.daily_summary import FarmDay
from domain.model.consensus import ConsensusValue
from domain.model.queries import SeriesPoint

BOGOTA = "America/Bogota"
ZONE = ZoneInfo(BOGOTA)
START = datetime(2026, 12, 5, 5, tzinfo=UTC)  # 00:00 in Bogotá


def value(variable: str, number: float | None) -> ConsensusValue:
    return ConsensusValue(variable, number, "", number, number, 0.0, 1, ("a",), ())


def hourly(values, variable="ith", start=START):
    return [
        SeriesPoint(start + timedelta(hours=i), {variable: value(variable, v)})
        for i, v in enumerate(values)
    ]


def farm_day(day: date, frost: FrostRisk | None) -> FarmDay:
    return FarmDay(day, dict.fromkeys(HeatStressCategory, 0), 0, None, None, None, frost)


def test_a_hot_afternoon_is_one_heat_stress_period_with_its_peak() -> None:
    points = hourly([70.0] * 12 + [79.84, 81.0, 85.0, 80.0] + [74.0] * 8)
    (alert,) = series_alerts(points, daily=False, timezone=BOGOTA)
    assert alert.kind is AlertType.HEAT_STRESS and alert.variable == "ith"
    assert alert.level == "emergencia" and alert.peak == 85.0
    assert alert.start == START + timedelta(hours=12)
    assert alert.end == START + timedelta(hours=16)  # the end of the last step in the period
    assert "ITH máximo 85.0" in alert.message


def test_alerta_alone_raises_nothing_by_default_and_a_dairy_setting_lowers_the_bar() -> None:
    points = hourly([76.0, 77.0])
    assert series_alerts(points, daily=False, timezone=BOGOTA) == ()
    dairy = AgroSettings(alert_heat_level=HeatStressCategory.ALERT)
    (alert,) = series_alerts(points, daily=False, timezone=BOGOTA, settings=dairy)
    assert alert.level == "alerta"


def test_a_gap_or_a_cooler_hour_splits_periods() -> None:
    points = hourly([80.0, 80.0, 70.0, 80.0, None, 80.0])
    alerts = series_alerts(points, daily=False, timezone=BOGOTA)
    assert [(a.start - START, a.end - START) for a in alerts] == [
        (timedelta(hours=0), timedelta(hours=2)),
        (timedelta(hours=3), timedelta(hours=4)),
        (timedelta(hours=5), timedelta(hours=6)),
    ]


def test_a_missing_step_is_never_bridged() -> None:
    points = hourly([80.0, 80.0])
    points.append(SeriesPoint(START + timedelta(hours=3), {"ith": value("ith", 80.0)}))
    assert len(series_alerts(points, daily=False, timezone=BOGOTA)) == 2


def test_frost_in_a_daily_series_comes_from_its_riesgo_helada() -> None:
    midnight = datetime(2026, 12, 5, tzinfo=ZONE)
    points = [
        SeriesPoint(midnight + timedelta(days=k), {"riesgo_helada": value("riesgo_helada", v)})
        for k, v in enumerate([0.0, 3.0, 2.0, 1.0])
    ]
    (alert,) = series_alerts(points, daily=True, timezone=BOGOTA)
    assert alert.kind is AlertType.FROST and alert.level == "alto" and alert.peak == 3.0
    assert alert.start == midnight + timedelta(days=1)
    assert alert.end == midnight + timedelta(days=3)
    assert "no es un aviso oficial" in alert.message


def test_frost_in_an_hourly_series_comes_from_its_farm_days() -> None:
    days = [farm_day(date(2026, 12, 5), FrostRisk.HIGH), farm_day(date(2026, 12, 6), None)]
    (alert,) = series_alerts(hourly([60.0] * 48), daily=False, timezone=BOGOTA, days=days)
    assert alert.kind is AlertType.FROST and alert.level == "alto"
    assert alert.start == datetime(2026, 12, 5, tzinfo=ZONE)
    assert alert.end == datetime(2026, 12, 6, tzinfo=ZONE)


def test_alerts_come_in_time_order() -> None:
    days = [farm_day(date(2026, 12, 5), FrostRisk.MODERATE)]
    points = hourly([60.0] * 14 + [82.0])
    alerts = series_alerts(points, daily=False, timezone=BOGOTA, days=days)
    assert [a.kind for a in alerts] == [AlertType.FROST, AlertType.HEAT_STRESS]


ith_values = st.lists(st.one_of(st.none(), st.floats(50.0, 95.0)), max_size=48)


@settings(deadline=None)
@given(ith_values)
def test_every_step_at_or_past_peligro_is_in_exactly_one_period_and_no_other(values) -> None:
    points = hourly(values)
    alerts = series_alerts(points, daily=False, timezone=BOGOTA)
    for point, v in zip(points, values, strict=True):
        inside = [a for a in alerts if a.start <= point.instant < a.end]
        assert len(inside) == (1 if v is not None and v >= 79.0 else 0)
    for alert in alerts:
        covered = [v for p, v in zip(points, values, strict=True)
                   if alert.start <= p.instant < alert.end]  # fmt: skip
        assert alert.peak == max(covered)
        assert alert.level == ("emergencia" if alert.peak >= 84.0 else "peligro")
    assert [a.start for a in alerts] == sorted(a.start for a in alerts)


@settings(deadline=None)
@given(ith_values, st.floats(0.0, 10.0))
def test_hotter_series_never_have_fewer_alert_hours(values, warmer) -> None:
    def hours(vs):
        alerts = series_alerts(hourly(vs), daily=False, timezone=BOGOTA)
        return sum((a.end - a.start) / timedelta(hours=1) for a in alerts)

    hotter = [None if v is None else v + warmer for v in values]
    assert hours(hotter) >= hours(values)
