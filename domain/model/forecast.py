"""Forecasts: what may be asked, the steps of a forecast and one consensus per covered step.

Steps: hourly, every UTC hour from the hour of issue to the end of the last local day asked
(past hours of today are history, not forecast); daily, each local day from today, today
included, keyed at local midnight as history's daily series. A provider covers a step within
its declared horizon (domain.model.horizon); past it, the provider is listed in the step's
`descartadas` as `fuera_de_horizonte`, so `n_fuentes` falls with lead time. A step that no
provider with readings covers is not returned.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from attrs import frozen

from domain.errors import ValidationError
from domain.model.agro.heat_stress import DEFAULT_THRESHOLDS, HeatStressThresholds
from domain.model.consensus import Reason
from domain.model.daily import RULES, aggregate_days
from domain.model.horizon import Horizon, HorizonPlan, plan_daily, plan_hourly
from domain.model.lru import Lru
from domain.model.queries import ProviderOutcome, SeriesPoint, combine_readings
from domain.model.readings import Capabilities, Granularity, Reading
from domain.model.series import failures
from domain.model.timegrid import HOUR

MAX_DAYS = 16
DEFAULT_DAYS = 7


def parse_days(raw: object) -> int:
    """dias: an integer 1..16, default 7."""
    if raw is None:
        return DEFAULT_DAYS
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_DAYS:
        raise ValidationError(
            f"dias debe ser un entero entre 1 y {MAX_DAYS}", details={"dias": "fuera_de_rango"}
        )
    return raw


def horizon_of(capabilities: Capabilities, granularity: Granularity) -> Horizon | None:
    """How far a provider forecasts this granularity; None: it does not forecast it."""
    if granularity is Granularity.HOURLY:
        return capabilities.forecast_hourly
    return capabilities.forecast_daily


@frozen
class ForecastWindow:
    """What a forecast covers: `days` local days from the day of `issued` in `timezone`."""

    issued: datetime
    days: int
    granularity: Granularity
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def first_day(self) -> date:
        return self.issued.astimezone(self.zone).date()

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=self.days - 1)

    def midnight(self, day: date) -> datetime:
        """Local midnight of `day`, in UTC: the key of a daily step."""
        return datetime.combine(day, time(0), self.zone).astimezone(UTC)

    def plan(self, horizons: Mapping[str, Horizon]) -> HorizonPlan:
        """Which provider covers which step (every step of the window, in time order)."""
        if self.granularity is Granularity.DAILY:
            days = [self.first_day + timedelta(days=k) for k in range(self.days)]
            return plan_daily(days, horizons, self.issued, self.timezone)
        end = self.midnight(self.last_day + timedelta(days=1))
        hour = self.issued.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        steps = []
        while hour < end:
            steps.append(hour)
            hour += HOUR
        return plan_hourly(steps, horizons, self.issued, self.timezone)

    def key(self, step: datetime | date) -> datetime:
        """The instant a step is stored and shown at (UTC)."""
        return step if isinstance(step, datetime) else self.midnight(step)

    def key_of(self, instant: datetime) -> datetime:
        """The step a provider's reading falls in."""
        if self.granularity is Granularity.DAILY:
            return self.midnight(instant.astimezone(self.zone).date())
        return instant.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _grid(
    answered: Mapping[str, ProviderOutcome], window: ForecastWindow
) -> dict[datetime, dict[str, Reading]]:
    grid: dict[datetime, dict[str, Reading]] = {}
    for name, outcome in answered.items():
        for reading in outcome.readings:
            grid.setdefault(window.key_of(reading.instant), {}).setdefault(name, reading)
    return grid


def _frozen(value: object) -> Hashable:
    """A hashable copy of a reading's part that equals another only when both render alike
    (1, 1.0 and True hash alike but render apart, so each scalar keeps its type)."""
    if isinstance(value, Mapping):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return (type(value), tuple(_frozen(v) for v in value))
    return (type(value), value)


def _values_key(values: Mapping[str, object]) -> tuple:
    return tuple([(k, type(v), v) for k, v in values.items()])


_SCALARS = frozenset({str, float, int, bool, type(None)})


def _origin_key(origin: Mapping[str, object]) -> Hashable:
    """An origin, frozen: the fast path for flat origins (the usual case), else _frozen."""
    key = tuple([(k, v.__class__, v) for k, v in origin.items()])
    for _, kind, _ in key:
        if kind not in _SCALARS:
            return _frozen(origin)
    return key


def _provenance_key(provenance: Mapping[str, Mapping[str, object]]) -> tuple:
    """Each variable's origin frozen; an origin several variables share is frozen once (by
    identity, while `provenance` holds it: the forecast adapters give a reading's values one)."""
    frozen: dict[int, Hashable] = {}
    key = []
    for name, origin in provenance.items():
        found = frozen.get(id(origin))
        if found is None:
            found = frozen[id(origin)] = _origin_key(origin)
        key.append((name, found))
    return tuple(key)


