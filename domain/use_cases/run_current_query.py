"""POST /api/consultas/tiempo-real: every eligible provider at once, one robust consensus."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from attrs import frozen

from domain.model.agro.derive import DerivationContext, derive_outcomes, fetch_variables
from domain.model.agro.settings import DEFAULT_SETTINGS, AgroSettings
from domain.model.consensus import ConsensusValue
from domain.model.queries import (
    ProviderOutcome,
    QueryParameters,
    QueryType,
    SeriesPoint,
    WeatherQuery,
    combine_readings,
    summarise,
)
from domain.model.query_input import (
    parse_format,
    parse_providers,
    parse_variables,
    refuse_daily_only,
)
from domain.model.results import Origins, QueryResult, report_of
from domain.model.series import failures
from domain.use_cases.query_command import QueryCommand
from domain.use_cases.query_lifecycle import NewQuery
from domain.use_cases.resolve_location import (
    ResolvedLocation,
)
from domain.use_cases.series_query import QueryRunner


@frozen
class RunCurrentQueryCommand(QueryCommand):
    """A current query: the place, variables and providers (QueryCommand)."""


@frozen
class CurrentQueryResult:
    """The stored query, the consensus per variable and each provider's normalised reading."""

    query: WeatherQuery
    where: ResolvedLocation
    consensus: Mapping[str, ConsensusValue]
    outcomes: Mapping[str, ProviderOutcome]
    instant: datetime | None
    origins: Origins


@frozen
class RunCurrentQuery(QueryRunner):
    """Validate, store pendiente → procesando, fan out, combine, store completada or error."""

    timer: Callable[[], float]
    agro: AgroSettings = DEFAULT_SETTINGS

    def __call__(self, cmd: RunCurrentQueryCommand) -> CurrentQueryResult:
        self._admit(cmd)
        variables = parse_variables(cmd.variables)
        refuse_daily_only(variables)
        providers = self.calls.providers
        names = parse_providers(cmd.providers, list(providers))
        names = tuple(n for n in names if providers[n].capabilities.current)
        export_format = parse_format(cmd.export_format)
        params = QueryParameters(tuple(variables), tuple(names))

        def new(where: ResolvedLocation) -> NewQuery:
            return NewQuery(QueryType.CURRENT, where.location, export_format, params)

        def run(query: WeatherQuery, where: ResolvedLocation, started: float):
            return self._run(query, where, variables, names, started)

        return self._launch(cmd, new, run)

    def _run(
        self,
        query: WeatherQuery,
        where: ResolvedLocation,
        variables: Sequence[str],
        names: Sequence[str],
        started: float,
    ) -> CurrentQueryResult:
        fetched = fetch_variables(variables)
        outcomes = self.calls.ask(
            query.user_id, names, lambda p, c: p.current(where.location, fetched, c)
        )
        context = DerivationContext(where.location.latitude, settings=self.agro)
        outcomes = derive_outcomes(outcomes, variables, context)
        reports = {name: report_of(o, with_reading=True) for name, o in outcomes.items()}
        latest = {n: o.readings[-1] for n, o in outcomes.items() if o.ok and o.readings}
        if not latest:
            self.lifecycle.fail(query, started, reports)
        kinds = {n: o.kind for n, o in outcomes.items() if o.kind}
        consensus, origins = combine_readings(
            latest, failures(outcomes), variables, kinds, where.location.elevation,
            self.agro.heat_stress,
        )  # fmt: skip
        instant = max(r.instant for r in latest.values())
        used = tuple(sorted({s for value in consensus.values() for s in value.sources}))
        columns = summarise([SeriesPoint(instant, consensus, origins=origins)], variables)
        result = QueryResult(used, consensus, origins)
        query = self.lifecycle.complete(query, started, reports, result, columns)
        return CurrentQueryResult(query, where, consensus, outcomes, instant, origins)
