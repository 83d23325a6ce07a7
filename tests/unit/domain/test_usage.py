"""The fixed one-minute rate window (issue 12.1)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.model.usage import minute_window


def test_a_window_is_the_utc_minute_and_retry_waits_for_the_next():
    start = minute_window(datetime(2026, 5, 4, 10, 30, 0, tzinfo=UTC))
    late = minute_window(datetime(2026, 5, 4, 10, 30, 59, 500000, tzinfo=UTC))
    assert start.number == late.number
    assert (start.retry_after, late.retry_after) == (60, 1)
    assert minute_window(datetime(2026, 5, 4, 10, 31, tzinfo=UTC)).number == start.number + 1
