"""Weather queries: what was asked, its life cycle, and the results stored with it."""

from __future__ import annotations

import enum
import math
import statistics
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from attrs import define, evolve, field, frozen

from domain.model.agro.heat_stress import DEFAULT_THRESHOLDS, HeatStressThresholds, thi_category
from domain.model.consensus import (
    ConsensusValue,
    Discarded,
    Reason,
    SourceValue,
    circular_mean,
    combine,
    combine_present,
    source_number,
)
from domain.model.location import Location
from domain.model.readings import Granularity, Reading
from domain.model.variables import Kind, get_variable

if TYPE_CHECKING:
    from domain.model.results import ProviderReport


class QueryType(enum.StrEnum):
    """tipo_consulta."""

    CURRENT = "tiempo_real"
    HISTORY = "historico"
    FORECAST = "pronostico"

    @property
    def has_series(self) -> bool:
        """A history or a forecast: one consensus per timestep, stored in series_clima."""
        return self is not QueryType.CURRENT


# mensaje_error of a query whose worker died while it was pendiente or procesando.
ABANDONED = "abandonada"
ABANDON_MARGIN = 60.0  # seconds past the query deadline before an unfinished query is abandoned


def abandoned_before(now: datetime, deadline: float, margin: float = ABANDON_MARGIN) -> datetime:
    """Unfinished queries created before this instant can no longer be running."""
    return now - timedelta(seconds=deadline + margin)


class QueryStatus(enum.StrEnum):
    """estado: pendiente → procesando → completada | error."""

    PENDING = "pendiente"
    PROCESSING = "procesando"
    COMPLETED = "completada"
    ERROR = "error"


class ExportFormat(enum.StrEnum):
    """formato_salida of the later download."""

    JSON = "json"
    CSV = "csv"
    TXT = "txt"
    YAML = "yaml"


@frozen
class QueryParameters:
    """What was asked: the variables and providers, and for a history its timestep and zone.

    `extra` keeps stored keys this version does not know, so they survive a round trip.
    """

    variables: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    granularity: Granularity | None = None
    timezone: str | None = None
    extra: Mapping[str, Any] = field(factory=dict)


@define
class WeatherQuery:
    """One row of consultas."""

    id: int | None
    user_id: int
    query_type: QueryType
    location: Location
    export_format: ExportFormat
    parameters: QueryParameters
    status: QueryStatus
    created_at: datetime
    start_date: date | None = None
    end_date: date | None = None
    provider_answers: Mapping[str, ProviderReport] | None = None
    error_code: str | None = None
    response_ms: int | None = None
    client_ip: str | None = None
    completed_at: datetime | None = None


def as_seen(query: WeatherQuery, stale_before: datetime, now: datetime) -> WeatherQuery:
    """A query still pendiente/procesando although created before `stale_before` cannot be
    running any more: it reads as error `abandonada`, as the periodic sweep will store it."""
    unfinished = query.status in (QueryStatus.PENDING, QueryStatus.PROCESSING)
    if not unfinished or query.created_at >= stale_before:
        return query
    return evolve(query, status=QueryStatus.ERROR, error_code=ABANDONED, completed_at=now)


@frozen
class ProviderOutcome:
    """How one provider did in a query: its normalised readings, or why it gave none."""

    provider: str
    kind: str | None = None
    reason: str | None = None
    code: str | None = None
    readings: Sequence[Reading] = field(factory=tuple)
    meta: Mapping[str, Any] = field(factory=dict)

    @property
    def ok(self) -> bool:
        return self.reason is None


@frozen
class SeriesPoint:
    """The consensus at one instant of a historical series."""

    instant: datetime
    consensus: Mapping[str, ConsensusValue]
    by_provider: Mapping[str, Mapping[str, float | None]] = field(factory=dict)
    # variable → source → {"tipo": observado|modelo|reanalisis, station provenance...}
    origins: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(factory=dict)


@frozen
class SummaryValue:
    """Mean / min / max of one variable's consensus over a range (datos_clima)."""

    variable: str
    unit: str
    mean: float | None
    minimum: float | None
    maximum: float | None
    count: int


def summarise(points: Sequence[SeriesPoint], variables: Sequence[str]) -> dict[str, SummaryValue]:
    """Summary per variable over every timestep with a value (direction: vector mean)."""
    result = {}
    for name in variables:
        variable = get_variable(name)
        values = [
            p.consensus[name].value
            for p in points
            if name in p.consensus and p.consensus[name].value is not None
        ]
        numbers = [float(v) for v in values if isinstance(v, int | float) and math.isfinite(v)]
        if not numbers:
            result[name] = SummaryValue(name, variable.unit, None, None, None, 0)
            continue
        if variable.kind is Kind.CIRCULAR:
            mean = circular_mean(numbers)
            low = high = None
        elif variable.kind is Kind.CATEGORY:
            mean = float(statistics.mode(sorted(numbers)))
            low = high = None
        else:
            mean, low, high = statistics.fmean(numbers), min(numbers), max(numbers)
        result[name] = SummaryValue(name, variable.unit, mean, low, high, len(numbers))
    return result