class StepMemo:
    """Per-process LRU of combine_readings by its exact inputs: a repeated forecast (provider
    answers from the provider cache) reuses each step's consensus instead of recomputing it.

    The key holds every input combine_readings reads (each source's values, missing reasons and
    provenance, the reasons sources were lost, variables, kinds, elevation, ITH thresholds), so
    an entry is only reused for the very same inputs; at most `size` steps are kept.
    """

    def __init__(self, size: int = 4096) -> None:
        self._entries: Lru[Hashable, tuple] = Lru(size)  # worker threads share it

    def combine(
        self,
        row: Mapping[str, Reading],
        lost: Mapping[str, Reason | str],
        variables: Sequence[str],
        kinds: Mapping[str, str],
        elevation: float | None,
        heat: HeatStressThresholds = DEFAULT_THRESHOLDS,
    ) -> tuple:
        key = (
            tuple(variables),
            (type(elevation), elevation),
            heat,
            tuple(kinds.items()),
            tuple((n, type(r), r) for n, r in lost.items()),
            tuple(
                (
                    n,
                    _values_key(r.values),
                    _frozen(r.missing_reasons),
                    _provenance_key(r.provenance),
                )
                for n, r in row.items()
            ),
        )

        hit = self._entries.get(key)
        if hit is None:
            hit = combine_readings(row, lost, variables, kinds, elevation, heat)
            self._entries.put(key, hit)
        return dict(hit[0]), {n: dict(o) for n, o in hit[1].items()}

    def clear(self) -> None:
        self._entries.clear()


STEP_MEMO = StepMemo()


def forecast_series(
    window: ForecastWindow,
    outcomes: Mapping[str, ProviderOutcome],
    horizons: Mapping[str, Horizon],
    variables: Sequence[str],
    elevation: float | None = None,
    heat: HeatStressThresholds = DEFAULT_THRESHOLDS,
) -> tuple[list[SeriesPoint], HorizonPlan]:
    """One consensus per step some provider with readings covers, in time order, and the plan.

    `horizons` holds every asked provider's horizon for the window's granularity.
    """
    answered = {n: o for n, o in outcomes.items() if o.ok and o.readings}
    plan = window.plan(horizons)
    grid = _grid(answered, window)
    failed = failures(outcomes)
    kinds = {n: o.kind for n, o in outcomes.items() if o.kind}
    points = []
    for cover in plan.steps:
        inside = [n for n in cover.covered_by if n in answered]
        if not inside:
            continue
        key = window.key(cover.step)
        found = grid.get(key, {})
        row = {name: found.get(name, Reading(key)) for name in inside}
        lost: dict[str, Reason | str] = {n: r for n, r in failed.items() if n in cover.covered_by}
        lost.update(cover.reasons)
        consensus, origins = STEP_MEMO.combine(row, lost, variables, kinds, elevation, heat)
        values = {name: dict(reading.values) for name, reading in row.items()}
        points.append(SeriesPoint(key, consensus, values, origins))
    return points, plan


def stated_model(outcome: ProviderOutcome) -> dict[str, object]:
    """The model name and issue time a provider stated (from its readings' provenance)."""
    for reading in outcome.readings:
        for origin in reading.provenance.values():
            found = {k: origin[k] for k in ("modelo", "emitido_en") if origin.get(k)}
            if found:
                return found
    return {}


@frozen
class ProviderHorizon:
    """One provider's reach in a forecast: its first instant past the horizon (UTC), the
    declared horizon, and the model name and issue time when the provider states them."""

    limit: datetime
    horizon: Horizon
    model: str | None = None
    issued: str | None = None


@frozen
class ForecastFacts:
    """What a stored forecast says about itself: when it was asked, how far it reaches."""

    issued: datetime
    effective_horizon: datetime | None
    horizons: Mapping[str, ProviderHorizon]


def facts_of(
    window: ForecastWindow,
    plan: HorizonPlan,
    horizons: Mapping[str, Horizon],
    outcomes: Mapping[str, ProviderOutcome],
    points: Sequence[SeriesPoint],
) -> ForecastFacts:
    """The facts of one forecast run: every asked provider's horizon, the last step returned."""
    reach = {}
    for name, horizon in horizons.items():
        stated = stated_model(outcomes[name]) if name in outcomes else {}
        model, issued = stated.get("modelo"), stated.get("emitido_en")
        reach[name] = ProviderHorizon(
            plan.limits[name],
            horizon,
            str(model) if model else None,
            str(issued) if issued else None,
        )
    effective = points[-1].instant if points else None
    return ForecastFacts(window.issued, effective, reach)


def fill_days(
    days: Sequence[Reading], hours: Sequence[Reading], lacking: Sequence[str], timezone: str
) -> tuple[Reading, ...]:
    """Daily readings with the `lacking` daily outputs built from the provider's own hours
    (domain.model.daily: complete local days only, 23/25-hour days included)."""
    zone = ZoneInfo(timezone)
    try:
        built = aggregate_days({r.instant: r.values for r in hours}, timezone, lacking)
    except ValidationError:
        return tuple(days)
    origin = next((dict(p) for r in hours for p in r.provenance.values()), {"tipo": "modelo"})
    by_day = {r.instant.astimezone(zone).date(): r for r in days}
    for day in built:
        taken = {n: v.value for n, v in day.values.items() if v.value is not None}
        old = by_day.get(day.day)
        kept = {k: v for k, v in (old.values if old else {}).items() if v is not None}
        values = {**taken, **kept}
        provenance = {n: {**origin, "de_horas": day.values[n].hours} for n in taken}
        provenance.update(old.provenance if old else {})
        instant = old.instant if old else datetime.combine(day.day, time(0), zone)
        by_day[day.day] = Reading(instant, values, provenance)
    return tuple(by_day[d] for d in sorted(by_day))


def lacking(days: Sequence[Reading], variables: Sequence[str]) -> tuple[str, ...]:
    """Asked daily outputs a provider's daily forecast has no value for on any day."""
    return tuple(n for n in variables if n in RULES and all(r.values.get(n) is None for r in days))


def hourly_sources(outputs: Sequence[str]) -> tuple[str, ...]:
    """The hourly variables the daily `outputs` are built from."""
    return tuple(dict.fromkeys(RULES[n][0] for n in outputs))
