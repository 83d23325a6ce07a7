"""POST /api/consultas/pronostico: one consensus per forecast step, within each horizon."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial

import attrs
from attrs import frozen

from domain.model import forecast as fc
from domain.model.agro.alerts import Alert, series_alerts
from domain.model.agro.daily_summary import FarmDay, summarise_days
from domain.model.agro.derive import DerivationContext, derive_outcomes
from domain.model.agro.plan import SeriesPlan, consensus_values, plan_series, shown_only
from domain.model.consensus import Reason
from domain.model.horizon import Horizon, HorizonPlan
from domain.model.location import Location
from domain.model.queries import (
    ProviderOutcome,
    QueryParameters,
    QueryType,
    SeriesPoint,
    SummaryValue,
    WeatherQuery,
    summarise,
)
from domain.model.query_input import (
    parse_format,
    parse_granularity,
    parse_providers,
    parse_timezone,
    parse_variables,
)
from domain.model.readings import Credentials, Granularity, ProviderAnswer
from domain.model.repeat_memo import RepeatMemo, forecast_fingerprint
from domain.model.results import report_of, skipped_report
from domain.model.variables import FORECAST_VARIABLE_NAMES
from domain.use_cases.query_command import QueryCommand
from domain.use_cases.query_lifecycle import NewQuery
from domain.use_cases.resolve_location import ResolvedLocation
from domain.use_cases.series_query import SeriesQuery, sources_used
from ports.providers import ForecastProvider, ProviderUnavailable

NOT_SUPPORTED = "no_soportado"  # a provider that does not forecast (IDEAM, SIATA): never asked


@frozen
class RunForecastQueryCommand(QueryCommand):
    """A forecast query: a QueryCommand plus the days, timestep and zone."""

    days: object = None
    granularity: object = None
    timezone: object = None


@frozen
class ForecastQueryResult:
    """The stored query, its facts (issue time, horizons), summary and the first steps."""

    query: WeatherQuery
    where: ResolvedLocation
    window: fc.ForecastWindow
    facts: fc.ForecastFacts
    summary: Mapping[str, SummaryValue]
    series: Sequence[SeriesPoint]
    total_points: int
    outcomes: Mapping[str, ProviderOutcome]
    alerts: Sequence[Alert] = ()  # heat stress and frost periods (issue 14)
    # Hourly forecast with a farm variable asked: per local day (resumen_diario); else None.
    farm_days: Sequence[FarmDay] | None = None


@frozen
class FarmSteps:
    """The consensus steps shown, the horizon plan, the farm days and the alert periods."""

    points: list[SeriesPoint]
    plan: HorizonPlan
    days: tuple[FarmDay, ...]
    alerts: tuple[Alert, ...]
    summary: dict[str, SummaryValue] | None = None  # of the points (set by _repeated)
    used: tuple[str, ...] | None = None  # the sources the points' consensus used


STEPS: RepeatMemo[FarmSteps] = RepeatMemo()  # per process: repeated forecasts' derived series


@frozen
class RunForecastQuery(SeriesQuery):
    """Validate, ask every forecasting provider at once, combine per step within horizons."""

    def __call__(self, cmd: RunForecastQueryCommand) -> ForecastQueryResult:
        self._admit(cmd)
        variables = parse_variables(cmd.variables, FORECAST_VARIABLE_NAMES)
        granularity = parse_granularity(cmd.granularity, Granularity.HOURLY)
        window = fc.ForecastWindow(
            self.clock(), fc.parse_days(cmd.days), granularity, parse_timezone(cmd.timezone)
        )
        providers = self.calls.providers
        names = parse_providers(cmd.providers, list(providers))
        horizons = {
            n: h for n in names if (h := fc.horizon_of(providers[n].capabilities, granularity))
        }
        export_format = parse_format(cmd.export_format)
        extra = {"dias": window.days}
        params = QueryParameters(variables, tuple(horizons), granularity, window.timezone, extra)
        dates = (window.first_day, window.last_day)
        skipped = tuple(n for n in names if n not in horizons)

        def new(where: ResolvedLocation) -> NewQuery:
            return NewQuery(QueryType.FORECAST, where.location, export_format, params, dates)

        def run(query: WeatherQuery, where: ResolvedLocation, started: float):
            return self._run(query, where, window, variables, horizons, skipped, started)

        return self._launch(cmd, new, run)

    def _run(
        self,
        query: WeatherQuery,
        where: ResolvedLocation,
        window: fc.ForecastWindow,
        variables: Sequence[str],
        horizons: Mapping[str, Horizon],
        skipped: Sequence[str],
        started: float,
    ) -> ForecastQueryResult:
        wanted = plan_series(variables, window.granularity is Granularity.HOURLY, alerts=True)

        def call(provider, credentials: Credentials | None) -> ProviderAnswer:
            return ask_forecast(provider, where.location, window, wanted.fetched, credentials)

        outcomes = self.calls.ask(query.user_id, tuple(horizons), call)
        steps = self._repeated(window, where, wanted, outcomes, horizons)
        points, plan = steps.points, steps.plan
        facts = fc.facts_of(window, plan, horizons, outcomes, points)
        reports = {n: report_of(_with_limit(o, plan.limits[n])) for n, o in outcomes.items()}
        reports |= {n: skipped_report(NOT_SUPPORTED) for n in skipped}
        if not any(o.ok and o.readings for o in outcomes.values()):
            self.lifecycle.fail(query, started, reports)
        alerts, days = steps.alerts, steps.days if wanted.daily_summary else None
        shown, known = wanted.shown, (steps.summary, steps.used)
        query, summary = self._store(query, started, reports, points, shown, facts, alerts, *known)
        inline = points[: self.limits.inline_series]
        return ForecastQueryResult(
            query, where, window, facts, summary, inline, len(points), outcomes, alerts, days
        )

    def _repeated(
        self,
        window: fc.ForecastWindow,
        where: ResolvedLocation,
        wanted: SeriesPlan,
        outcomes: Mapping[str, ProviderOutcome],
        horizons: Mapping[str, Horizon],
    ) -> FarmSteps:
        """`_steps` with its points' summary and sources, or what they were for the very same
        inputs (a forecast asked again, its providers' answers from the cache)."""
        key = forecast_fingerprint(window, where.location, wanted, horizons, self.agro, outcomes)

        def build() -> FarmSteps:
            steps = self._steps(window, where, wanted, outcomes, horizons)
            summary = summarise(steps.points, wanted.shown)
            return attrs.evolve(steps, summary=summary, used=sources_used(steps.points))

        steps = STEPS.get(key, build)
        # The caller's list and summary are its own; the points themselves are frozen.
        return attrs.evolve(steps, points=list(steps.points), summary=dict(steps.summary))

    def _steps(
        self,
        window: fc.ForecastWindow,
        where: ResolvedLocation,
        wanted: SeriesPlan,
        outcomes: Mapping[str, ProviderOutcome],
        horizons: Mapping[str, Horizon],
    ) -> FarmSteps:
        """Farm variables derived per provider, one consensus per step, farm days, alerts."""
        place, daily = where.location, window.granularity is Granularity.DAILY
        context = DerivationContext(place.latitude, window.timezone, daily, self.agro)
        derived = derive_outcomes(outcomes, wanted.combined, context)
        points, plan = fc.forecast_series(
            window, derived, horizons, wanted.combined, place.elevation, self.agro.heat_stress
        )
        days: tuple[FarmDay, ...] = ()
        if not daily:
            hourly = consensus_values(points)
            days = summarise_days(hourly, window.timezone, place.latitude, self.agro)
        alerts = series_alerts(points, daily, window.timezone, self.agro, days)
        return FarmSteps(shown_only(points, wanted.shown), plan, days, alerts)


def _with_limit(outcome: ProviderOutcome, limit: datetime) -> ProviderOutcome:
    """The provider's meta with its first instant past the horizon (UTC), for respuesta_api."""
    if not outcome.ok:
        return outcome
    return attrs.evolve(outcome, meta={**outcome.meta, "limite": limit.isoformat()})


def ask_forecast(
    provider: ForecastProvider,
    location: Location,
    window: fc.ForecastWindow,
    variables: Sequence[str],
    credentials: Credentials | None,
) -> ProviderAnswer:
    """One provider's forecast for the window. Daily: its own daily values, and the daily
    outputs it lacks built from its own hours over local days (when it forecasts hours)."""
    ask = partial(provider.forecast, location, window.days)
    if window.granularity is Granularity.HOURLY:
        return ask(Granularity.HOURLY, window.timezone, variables, credentials)
    hours = provider.capabilities.forecast_hourly is not None
    daily = _own_daily(ask, window.timezone, variables, credentials, hours)
    missing = fc.lacking(daily.readings if daily else (), variables)
    if not missing or not hours:
        if daily is None:
            raise ProviderUnavailable(Reason.ERROR, NOT_SUPPORTED)
        return daily
    try:
        hourly = ask(Granularity.HOURLY, window.timezone, fc.hourly_sources(missing), credentials)
    except ProviderUnavailable:
        if daily is None:
            raise
        return daily
    base = daily or attrs.evolve(hourly, readings=())
    filled = fc.fill_days(base.readings, hourly.readings, missing, window.timezone)
    return attrs.evolve(base, readings=filled, meta={**base.meta, "diario_de_horas": missing})


def _own_daily(ask, timezone: str, variables, credentials, hours: bool) -> ProviderAnswer | None:
    """The provider's daily forecast; None when it serves none of the variables daily but
    forecasts hours (they may give them)."""
    try:
        return ask(Granularity.DAILY, timezone, variables, credentials)
    except ProviderUnavailable as error:
        if error.code != NOT_SUPPORTED or not hours:
            raise
        return None
