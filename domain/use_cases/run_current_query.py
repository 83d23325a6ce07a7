"""POST /api/consultas/tiempo-real: every eligible provider at once, one robust consensus."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs
from attrs import frozen

from domain.model.consensus import ConsensusValue
from domain.model.permissions import Permission, Principal, require
from domain.model.queries import (
    ProviderOutcome,
    QueryStatus,
    QueryType,
    SeriesPoint,
    WeatherQuery,
    combine_readings,
    summarise,
)
from domain.model.query_input import parse_format, parse_providers, parse_variables
from domain.model.tokens import ClientInfo
from domain.use_cases.query_engine import (
    LocationRequest,
    QueryEngine,
    ResolvedLocation,
    outcome_summary,
)


@frozen
class RunCurrentQueryCommand:
    """The body of the request, unvalidated, plus who asks and from where."""

    principal: Principal
    city: object = None
    latitude: object = None
    longitude: object = None
    country: object = None
    variables: object = None
    providers: object = None
    export_format: object = None
    client: ClientInfo = ClientInfo(None, None)


@frozen
class CurrentQueryResult:
    """The stored query, the consensus per variable and each provider's normalised reading."""

    query: WeatherQuery
    where: ResolvedLocation
    consensus: Mapping[str, ConsensusValue]
    outcomes: Mapping[str, ProviderOutcome]
    instant: datetime | None
    origins: Mapping[str, Mapping[str, Mapping[str, Any]]]


@frozen
class RunCurrentQuery:
    """Validate, store pendiente → procesando, fan out, combine, store completada or error."""

    engine: QueryEngine

    def __call__(self, cmd: RunCurrentQueryCommand) -> CurrentQueryResult:
        require(cmd.principal, Permission.RUN_QUERY)
        engine = self.engine
        variables = parse_variables(cmd.variables)
        names = parse_providers(cmd.providers, list(engine.providers))
        names = tuple(n for n in names if engine.providers[n].capabilities.current)
        export_format = parse_format(cmd.export_format)
        where = engine.resolve_location(
            LocationRequest(cmd.city, cmd.latitude, cmd.longitude, cmd.country),
            cmd.principal.user_id,
        )
        params: dict[str, Any] = {"parametros": list(variables), "proveedores": list(names)}
        query = engine.start(
            cmd.principal, QueryType.CURRENT, where, export_format, params, cmd.client.ip
        )
        started = engine.timer()
        try:
            return self._run(query, where, variables, names, started)
        except Exception:
            engine.abandon(query, started)
            raise

    def _run(self, query, where, variables, names, started) -> CurrentQueryResult:
        engine = self.engine
        outcomes = engine.ask(
            query.user_id, names, lambda p, c: p.current(where.location, variables, c)
        )
        answers = {name: _answer(o) for name, o in outcomes.items()}
        latest = {n: o.readings[-1] for n, o in outcomes.items() if o.ok and o.readings}
        if not latest:
            engine.fail(query, started, answers, "sin_respuesta_de_proveedores")
        failed = {n: o.reason for n, o in outcomes.items() if not o.ok}
        failed.update({n: "sin_dato" for n, o in outcomes.items() if o.ok and not o.readings})
        kinds = {n: o.kind for n, o in outcomes.items() if o.kind}
        consensus, origins = combine_readings(
            latest, failed, variables, kinds, where.location.elevation
        )
        instant = max(r.instant for r in latest.values())
        engine.finish(query, started, answers)
        query = attrs.evolve(query, status=QueryStatus.COMPLETED)  # only once it is stored
        point = SeriesPoint(instant, consensus, origins=origins)
        used = sorted({s for value in consensus.values() for s in value.sources})
        with engine.uow() as uow:
            uow.queries.update(query)
            uow.queries.save_result(
                query.id,
                summarise([point], variables),
                used,
                {"consenso": consensus, "origenes": origins},
            )
            uow.commit()
        return CurrentQueryResult(query, where, consensus, outcomes, instant, origins)


def _answer(outcome: ProviderOutcome) -> dict[str, Any]:
    summary = outcome_summary(outcome)
    if outcome.ok and outcome.readings:
        reading = outcome.readings[-1]
        summary["instante"] = reading.instant.isoformat()
        summary["valores"] = dict(reading.values)
        if reading.provenance:
            summary["procedencia"] = {k: dict(v) for k, v in reading.provenance.items()}
        if reading.missing_reasons:
            summary["sin_valor"] = dict(reading.missing_reasons)
    return summary
