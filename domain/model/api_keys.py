"""Provider API keys held by users: encrypted secrets with a daily quota counted in local days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from attrs import define


@define
class ApiKey:
    """One row of api_keys; the secrets are ciphertext here, never plaintext."""

    id: int | None
    user_id: int
    provider: str
    key_ciphertext: str
    secret_ciphertext: str | None
    active: bool
    daily_limit: int
    used_today: int
    usage_day: date | None
    created_at: datetime
    description: str | None = None
    last_used: datetime | None = None


def quota_day(instant: datetime, timezone: str) -> date:
    """The day a call counts against: the local date in the quota time zone (no cron needed)."""
    return instant.astimezone(ZoneInfo(timezone)).date()


def seconds_until_next_quota_day(instant: datetime, timezone: str) -> int:
    """How long until quotas start again: the next local midnight in the quota time zone."""
    zone = ZoneInfo(timezone)
    local = instant.astimezone(zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
    return max(1, int((midnight - local).total_seconds()) + 1)