def _reason(raw: str) -> Reason:
    try:
        return Reason(raw)
    except ValueError:
        return Reason.SIN_DATO


def combine_readings(
    rows: Mapping[str, Reading],
    failed: Mapping[str, Reason | str],
    variables: Sequence[str],
    kinds: Mapping[str, str],
    elevation: float | None = None,
    heat: HeatStressThresholds = DEFAULT_THRESHOLDS,
) -> tuple[dict[str, ConsensusValue], dict[str, dict[str, dict[str, Any]]]]:
    """Consensus per variable from each source's reading at one timestep, and its origins.

    A value a source left out for a stated reason (a stale station: desactualizado) is
    discarded with that reason instead of sin_dato. Origins say, for every source with a value,
    whether it is observado, modelo or reanalisis, and for stations which one, with the
    station's elevation minus the location's (`elevation`, when known). An ITH carries the
    heat-stress band of its consensus value under the `heat` thresholds.
    """
    lost = {source: Discarded(source, reason) for source, reason in failed.items()}
    if rows.keys() & lost.keys():  # a source both answered and failed: combine() refuses it
        return _combine_checked(rows, lost, variables, kinds, elevation, heat)
    consensus: dict[str, ConsensusValue] = {}
    origins: dict[str, dict[str, dict[str, Any]]] = {}
    lost_values = list(lost.values())
    for name in variables:
        variable = get_variable(name)
        discarded, present = lost_values.copy(), {}
        found: dict[str, dict[str, Any]] = {}
        for source, reading in rows.items():
            raw = reading.values.get(name)
            if raw is None:
                reason = reading.missing_reasons.get(name)
                discarded.append(Discarded(source, _reason(reason) if reason else Reason.NO_DATA))
                continue
            # SourceValue's converter and combine()'s checks, without a SourceValue per value
            value = raw if raw.__class__ is float and math.isfinite(raw) else source_number(raw)
            if value is None:
                discarded.append(Discarded(source, Reason.NO_DATA))
            elif not variable.is_plausible(value):
                discarded.append(Discarded(source, Reason.OUTLIER))
            else:
                present[source] = value
            found[source] = _origin(kinds.get(source), reading.provenance.get(name, {}), elevation)
        if found:
            origins[name] = found
        consensus[name] = _banded(combine_present(variable, present, discarded), heat)
    return consensus, origins


def _origin(kind: str | None, provenance: Any, elevation: float | None) -> dict[str, Any]:
    info = {"tipo": kind, **dict(provenance)}
    if "altitud_estacion_m" in info:
        info["diferencia_elevacion_m"] = _difference(info["altitud_estacion_m"], elevation)
    return info


def _combine_checked(
    rows: Mapping[str, Reading],
    lost: Mapping[str, Discarded],
    variables: Sequence[str],
    kinds: Mapping[str, str],
    elevation: float | None,
    heat: HeatStressThresholds,
) -> tuple[dict[str, ConsensusValue], dict[str, dict[str, dict[str, Any]]]]:
    """combine_readings through combine() itself, which raises on a repeated source."""
    consensus: dict[str, ConsensusValue] = {}
    origins: dict[str, dict[str, dict[str, Any]]] = {}
    for name in variables:
        values, discarded = [], list(lost.values())
        for source, reading in rows.items():
            value = reading.values.get(name)
            reason = reading.missing_reasons.get(name)
            if value is None and reason:
                discarded.append(Discarded(source, _reason(reason)))
                continue
            values.append(SourceValue(source, value))
            if value is not None:
                info = _origin(kinds.get(source), reading.provenance.get(name, {}), elevation)
                origins.setdefault(name, {})[source] = info
        consensus[name] = _banded(combine(get_variable(name), values, failed=discarded), heat)
    return consensus, origins


HEAT_INDICES = frozenset({"ith", "ith_ajustado"})


def _banded(value: ConsensusValue, heat: HeatStressThresholds) -> ConsensusValue:
    """An ITH's consensus with its LWSI band (normal, alerta, peligro, emergencia)."""
    if value.variable not in HEAT_INDICES or value.value is None:
        return value
    band = thi_category(float(value.value), heat)
    return evolve(value, category=band.value if band else None)


def _difference(station: object, location: float | None) -> float | None:
    if isinstance(station, int | float) and location is not None:
        return round(float(station) - location, 1)
    return None


@frozen
class QueryLimits:
    """Configurable limits: range per granularity, overall deadline, inline series size."""

    max_days_hourly: int = 366
    max_days_daily: int = 7305
    deadline: float = 20.0
    inline_series: int = 200
    quota_timezone: str = "America/Bogota"

    def max_days(self, granularity: Granularity) -> int:
        return self.max_days_hourly if granularity is Granularity.HOURLY else self.max_days_daily
