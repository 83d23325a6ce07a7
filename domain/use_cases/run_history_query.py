"""POST /api/consultas/historico: a consensus series per timestep and its summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from attrs import frozen

from domain.model.consensus import Reason
from domain.model.permissions import Permission, Principal, require
from domain.model.queries import (
    ProviderOutcome,
    QueryStatus,
    QueryType,
    SeriesPoint,
    SummaryValue,
    WeatherQuery,
    combine_readings,
    summarise,
)
from domain.model.query_input import (
    check_range,
    parse_date,
    parse_format,
    parse_granularity,
    parse_providers,
    parse_timezone,
    parse_variables,
)
from domain.model.readings import Granularity, Reading, TimeRange
from domain.model.tokens import ClientInfo
from domain.use_cases.query_engine import (
    LocationRequest,
    QueryEngine,
    ResolvedLocation,
    outcome_summary,
)


@frozen
class RunHistoryQueryCommand:
    """The body of the request, unvalidated, plus who asks and from where."""

    principal: Principal
    start_date: object = None
    end_date: object = None
    granularity: object = None
    timezone: object = None
    city: object = None
    latitude: object = None
    longitude: object = None
    country: object = None
    variables: object = None
    providers: object = None
    export_format: object = None
    client: ClientInfo = ClientInfo(None, None)


@frozen
class HistoryQueryResult:
    """The stored query, the summary, the first timesteps inline and the total count."""

    query: WeatherQuery
    where: ResolvedLocation
    time_range: TimeRange
    summary: Mapping[str, SummaryValue]
    series: Sequence[SeriesPoint]
    total_points: int
    outcomes: Mapping[str, ProviderOutcome]


@frozen
class RunHistoryQuery:
    """Validate (range limits before any provider call), fan out, combine per timestep."""

    engine: QueryEngine

    def __call__(self, cmd: RunHistoryQueryCommand) -> HistoryQueryResult:
        require(cmd.principal, Permission.RUN_QUERY)
        engine = self.engine
        variables = parse_variables(cmd.variables)
        granularity = parse_granularity(cmd.granularity)
        zone = parse_timezone(cmd.timezone)
        start, end = (
            parse_date(cmd.start_date, "fecha_inicio"),
            parse_date(cmd.end_date, "fecha_fin"),
        )
        today = engine.clock().astimezone(ZoneInfo(zone)).date()
        limits = {g: engine.limits.max_days(g) for g in Granularity}
        check_range(start, end, today, granularity, limits)
        capable = (
            (lambda c: c.history_hourly)
            if granularity is Granularity.HOURLY
            else (lambda c: c.history_daily)
        )
        names = parse_providers(cmd.providers, list(engine.providers))
        names = tuple(n for n in names if capable(engine.providers[n].capabilities))
        export_format = parse_format(cmd.export_format)
        where = engine.resolve_location(
            LocationRequest(cmd.city, cmd.latitude, cmd.longitude, cmd.country),
            cmd.principal.user_id,
        )
        time_range = TimeRange(start, end, granularity, zone)
        params: dict[str, Any] = {
            "parametros": list(variables),
            "proveedores": list(names),
            "granularidad": granularity.value,
            "zona_horaria": zone,
        }
        query = engine.start(
            cmd.principal,
            QueryType.HISTORY,
            where,
            export_format,
            params,
            cmd.client.ip,
            (start, end),
        )
        started = engine.timer()
        try:
            return self._run(query, where, time_range, variables, names, started)
        except Exception:
            engine.abandon(query, started)
            raise

    def _run(self, query, where, time_range, variables, names, started) -> HistoryQueryResult:
        engine = self.engine
        outcomes = engine.ask(
            query.user_id,
            names,
            lambda p, c: p.history(where.location, time_range, variables, c),
        )
        answers = {name: outcome_summary(o) for name, o in outcomes.items()}
        answered = {n: o for n, o in outcomes.items() if o.ok and o.readings}
        if not answered:
            engine.fail(query, started, answers, "sin_respuesta_de_proveedores")
        points = build_series(answered, outcomes, time_range, variables, where.location.elevation)
        summary = summarise(points, variables)
        used = sorted({s for p in points for v in p.consensus.values() for s in v.sources})
        engine.finish(query, started, answers)
        query = attrs.evolve(query, status=QueryStatus.COMPLETED)  # only once it is stored
        with engine.uow() as uow:
            uow.queries.update(query)
            uow.queries.add_series(query.id, points)
            uow.queries.save_result(query.id, summary, used, {"resumen": summary})
            uow.commit()
        inline = points[: engine.limits.inline_series]
        return HistoryQueryResult(query, where, time_range, summary, inline, len(points), outcomes)


def timestep_key(instant: datetime, time_range: TimeRange) -> datetime:
    """Align providers' instants: the hour (UTC) for hourly series, local midnight for daily."""
    zone = ZoneInfo(time_range.timezone)
    if time_range.granularity is Granularity.HOURLY:
        return instant.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    local_day = instant.astimezone(zone).date()
    return datetime.combine(local_day, time(0), zone).astimezone(UTC)


def build_series(
    answered: Mapping[str, ProviderOutcome],
    outcomes: Mapping[str, ProviderOutcome],
    time_range: TimeRange,
    variables: Sequence[str],
    elevation: float | None = None,
) -> list[SeriesPoint]:
    """One consensus per timestep inside the range, in time order."""
    zone = ZoneInfo(time_range.timezone)
    first = datetime.combine(time_range.start, time(0), zone)
    after = datetime.combine(time_range.end + timedelta(days=1), time(0), zone)
    grid: dict[datetime, dict[str, Reading]] = {}
    for name, outcome in answered.items():
        for reading in outcome.readings:
            if not first <= reading.instant < after:
                continue
            grid.setdefault(timestep_key(reading.instant, time_range), {})[name] = reading
    failed: dict[str, Reason | str] = {n: o.reason for n, o in outcomes.items() if not o.ok}
    failed.update({n: Reason.SIN_DATO for n, o in outcomes.items() if o.ok and not o.readings})
    kinds = {n: o.kind for n, o in outcomes.items() if o.kind}
    points = []
    for key in sorted(grid):
        row = {name: grid[key].get(name, Reading(key)) for name in answered}
        consensus, origins = combine_readings(row, failed, variables, kinds, elevation)
        values = {name: dict(reading.values) for name, reading in row.items()}
        points.append(SeriesPoint(key, consensus, values, origins))
    return points
