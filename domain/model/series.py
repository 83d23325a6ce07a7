"""Historical series: providers' instants aligned on one timestep grid, one consensus each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.model.agro.heat_stress import DEFAULT_THRESHOLDS, HeatStressThresholds
from domain.model.consensus import Reason
from domain.model.queries import ProviderOutcome, SeriesPoint, combine_readings
from domain.model.readings import Granularity, Reading, TimeRange


def timestep_key(instant: datetime, time_range: TimeRange) -> datetime:
    """Align providers' instants: the hour (UTC) for hourly series, local midnight for daily."""
    zone = ZoneInfo(time_range.timezone)
    if time_range.granularity is Granularity.HOURLY:
        return instant.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    local_day = instant.astimezone(zone).date()
    return datetime.combine(local_day, time(0), zone).astimezone(UTC)


def failures(outcomes: Mapping[str, ProviderOutcome]) -> dict[str, Reason | str]:
    """Why each source gave nothing: its error, or sin_dato when it answered with no reading."""
    failed: dict[str, Reason | str] = {n: o.reason for n, o in outcomes.items() if not o.ok}
    failed.update({n: Reason.NO_DATA for n, o in outcomes.items() if o.ok and not o.readings})
    return failed


def _grid(
    answered: Mapping[str, ProviderOutcome], time_range: TimeRange
) -> dict[datetime, dict[str, Reading]]:
    zone = ZoneInfo(time_range.timezone)
    first = datetime.combine(time_range.start, time(0), zone)
    after = datetime.combine(time_range.end + timedelta(days=1), time(0), zone)
    grid: dict[datetime, dict[str, Reading]] = {}
    for name, outcome in answered.items():
        for reading in outcome.readings:
            if first <= reading.instant < after:
                grid.setdefault(timestep_key(reading.instant, time_range), {})[name] = reading
    return grid


def build_series(
    answered: Mapping[str, ProviderOutcome],
    outcomes: Mapping[str, ProviderOutcome],
    time_range: TimeRange,
    variables: Sequence[str],
    elevation: float | None = None,
    heat: HeatStressThresholds = DEFAULT_THRESHOLDS,
) -> list[SeriesPoint]:
    """One consensus per timestep inside the range, in time order."""
    grid = _grid(answered, time_range)
    failed = failures(outcomes)
    kinds = {n: o.kind for n, o in outcomes.items() if o.kind}
    points = []
    for key in sorted(grid):
        row = {name: grid[key].get(name, Reading(key)) for name in answered}
        consensus, origins = combine_readings(row, failed, variables, kinds, elevation, heat)
        values = {name: dict(reading.values) for name, reading in row.items()}
        points.append(SeriesPoint(key, consensus, values, origins))
    return points
