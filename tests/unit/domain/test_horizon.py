"""Forecast horizons: who covers each step, n_fuentes falling with lead time, dropped steps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.model.consensus import Reason
from domain.model.horizon import (
    Horizon,
    HorizonUnit,
    plan_daily,
    plan_hourly,
)

HOUR = timedelta(hours=1)
ISSUED = datetime(2026, 12, 5, 12, 46, tzinfo=UTC)
# The documented horizons (../shared/PROVIDERS.md, section 9), hourly series.
HOURLY = {
    "open_meteo": Horizon(16, "dias"),
    "openweathermap": Horizon(48, "horas"),
    "meteoblue": Horizon(7, "dias"),
    "meteosource": Horizon(24, "horas"),  # free tier
}
DAILY = {
    "open_meteo": Horizon(16, "dias"),
    "openweathermap": Horizon(8, "dias"),
    "meteoblue": Horizon(7, "dias"),
    "meteosource": Horizon(7, "dias"),
}

zones = st.sampled_from(["America/Bogota", "America/New_York", "Europe/Madrid", "Asia/Kolkata"])
horizons = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e"]),
    st.builds(Horizon, st.integers(0, 400), st.sampled_from(list(HorizonUnit))),
    max_size=5,
)
issued = st.datetimes(datetime(2026, 1, 1), datetime(2027, 1, 1), timezones=st.just(UTC)).map(
    lambda t: t.replace(microsecond=0)
)
hour_steps = st.lists(st.integers(-30, 24 * 20), max_size=60)


def hourly_steps(at: datetime, offsets: list[int]) -> list[datetime]:
    first = at.replace(minute=0, second=0)
    return [first + k * HOUR for k in offsets]


@given(horizons, issued, hour_steps, zones)
def test_sources_only_fall_with_lead_time(hz, at, offsets, zone) -> None:
    plan = plan_hourly(hourly_steps(at, offsets), hz, at, zone)
    counts = [len(s.covered_by) for s in plan.steps]
    assert counts == sorted(counts, reverse=True)
    for earlier, later in zip(plan.steps, plan.steps[1:], strict=False):
        assert earlier.step < later.step
        assert set(later.covered_by) <= set(earlier.covered_by)
    for step in plan.steps:
        assert step.covered_by and set(step.covered_by) | set(step.beyond) == set(hz)
        assert not set(step.covered_by) & set(step.beyond)
        assert step.reasons == {name: Reason.OUT_OF_HORIZON for name in step.beyond}


@given(horizons, issued, hour_steps, zones)
def test_only_steps_past_every_horizon_are_dropped(hz, at, offsets, zone) -> None:
    steps = hourly_steps(at, offsets)
    plan = plan_hourly(steps, hz, at, zone)
    assert {s.step for s in plan.steps} | set(plan.dropped) == set(steps)
    assert plan.effective_horizon == (plan.steps[-1].step if plan.steps else None)
    for step in plan.dropped:
        assert all(step + HOUR > limit for limit in plan.limits.values())
        assert plan.effective_horizon is None or step > plan.effective_horizon


@given(horizons, issued, hour_steps, zones, st.randoms(use_true_random=False))
def test_the_order_of_the_steps_does_not_matter(hz, at, offsets, zone, rnd) -> None:
    steps = hourly_steps(at, offsets)
    shuffled = list(steps)
    rnd.shuffle(shuffled)
    assert plan_hourly(shuffled, hz, at, zone) == plan_hourly(steps, hz, at, zone)


@given(st.integers(0, 400), issued, zones)
def test_an_hourly_horizon_covers_exactly_that_many_steps_ahead(hours, at, zone) -> None:
    steps = hourly_steps(at, list(range(500)))
    plan = plan_hourly(steps, {"p": Horizon(hours, "horas")}, at, zone)
    assert len(plan.steps) == hours and len(plan.dropped) == 500 - hours


def test_four_providers_seven_days_hourly_in_bogota() -> None:
    steps = hourly_steps(ISSUED, list(range(17 * 24)))  # from 12:00 UTC, 07:00 in Bogota
    plan = plan_hourly(steps, HOURLY, ISSUED, "America/Bogota")
    by_step = {s.step: s for s in plan.steps}
    assert len(by_step[ISSUED.replace(minute=0)].covered_by) == 4
    assert by_step[datetime(2026, 12, 6, 11, tzinfo=UTC)].beyond == ()
    assert by_step[datetime(2026, 12, 6, 12, tzinfo=UTC)].beyond == ("meteosource",)
    assert by_step[datetime(2026, 12, 7, 12, tzinfo=UTC)].reasons == {
        "meteosource": Reason.OUT_OF_HORIZON,
        "openweathermap": Reason.OUT_OF_HORIZON,
    }
    # Meteoblue's 7 local days end at midnight in Bogota on 12 Dec, 05:00 UTC.
    assert "meteoblue" in by_step[datetime(2026, 12, 12, 4, tzinfo=UTC)].covered_by
    assert by_step[datetime(2026, 12, 12, 5, tzinfo=UTC)].covered_by == ("open_meteo",)
    assert plan.effective_horizon == datetime(2026, 12, 21, 4, tzinfo=UTC)  # 23:00 on the 20th
    assert plan.dropped[0] == datetime(2026, 12, 21, 5, tzinfo=UTC)
    assert plan.limits["openweathermap"] == datetime(2026, 12, 7, 12, tzinfo=UTC)
    counts = [len(s.covered_by) for s in plan.steps]
    assert (counts.count(4), counts.count(3), counts.count(2)) == (24, 24, 113)


def test_daily_steps_and_the_effective_horizon() -> None:
    days = [date(2026, 12, 5) + timedelta(days=k) for k in range(17)]
    plan = plan_daily(days, DAILY, ISSUED, "America/Bogota")
    counts = [len(s.covered_by) for s in plan.steps]
    assert counts == [4] * 7 + [2] + [1] * 8
    assert plan.steps[7].beyond == ("meteoblue", "meteosource")
    assert plan.effective_horizon == date(2026, 12, 20)
    assert plan.dropped == (date(2026, 12, 21),)


def test_a_day_horizon_ends_at_local_midnight_across_the_madrid_dst_change() -> None:
    at = datetime(2026, 10, 23, 10, tzinfo=UTC)
    plan = plan_hourly(
        hourly_steps(at, list(range(96))), {"p": Horizon(3, "dias")}, at, "Europe/Madrid"
    )
    # 23, 24 and 25 Oct in Madrid; the 25th has 25 hours and ends at 23:00 UTC.
    assert plan.limits["p"] == datetime(2026, 10, 25, 23, tzinfo=UTC)
    assert plan.effective_horizon == datetime(2026, 10, 25, 22, tzinfo=UTC)
    (day_plan,) = [plan_daily([date(2026, 10, 25)], {"p": Horizon(3, "dias")}, at, "Europe/Madrid")]
    assert day_plan.effective_horizon == date(2026, 10, 25)


def test_no_provider_no_steps() -> None:
    plan = plan_hourly(hourly_steps(ISSUED, [0, 1]), {}, ISSUED, "UTC")
    assert plan.steps == () and plan.effective_horizon is None and len(plan.dropped) == 2


@pytest.mark.parametrize(
    ("amount", "unit"), [(-1, "horas"), (True, "dias"), (2.5, "dias"), (3, "semanas")]
)
def test_a_horizon_is_a_whole_count_of_hours_or_days(amount: object, unit: str) -> None:
    with pytest.raises(ValidationError):
        Horizon(amount, unit)  # type: ignore[arg-type]


def test_naive_instants_and_instants_as_days_are_refused() -> None:
    with pytest.raises(ValidationError):
        plan_hourly([datetime(2026, 12, 5, 12)], HOURLY, ISSUED, "UTC")
    with pytest.raises(ValidationError):
        plan_hourly([ISSUED], HOURLY, ISSUED.replace(tzinfo=None), "UTC")
    with pytest.raises(ValidationError):
        plan_daily([ISSUED], DAILY, ISSUED, "UTC")
