"""Quota days are local days in the quota time zone; they reset at local midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.model.api_keys import quota_day, seconds_until_next_quota_day

BOGOTA = "America/Bogota"  # UTC-5, no daylight saving


def test_an_evening_in_bogota_is_still_that_local_day():
    instant = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)  # 22:30 on 1 March in Bogotá
    assert quota_day(instant, BOGOTA) == date(2026, 3, 1)
    assert seconds_until_next_quota_day(instant, BOGOTA) == 90 * 60 + 1


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)))
def test_waiting_the_answer_lands_on_the_next_quota_day(naive):
    instant = naive.replace(tzinfo=UTC)
    wait = seconds_until_next_quota_day(instant, BOGOTA)
    assert 1 <= wait <= 86_401
    assert quota_day(instant + timedelta(seconds=wait), BOGOTA) == quota_day(
        instant, BOGOTA
    ) + timedelta(days=1)
