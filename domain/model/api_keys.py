"""Provider API keys held by users: encrypted secrets with a daily quota counted in local days."""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from attrs import define, frozen

from domain.model.consensus import Reason


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


def masked(plain: str) -> str:
    """What the API shows of a key: its last 4 characters, and only when it is longer."""
    return "****" + plain[-4:] if len(plain) > 4 else "****"


class ProbeOutcome(enum.StrEnum):
    """What one minimal provider call said about a key."""

    VALID = "valida"
    INVALID = "invalida"
    PLAN_WITHOUT_ACCESS = "sin_acceso_al_plan"
    UNVERIFIABLE = "no_verificable"


@frozen
class ProbeResult:
    """The probe's verdict and the provider's stable code (None when the key worked)."""

    outcome: ProbeOutcome
    code: str | None = None


def probe_outcome(reason: Reason, code: str) -> ProbeOutcome:
    """A refused key is invalida (or outside its plan); any other failure proves nothing."""
    if reason is not Reason.INVALID_KEY:
        return ProbeOutcome.UNVERIFIABLE
    if code == "sin_acceso_al_plan":
        return ProbeOutcome.PLAN_WITHOUT_ACCESS
    return ProbeOutcome.INVALID
