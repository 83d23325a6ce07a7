"""POST /api/consultas/historico: a consensus series per timestep and its summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

import attrs
from attrs import frozen

from domain.model.agro.daily_summary import FarmDay, summarise_days
from domain.model.agro.derive import DerivationContext, derive_outcomes
from domain.model.agro.plan import SeriesPlan, consensus_values, plan_series, shown_only
from domain.model.agro.settings import degree_day_limits
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
    degree_day_base: object = None  # grados_dia_base, °C (default: the setting)
    degree_day_cap: object = None  # grados_dia_tope, °C


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
    # Hourly series with a farm variable asked: per local day (resumen_diario); else None.
    farm_days: Sequence[FarmDay] | None = None


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
        agro, extra = degree_day_limits(
            self.agro, cmd.degree_day_base, cmd.degree_day_cap, variables
        )
        names = self._serving(cmd.providers, time_range.granularity)
        export_format = parse_format(cmd.export_format)
        params = QueryParameters(
            tuple(variables), tuple(names), time_range.granularity, time_range.timezone, extra
        )
        dates = (time_range.start, time_range.end)

        def new(where: ResolvedLocation) -> NewQuery:
            return NewQuery(QueryType.HISTORY, where.location, export_format, params, dates)

        def run(query: WeatherQuery, where: ResolvedLocation, started: float):
            chosen = attrs.evolve(self, agro=agro)
            return chosen._run(query, where, time_range, variables, names, started)

        return self._launch(cmd, new, run)

    def _serving(self, raw: object, granularity: Granularity) -> tuple[str, ...]:
        """The asked providers (default: all) that serve history at this granularity."""
        providers = self.calls.providers
        names = parse_providers(raw, list(providers))
        return tuple(n for n in names if _serves(granularity, providers[n].capabilities))

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
        plan = plan_series(variables, time_range.granularity is Granularity.HOURLY)
        outcomes = self.calls.ask(
            query.user_id,
            names,
            lambda p, c: p.history(where.location, time_range, plan.fetched, c),
        )
        reports = {name: report_of(o) for name, o in outcomes.items()}
        answered = {n: o for n, o in outcomes.items() if o.ok and o.readings}
        if not answered:
            self.lifecycle.fail(query, started, reports)
        points, farm_days = self._series(plan, answered, outcomes, time_range, where)
        query, summary = self._store(query, started, reports, points, plan.shown)
        inline = points[: self.limits.inline_series]
        return HistoryQueryResult(
            query, where, time_range, summary, inline, len(points), outcomes, farm_days
        )

    def _series(
        self,
        plan: SeriesPlan,
        answered: Mapping[str, ProviderOutcome],
        outcomes: Mapping[str, ProviderOutcome],
        time_range: TimeRange,
        where: ResolvedLocation,
    ) -> tuple[list[SeriesPoint], tuple[FarmDay, ...] | None]:
        """Farm variables derived per provider, one consensus per step, the farm days."""
        place = where.location
        daily = time_range.granularity is Granularity.DAILY
        context = DerivationContext(place.latitude, time_range.timezone, daily, self.agro)
        derived = derive_outcomes(answered, plan.combined, context)
        heat = self.agro.heat_stress
        points = build_series(derived, outcomes, time_range, plan.combined, place.elevation, heat)
        farm_days = None
        if plan.daily_summary:
            hourly = consensus_values(points)
            farm_days = summarise_days(hourly, time_range.timezone, place.latitude, self.agro)
        return shown_only(points, plan.shown), farm_days
