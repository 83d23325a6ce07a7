"""The hourly grid of a series: its phase past the UTC hour and how many steps fit in a span."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from domain.errors import ValidationError

HOUR = timedelta(hours=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def hourly_phase(instants: Iterable[datetime]) -> timedelta:
    """How far past the UTC hour every instant lies (0 for an empty series).

    Hourly series sit on one grid: on the hour, or on the half hour in zones such as
    Asia/Kolkata. Naive instants, or instants on several grids (sub-hourly data, whose sums
    would count an hour twice), are refused.
    """
    phases = set()
    for instant in instants:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValidationError("instante sin zona horaria", details={"instante": str(instant)})
        phases.add((instant - _EPOCH) % HOUR)
    if len(phases) > 1:
        raise ValidationError(
            "la serie no es horaria: instantes fuera de una misma rejilla de una hora",
            details={"desfases": ", ".join(sorted(str(p) for p in phases))},
        )
    return phases.pop() if phases else timedelta(0)


def _ceil_hours(span: timedelta) -> int:
    return -(-span // HOUR)


def slots_between(start: datetime, end: datetime, phase: timedelta) -> int:
    """How many instants of the hourly grid with this phase lie in [start, end)."""
    return max(0, _ceil_hours(end - _EPOCH - phase) - _ceil_hours(start - _EPOCH - phase))
