"""Forecast horizons: which steps each provider covers, and how far the forecast reaches.

A horizon counts either hours from the hour of issue (OpenWeatherMap's 48 hourly steps,
Meteosource's 24 on the free tier) or local days from today, today included (Open-Meteo's
`forecast_days` ≤ 16, Meteoblue's 7, OpenWeatherMap's 8 daily steps). Adapters declare theirs
(../shared/PROVIDERS.md, section 9); the domain names no provider.

Rule: a provider covers a step when the whole step, [t, t + 1 h) or a local day, ends at or
before its limit, so the sources covering a step only shrink as lead time grows. The horizon
bounds only how far ahead a provider reaches: steps before the issue time count as covered.
A step past a provider's limit is `fuera_de_horizonte` for it; a step nobody covers is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from attrs import field, frozen

from domain.errors import ValidationError
from domain.model.consensus import Reason
from domain.model.timegrid import HOUR, hourly_phase


class HorizonUnit(StrEnum):
    """What a horizon counts (wire names)."""

    HOURS = "horas"  # from the UTC hour of issue
    DAYS = "dias"  # local days from today, today included


def _count(instance: object, attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError("el horizonte debe ser un entero >= 0", details={"valor": value})


def _unit(value: object) -> HorizonUnit:
    try:
        return HorizonUnit(value)
    except ValueError:
        raise ValidationError(
            "unidad de horizonte desconocida", details={"unidad": repr(value)}
        ) from None


@frozen
class Horizon:
    """How far ahead one provider forecasts one granularity: `amount` hours or days."""

    amount: int = field(validator=_count)
    unit: HorizonUnit = field(converter=_unit)

    def limit(self, issued: datetime, zone: ZoneInfo) -> datetime:
        """The first UTC instant past the horizon for a forecast issued at `issued`."""
        if self.unit is HorizonUnit.HOURS:
            hour = issued.astimezone(UTC) - hourly_phase([issued])
            return hour + self.amount * HOUR
        last = issued.astimezone(zone).date() + timedelta(days=self.amount)
        return datetime.combine(last, time(0), zone).astimezone(UTC)


Step = datetime | date  # an hourly step (aware instant) or a local day


@frozen
class StepCoverage:
    """Who covers one step; `covered_by` bounds its n_fuentes, `beyond` are out of horizon."""

    step: Step
    covered_by: tuple[str, ...]
    beyond: tuple[str, ...]

    @property
    def reasons(self) -> Mapping[str, Reason]:
        """The providers past their horizon, each with the reason `fuera_de_horizonte`."""
        return {name: Reason.OUT_OF_HORIZON for name in self.beyond}


@frozen
class HorizonPlan:
    """Covered steps in time order, the dropped ones, the effective horizon, each limit (UTC)."""

    steps: tuple[StepCoverage, ...]
    dropped: tuple[Step, ...]
    effective_horizon: Step | None  # the last requested step some provider covers
    limits: Mapping[str, datetime]


def _plan(
    spans: Mapping[Step, datetime],
    horizons: Mapping[str, Horizon],
    issued: datetime,
    timezone: str,
) -> HorizonPlan:
    """`spans` maps each step to the UTC instant it ends at."""
    zone = ZoneInfo(timezone)
    hourly_phase([issued])  # refuses a naive issue time
    limits = {name: h.limit(issued, zone) for name, h in sorted(horizons.items())}
    covered, dropped = [], []
    for step, end in sorted(spans.items(), key=lambda item: item[1]):
        inside = tuple(name for name, limit in limits.items() if end <= limit)
        if not inside:
            dropped.append(step)
            continue
        outside = tuple(name for name in limits if name not in inside)
        covered.append(StepCoverage(step, inside, outside))
    last = covered[-1].step if covered else None
    return HorizonPlan(tuple(covered), tuple(dropped), last, MappingProxyType(limits))


def plan_hourly(
    steps: Iterable[datetime], horizons: Mapping[str, Horizon], issued: datetime, timezone: str
) -> HorizonPlan:
    """Coverage of hourly steps (aware instants, returned in UTC) by hourly horizons."""
    instants = list(steps)
    hourly_phase(instants)  # refuses naive instants and non-hourly grids
    spans: dict[Step, datetime] = {t.astimezone(UTC): t.astimezone(UTC) + HOUR for t in instants}
    return _plan(spans, horizons, issued, timezone)


def plan_daily(
    days: Iterable[date], horizons: Mapping[str, Horizon], issued: datetime, timezone: str
) -> HorizonPlan:
    """Coverage of local days by each provider's daily horizon."""
    zone = ZoneInfo(timezone)
    spans: dict[Step, datetime] = {}
    for day in days:
        if isinstance(day, datetime):
            raise ValidationError("un paso diario es una fecha, no un instante")
        end = datetime.combine(day + timedelta(days=1), time(0), zone)
        spans[day] = end.astimezone(UTC)
    return _plan(spans, horizons, issued, timezone)
