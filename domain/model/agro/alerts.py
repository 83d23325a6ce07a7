"""Alert periods of a consensus series: heat stress (ITH) and frost risk at or past a setting.

A period is a run of consecutive steps (each step starting where the previous one ended) whose
level is at least the alert level (AgroSettings.alert_heat_level, default peligro;
alert_frost_level, default moderado). It runs from the start of its first step to the end of
its last; `level` is the gravest level reached and `peak` the extreme value behind it: the
highest ITH, or the gravest frost level (0-3, FrostRisk.level). A step without a value ends a
period: a gap is never bridged by a guess. Frost comes from the series' own riesgo_helada
(daily series) or, for an hourly series, from its farm days (daily_summary), one day a step.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from attrs import frozen

from domain.model.agro.daily_summary import FarmDay
from domain.model.agro.frost import FrostRisk
from domain.model.agro.graded import Graded
from domain.model.agro.heat_stress import thi_category
from domain.model.agro.settings import DEFAULT_SETTINGS, AgroSettings
from domain.model.queries import SeriesPoint


class AlertType(enum.StrEnum):
    """tipo of an alert (wire codes)."""

    HEAT_STRESS = "estres_calorico"
    FROST = "helada"


@frozen
class Alert:
    """One alert period [tipo, nivel, desde, hasta, pico, variable, mensaje]."""

    kind: AlertType
    level: str
    start: datetime
    end: datetime
    peak: float
    variable: str
    message: str


@frozen
class Step:
    """One step of a series: [start, end) and the value an alert reads (None: no value)."""

    start: datetime
    end: datetime
    value: float | None


def _runs(
    steps: Iterable[Step], level_of: Callable[[float], Graded], least: Graded
) -> list[list[tuple[Step, Graded]]]:
    runs: list[list[tuple[Step, Graded]]] = []
    previous_end: datetime | None = None
    for step in sorted(steps, key=lambda s: s.start):
        level = level_of(step.value) if step.value is not None else None
        if level is None or level.level < least.level:
            previous_end = None
            continue
        if previous_end is not None and step.start == previous_end and runs:
            runs[-1].append((step, level))
        else:
            runs.append([(step, level)])
        previous_end = step.end
    return runs


def _local(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%d/%m %H:%M")


def heat_alerts(steps: Sequence[Step], settings: AgroSettings, zone: ZoneInfo) -> list[Alert]:
    """Periods with the consensus ITH at or past the alert band."""

    def band(value: float) -> Graded:
        return thi_category(value, settings.heat_stress)  # type: ignore[return-value]

    alerts = []
    for run in _runs(steps, band, settings.alert_heat_level):
        gravest = max((level for _, level in run), key=lambda g: g.level)
        peak = max(s.value for s, _ in run if s.value is not None)
        start, end = run[0][0].start, run[-1][0].end
        message = (
            f"Estrés calórico ({gravest.value}) para el ganado de {_local(start, zone)} a "
            f"{_local(end, zone)}: ITH máximo {peak:.1f}. Dé sombra y agua."
        )
        alerts.append(Alert(AlertType.HEAT_STRESS, gravest.value, start, end, peak, "ith", message))
    return alerts


def frost_alerts(steps: Sequence[Step], settings: AgroSettings, zone: ZoneInfo) -> list[Alert]:
    """Periods with the frost risk level (0-3) at or past the alert level."""
    levels = tuple(FrostRisk)

    def risk(value: float) -> Graded:
        return levels[min(max(int(value), 0), len(levels) - 1)]

    alerts = []
    for run in _runs(steps, risk, settings.alert_frost_level):
        gravest = max((level for _, level in run), key=lambda g: g.level)
        start, end = run[0][0].start, run[-1][0].end
        message = (
            f"Riesgo de helada {gravest.value} de {_local(start, zone)} a {_local(end, zone)} "
            "(regla heurística de ClimaGuru, no es un aviso oficial): proteja cultivos."
        )
        alerts.append(
            Alert(
                AlertType.FROST,
                gravest.value,
                start,
                end,
                float(gravest.level),
                "riesgo_helada",
                message,
            )
        )
    return alerts


def _steps(points: Sequence[SeriesPoint], variable: str, length: Callable) -> list[Step]:
    return [
        Step(p.instant, length(p.instant), _value(p, variable))
        for p in points
        if variable in p.consensus
    ]


def _value(point: SeriesPoint, variable: str) -> float | None:
    value = point.consensus[variable].value
    return None if value is None else float(value)


def _day_steps(days: Sequence[FarmDay], zone: ZoneInfo) -> list[Step]:
    steps = []
    for day in days:
        start = datetime.combine(day.day, time(0), zone)
        end = datetime.combine(day.day + timedelta(days=1), time(0), zone)
        steps.append(Step(start, end, None if day.frost is None else float(day.frost.level)))
    return steps


def series_alerts(
    points: Sequence[SeriesPoint],
    daily: bool,
    timezone: str,
    settings: AgroSettings = DEFAULT_SETTINGS,
    days: Sequence[FarmDay] = (),
) -> tuple[Alert, ...]:
    """Every alert period of a consensus series, in time order (heat first on a tie)."""
    zone = ZoneInfo(timezone)

    def length(instant: datetime) -> datetime:
        if not daily:
            return instant + timedelta(hours=1)
        local = instant.astimezone(zone).date() + timedelta(days=1)
        return datetime.combine(local, time(0), zone)

    found = heat_alerts(_steps(points, "ith", length), settings, zone)
    frost = _steps(points, "riesgo_helada", length) if daily else _day_steps(days, zone)
    found += frost_alerts(frost, settings, zone)
    order = {AlertType.HEAT_STRESS: 0, AlertType.FROST: 1}
    return tuple(sorted(found, key=lambda a: (a.start, order[a.kind])))
