"""GET /api/consultas/{id}/descargar: a completed query as a file, its series streamed."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping
from datetime import datetime

from attrs import frozen

from domain.errors import Conflict, ValidationError
from domain.model.agro.derive import method_notes
from domain.model.permissions import Principal
from domain.model.queries import (
    ExportFormat,
    QueryParameters,
    QueryStatus,
    SeriesPoint,
    WeatherQuery,
)
from domain.model.query_input import parse_format
from domain.model.readings import Granularity
from domain.model.results import ProviderReport, QueryResult, SeriesValues
from domain.model.variables import AGRO_VARIABLE_NAMES, DAILY_ONLY_NAMES, VARIABLES
from domain.use_cases.get_query import readable_query
from ports.clock import Clock
from ports.exporters import SEPARATORS, ExportDocument, Exporter, ExportOptions
from ports.repositories import UnitOfWork

DETAIL_BY_PROVIDER = "fuentes"
Rows = Generator[SeriesPoint | SeriesValues, None, None]


@frozen
class ExportQueryCommand:
    """Who asks for which query, and the query-string options, unvalidated."""

    principal: Principal
    query_id: int
    export_format: object = None  # ?formato= (default: the query's formato_salida)
    separator: object = None  # ?separador= , or ;
    detail: object = None  # ?detalle=fuentes


@frozen
class Download:
    """A file ready to stream. Iterate `chunks` once; closing it releases the unit of work."""

    filename: str
    media_type: str
    chunks: Generator[str, None, None]


@frozen
class ExportQuery:
    """Check visibility and state before the first byte; then stream header and data."""

    uow: Callable[[], UnitOfWork]
    exporters: Mapping[ExportFormat, Exporter]
    clock: Clock
    read_uow: Callable[[], UnitOfWork] | None = None

    def __call__(self, cmd: ExportQueryCommand) -> Download:
        chosen = parse_format(cmd.export_format) if cmd.export_format is not None else None
        options = ExportOptions(_separator(cmd.separator), _by_provider(cmd.detail))
        query, result = self._completed(cmd)
        assert query.id is not None
        exporter = self.exporters.get(chosen or query.export_format)
        if exporter is None:
            raise ValidationError("formato no disponible", details={"formato": "no_disponible"})
        # Farm variables have no fast-path column: their rows come with the whole consensus.
        full = exporter.full_series or any(
            v in AGRO_VARIABLE_NAMES for v in query.parameters.variables
        )
        series = (
            self._series(query.id, full, options.by_provider)
            if query.query_type.has_series
            else _empty()
        )
        document = build_document(query, result, series, options, self.clock())
        return Download(
            f"consulta_{query.id}.{exporter.extension}",
            exporter.media_type,
            _stream(exporter.export(document), series),
        )

    def _completed(self, cmd: ExportQueryCommand) -> tuple[WeatherQuery, QueryResult]:
        with self.uow() as uow:
            query = readable_query(uow, cmd.principal, cmd.query_id)
            if query.status is not QueryStatus.COMPLETED:
                raise Conflict(
                    f"la consulta está '{query.status.value}'; solo se descargan consultas "
                    "completadas",
                    code="consulta_no_completada",
                    details={"estado": query.status.value},
                )
            assert query.id is not None
            return query, uow.queries.get_result(query.id) or QueryResult(())

    def _series(self, query_id: int, full: bool, by_provider: bool) -> Rows:
        """The stored series, read inside its own read-only unit of work, opened on the first
        row only (so a download never holds a write lock while it streams)."""
        with (self.read_uow or self.uow)() as uow:
            if full:
                yield from uow.queries.iter_series(query_id)
            else:
                yield from uow.queries.iter_series_values(query_id, with_readings=by_provider)


def _stream(chunks: Iterator[str], series: Generator) -> Generator[str, None, None]:
    try:
        yield from chunks
    finally:
        series.close()  # a client that hangs up early must not keep the connection


def _empty() -> Rows:
    yield from ()


def _separator(raw: object) -> str:
    if raw is None:
        return ","
    if raw not in SEPARATORS:
        raise ValidationError("separador debe ser ',' o ';'", details={"separador": "invalido"})
    return str(raw)


def _by_provider(raw: object) -> bool:
    if raw is None:
        return False
    if raw != DETAIL_BY_PROVIDER:
        raise ValidationError("detalle solo admite 'fuentes'", details={"detalle": "invalido"})
    return True


def build_document(
    query: WeatherQuery, result: QueryResult, series: Rows, options: ExportOptions, now: datetime
) -> ExportDocument:
    """The header facts of a query: variables and units, zone, sources used and rejected."""
    params = query.parameters
    answers: Mapping[str, ProviderReport] = query.provider_answers or {}
    data = result.consensus or result.summary or {}
    names = _columns(params, data)
    units = {n: VARIABLES[n].unit if n in VARIABLES else _unit(data, n) for n in names}
    asked = list(dict.fromkeys([*params.providers, *answers]))
    used = result.sources_used
    history = query.query_type.has_series
    return ExportDocument(
        query=query,
        variables=tuple(names),
        units=units,
        timezone=str(params.timezone or "America/Bogota") if history else "UTC",
        sources_used=used,
        sources_rejected={p: _rejection(p, answers.get(p), result) for p in asked if p not in used},
        providers=tuple(p for p in asked if p in answers and answers[p].ok),
        generated_at=now,
        source_kinds={p: str(a.kind) for p, a in answers.items() if a.kind},
        data_instant=None if history else _latest(answers),
        result=result,
        series=series,
        options=options,
        methods=method_notes(names, params.extra),
        alerts=result.alerts,
    )


def _columns(params: QueryParameters, data: Mapping) -> list[str]:
    """The variables asked (else those stored); a day's value is in no hourly step."""
    names = [n for n in params.variables if isinstance(n, str)] or list(data)
    if params.granularity is Granularity.HOURLY:
        names = [n for n in names if n not in DAILY_ONLY_NAMES]
    return names


def _unit(data: Mapping, name: str) -> str:
    value = data.get(name)
    return str(value.unit or "") if value is not None else ""


def _rejection(provider: str, report: ProviderReport | None, result: QueryResult) -> str:
    """Why a provider gave nothing that was used: its error, or the reasons it was discarded."""
    if report is not None and not report.ok:
        reason, code = report.reason or "error", report.code
        return f"{reason} ({code})" if code and code != reason else str(reason)
    if report is None:
        return "sin_respuesta"
    reasons = sorted(
        {
            str(d.reason)
            for value in (result.consensus or {}).values()
            for d in value.discarded
            if d.source == provider
        }
    )
    return "descartada" + (f" ({', '.join(reasons)})" if reasons else "")


def _latest(answers: Mapping[str, ProviderReport]) -> datetime | None:
    """The newest provider reading of a current query (the consensus instant)."""
    instants = [a.instant for a in answers.values() if a.instant is not None]
    return max(instants) if instants else None
