"""Local-day aggregation: bounds, sums, DST days of 23/25 hours, coverage and order."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.model.daily import RULES, aggregate_days

HOUR = timedelta(hours=1)
DST_ZONES = ["America/New_York", "Europe/Madrid", "America/Santiago"]
ZONES = ["America/Bogota", "Asia/Kolkata", *DST_ZONES]
# 2026 clock changes: New York 8 Mar / 1 Nov, Madrid 29 Mar / 25 Oct, Santiago 5 Apr / 6 Sep.
TRANSITIONS = [datetime(2026, m, d, tzinfo=UTC) for m, d in [(3, 8), (3, 29), (4, 5), (9, 6)]]
TRANSITIONS += [datetime(2026, 10, 25, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)]

Series = dict[datetime, dict[str, float | None]]


def hourly(start: datetime, values: list[dict[str, float | None]]) -> Series:
    return {start + i * HOUR: v for i, v in enumerate(values)}


maybe = st.one_of(st.none(), st.floats(0, 50))
hours = st.fixed_dictionaries({"precipitacion": maybe, "temperatura": st.floats(-40, 45)})
series = st.builds(
    hourly,
    st.sampled_from(TRANSITIONS).flatmap(
        lambda t: st.integers(-72, 24).map(lambda h: t + h * HOUR)
    ),
    st.lists(hours, min_size=1, max_size=120),
)
zones = st.sampled_from(ZONES)


def day_of(instant: datetime, days) -> object:
    return next(d for d in days if d.start <= instant < d.end)


@given(series, zones)
def test_daily_min_and_max_bound_every_hour_of_their_day(data: Series, zone: str) -> None:
    days = aggregate_days(data, zone, min_coverage=1e-9)
    for instant, values in data.items():
        day = day_of(instant, days)
        low, high = day.values["temperatura_min"].value, day.values["temperatura_max"].value
        assert low <= values["temperatura"] <= high
        assert low <= day.values["temperatura"].value <= high


@given(series, zones)
def test_daily_precipitation_sums_the_hours_of_complete_days_only(data: Series, zone: str) -> None:
    days = aggregate_days(data, zone)
    reported = [d for d in days if d.values["precipitacion"].value is not None]
    assert all(d.values["precipitacion"].complete for d in reported)
    hourly_total = math.fsum(
        v["precipitacion"]
        for t, v in data.items()
        if v["precipitacion"] is not None and any(d.start <= t < d.end for d in reported)
    )
    daily_total = math.fsum(d.values["precipitacion"].value for d in reported)
    assert daily_total == pytest.approx(hourly_total, rel=1e-12, abs=1e-9)
    for day in days:  # a day with every hour present always gets its sum
        if day.values["precipitacion"].hours == day.expected_hours:
            assert day.values["precipitacion"].value is not None


@given(series, zones)
def test_a_local_day_lasts_from_midnight_to_midnight(data: Series, zone: str) -> None:
    days = aggregate_days(data, zone)
    assert [d.day for d in days] == sorted({d.day for d in days})
    for day in days:
        length = (day.end - day.start) / HOUR
        assert day.expected_hours == length
        assert (
            length == 24 if zone in ("America/Bogota", "Asia/Kolkata") else length in (23, 24, 25)
        )
        for value in day.values.values():
            assert 0 <= value.hours <= day.expected_hours
    assert sum(d.values["temperatura"].hours for d in days) == len(data)


@given(series, zones, st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_days(data: Series, zone: str, rnd) -> None:
    items = list(data.items())
    rnd.shuffle(items)
    assert aggregate_days(dict(items), zone) == aggregate_days(data, zone)


# A year of hours per example: ~50 ms alone, over hypothesis's 200 ms deadline on a busy CI host.
@settings(deadline=None)
@given(st.sampled_from(DST_ZONES), st.integers(2026, 2030))
def test_dst_zones_have_one_23_and_one_25_hour_day_a_year(zone: str, year: int) -> None:
    start = datetime(year - 1, 12, 31, tzinfo=UTC)  # the local year starts on 31 Dec in UTC
    data = {start + i * HOUR: {"precipitacion": 1.0} for i in range(368 * 24)}
    days = [d for d in aggregate_days(data, zone) if d.day.year == year]
    lengths = sorted(d.expected_hours for d in days)
    assert lengths[0] == 23 and lengths[-1] == 25 and lengths.count(24) == len(days) - 2
    assert all(d.values["precipitacion"].value == d.expected_hours for d in days)


def test_bogota_days_start_at_five_utc_and_always_have_24_hours() -> None:
    data = hourly(datetime(2026, 3, 8, 4, tzinfo=UTC), [{"temperatura": t} for t in range(26)])
    before, day, after = aggregate_days(data, "America/Bogota")
    assert (before.day, before.values["temperatura_max"].hours) == (date(2026, 3, 7), 1)
    assert before.values["temperatura_max"].value is None  # 1 of 24 hours: no daily max
    assert day.start == datetime(2026, 3, 8, 5, tzinfo=UTC) and day.expected_hours == 24
    assert day.values["temperatura_min"].value == 1 and day.values["temperatura_max"].value == 24
    assert day.values["temperatura"].value == 12.5 and day.values["temperatura"].complete
    assert after.day == date(2026, 3, 9) and after.values["temperatura"].hours == 1


@pytest.mark.parametrize(
    ("day", "start", "length"),
    [
        (date(2026, 3, 29), datetime(2026, 3, 28, 23, tzinfo=UTC), 23),
        (date(2026, 10, 25), datetime(2026, 10, 24, 22, tzinfo=UTC), 25),
    ],
)
def test_madrid_dst_days_in_2026(day: date, start: datetime, length: int) -> None:
    rain = hourly(start, [{"precipitacion": 0.5}] * length)
    (only,) = aggregate_days(rain, "Europe/Madrid")
    assert (only.day, only.start, only.expected_hours) == (day, start, length)
    assert only.values["precipitacion"].value == 0.5 * length
    shorter = dict(list(rain.items())[1:])  # one hour missing: the sum would be a bound
    (partial,) = aggregate_days(shorter, "Europe/Madrid")
    assert partial.values["precipitacion"].value is None
    assert partial.values["precipitacion"].hours == length - 1


def test_a_partial_day_needs_a_chosen_coverage_and_says_how_many_hours() -> None:
    three = hourly(datetime(2026, 6, 1, 17, tzinfo=UTC), [{"temperatura": t} for t in (20, 25, 22)])
    (strict,) = aggregate_days(three, "America/Bogota")
    assert strict.values["temperatura_max"].value is None
    (loose,) = aggregate_days(three, "America/Bogota", min_coverage=0.1)
    assert loose.values["temperatura_max"].value == 25
    assert (loose.values["temperatura_max"].hours, loose.expected_hours) == (3, 24)
    assert not loose.values["temperatura_max"].complete
    (quarter,) = aggregate_days(three, "America/Bogota", min_coverage=0.25)
    assert quarter.values["temperatura_max"].value is None  # 3 < 6 hours


def test_rules_for_wind_gusts_rain_chance_codes_and_uv() -> None:
    values = [
        {"direccion_viento": d, "rafaga_viento": g, "probabilidad_precipitacion": p}
        | {"descripcion_clima": c, "indice_uv": u}
        for d, g, p, c, u in [(350, 30, 10, 0, 0), (10, 55, 80, 95, 7), (0, 40, 20, 61, 3)]
    ] + [{"direccion_viento": 0.0, "descripcion_clima": 1234.0}] * 21  # unknown WMO code
    data = hourly(datetime(2026, 6, 1, 5, tzinfo=UTC), values)
    (day,) = aggregate_days(data, "America/Bogota")
    assert day.values["direccion_viento"].value == 0.0  # 350 and 10 average across north
    assert day.values["direccion_viento"].complete
    assert day.values["rafaga_viento"].value is None  # 3 of 24 hours: no daily gust
    assert day.values["rafaga_viento"].hours == 3
    (loose,) = aggregate_days(data, "America/Bogota", min_coverage=0.1)
    assert loose.values["rafaga_viento"].value == 55
    assert loose.values["probabilidad_precipitacion"].value == 80
    assert loose.values["descripcion_clima"].value == 95  # thunderstorm beats rain
    assert loose.values["descripcion_clima"].hours == 3  # unknown codes are missing
    assert loose.values["indice_uv"].value == 7


def test_variables_limit_the_outputs_and_unknown_ones_are_refused() -> None:
    data = hourly(datetime(2026, 6, 1, 5, tzinfo=UTC), [{"temperatura": 20.0}] * 24)
    (day,) = aggregate_days(data, "America/Bogota", ["temperatura_max"])
    assert set(day.values) == {"temperatura_max"}
    (every,) = aggregate_days(data, "America/Bogota")
    assert set(every.values) == {"temperatura", "temperatura_min", "temperatura_max"}
    assert set(RULES) >= {"probabilidad_precipitacion", "rafaga_viento", "precipitacion"}
    with pytest.raises(ValidationError):
        aggregate_days(data, "America/Bogota", ["granizo"])


@pytest.mark.parametrize(
    "instants",
    [
        [datetime(2026, 6, 1, 5)],  # naive
        [datetime(2026, 6, 1, 5, tzinfo=UTC), datetime(2026, 6, 1, 5, 15, tzinfo=UTC)],
    ],
)
def test_naive_or_sub_hourly_series_are_refused(instants: list[datetime]) -> None:
    with pytest.raises(ValidationError):
        aggregate_days({t: {"precipitacion": 1.0} for t in instants}, "UTC")


def test_coverage_must_be_a_fraction_and_values_numbers() -> None:
    data = {datetime(2026, 6, 1, tzinfo=UTC): {"temperatura": 1.0}}
    with pytest.raises(ValidationError):
        aggregate_days(data, "UTC", min_coverage=0)
    with pytest.raises(ValidationError):
        aggregate_days({datetime(2026, 6, 1, tzinfo=UTC): {"temperatura": "20"}}, "UTC")
