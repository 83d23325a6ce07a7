"""POST /api/consultas/historico: a consensus series per timestep and its summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from attrs import frozen

from domain.model.queries import (
    ProviderOutcome,
    QueryParameters,
    QueryType,
    SeriesPoint,
    SummaryValue,
    WeatherQuery,
)
from domain.model.query_input import (
    HISTORY_START,
    check_range,
    parse_date,
    parse_format,
    parse_granularity,
    parse_providers,
    parse_timezone,
    parse_variables,
)
from domain.model.readings import Capabilities, Granularity, TimeRange
from domain.model.results import report_of
from domain.model.series import build_series
from domain.use_cases.query_command import QueryCommand
from domain.use_cases.query_lifecycle import NewQuery
from domain.use_cases.resolve_location import ResolvedLocation
from domain.use_cases.series_query import SeriesQuery


@frozen
class RunHistoryQueryCommand(QueryCommand):
    """A history query: a QueryCommand plus the dates, timestep and zone."""

    start_date: object = None
    end_date: object = None
    granularity: object = None
    timezone: object = None


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


def _serves(granularity: Granularity, capabilities: Capabilities) -> bool:
    if granularity is Granularity.HOURLY:
        return capabilities.history_hourly
    return capabilities.history_daily


@frozen
class RunHistoryQuery(SeriesQuery):
    """Validate (range limits before any provider call), fan out, combine per timestep."""

    def __call__(self, cmd: RunHistoryQueryCommand) -> HistoryQueryResult:
        self._admit(cmd)
        variables = parse_variables(cmd.variables)
        time_range = self._time_range(cmd)
        providers = self.calls.providers
        names = parse_providers(cmd.providers, list(providers))
        names = tuple(
            n for n in names if _serves(time_range.granularity, providers[n].capabilities)
        )
        export_format = parse_format(cmd.export_format)
        params = QueryParameters(
            tuple(variables), tuple(names), time_range.granularity, time_range.timezone
        )
        dates = (time_range.start, time_range.end)

        def new(where: ResolvedLocation) -> NewQuery:
            return NewQuery(QueryType.HISTORY, where.location, export_format, params, dates)

        def run(query: WeatherQuery, where: ResolvedLocation, started: float):
            return self._run(query, where, time_range, variables, names, started)

        return self._launch(cmd, new, run)

    def _time_range(self, cmd: RunHistoryQueryCommand) -> TimeRange:
        """Parsed and within the limits for its granularity, before any provider is asked."""
        granularity = parse_granularity(cmd.granularity)
        zone = parse_timezone(cmd.timezone)
        start = parse_date(cmd.start_date, "fecha_inicio", HISTORY_START)
        end = parse_date(cmd.end_date, "fecha_fin", HISTORY_START)
        today = self.clock().astimezone(ZoneInfo(zone)).date()
        limits = {g: self.limits.max_days(g) for g in Granularity}
        check_range(start, end, today, granularity, limits)
        return TimeRange(start, end, granularity, zone)

    def _run(
        self,
        query: WeatherQuery,
        where: ResolvedLocation,
        time_range: TimeRange,
        variables: Sequence[str],
        names: Sequence[str],
        started: float,
    ) -> HistoryQueryResult:
        outcomes = self.calls.ask(
            query.user_id,
            names,
            lambda p, c: p.history(where.location, time_range, variables, c),
        )
        reports = {name: report_of(o) for name, o in outcomes.items()}
        answered = {n: o for n, o in outcomes.items() if o.ok and o.readings}
        if not answered:
            self.lifecycle.fail(query, started, reports)
        points = build_series(answered, outcomes, time_range, variables, where.location.elevation)
        query, summary = self._store(query, started, reports, points, variables)
        inline = points[: self.limits.inline_series]
        return HistoryQueryResult(query, where, time_range, summary, inline, len(points), outcomes)
