"""GET /api/consultas/{id}/descargar: a completed query as a file, its series streamed."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping
from datetime import datetime
from typing import Any

from attrs import frozen

from domain.errors import Conflict, NotFound, ValidationError
from domain.model.permissions import Permission, Principal, can, require
from domain.model.queries import ExportFormat, QueryStatus, QueryType, WeatherQuery
from domain.model.query_input import parse_format
from domain.model.variables import VARIABLES
from domain.use_cases.get_query import visible
from ports.clock import Clock
from ports.exporters import SEPARATORS, ExportDocument, Exporter, ExportOptions
from ports.repositories import UnitOfWork

DETAIL_BY_PROVIDER = "fuentes"


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
        if not can(cmd.principal, Permission.READ_ALL_QUERIES):
            require(cmd.principal, Permission.READ_OWN_QUERIES)
        chosen = parse_format(cmd.export_format) if cmd.export_format is not None else None
        options = ExportOptions(_separator(cmd.separator), _by_provider(cmd.detail))
        with self.uow() as uow:
            query = uow.queries.get(cmd.query_id)
            if not visible(cmd.principal, query):
                raise NotFound("la consulta no existe", code="consulta_no_encontrada")
            assert query is not None and query.id is not None
            if query.status is not QueryStatus.COMPLETED:
                raise Conflict(
                    f"la consulta está '{query.status.value}'; solo se descargan consultas "
                    "completadas",
                    code="consulta_no_completada",
                    details={"estado": query.status.value},
                )
            result = uow.queries.get_result(query.id) or {}
        exporter = self.exporters.get(chosen or query.export_format)
        if exporter is None:
            raise ValidationError("formato no disponible", details={"formato": "no_disponible"})
        series = (
            self._series(query.id, exporter.full_series, options.by_provider)
            if query.query_type is QueryType.HISTORY
            else _empty()
        )
        document = build_document(query, result, series, options, self.clock())
        return Download(
            f"consulta_{query.id}.{exporter.extension}",
            exporter.media_type,
            _stream(exporter.export(document), series),
        )

    def _series(
        self, query_id: int, full: bool, by_provider: bool
    ) -> Generator[Mapping[str, Any], None, None]:
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


def _empty() -> Generator[Mapping[str, Any], None, None]:
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
    query: WeatherQuery,
    result: Mapping[str, Any],
    series: Generator[Mapping[str, Any], None, None],
    options: ExportOptions,
    now: datetime,
) -> ExportDocument:
    """The header facts of a query: variables and units, zone, sources used and rejected."""
    params = query.parameters or {}
    answers: Mapping[str, Any] = query.provider_answers or {}
    data = result.get("consenso") or result.get("resumen") or {}
    names = [n for n in params.get("parametros") or [] if isinstance(n, str)] or list(data)
    units = {n: VARIABLES[n].unit if n in VARIABLES else _unit(data.get(n)) for n in names}
    asked = list(dict.fromkeys([*(params.get("proveedores") or []), *answers]))
    used = tuple(result.get("fuentes_utilizadas") or ())
    history = query.query_type is QueryType.HISTORY
    return ExportDocument(
        query=query,
        variables=tuple(names),
        units=units,
        timezone=str(params.get("zona_horaria") or "America/Bogota") if history else "UTC",
        sources_used=used,
        sources_rejected={p: _rejection(p, answers.get(p), data) for p in asked if p not in used},
        providers=tuple(p for p in asked if (answers.get(p) or {}).get("estado") == "ok"),
        generated_at=now,
        source_kinds={
            p: str(a["tipo"])
            for p, a in answers.items()
            if isinstance(a, Mapping) and a.get("tipo")
        },
        data_instant=None if history else _latest(answers),
        result=dict(result),
        series=series,
        options=options,
    )


def _unit(value: object) -> str:
    return str(value.get("unidad") or "") if isinstance(value, Mapping) else ""


def _rejection(provider: str, answer: Any, consensus: Mapping[str, Any]) -> str:
    """Why a provider gave nothing that was used: its error, or the reasons it was discarded."""
    if isinstance(answer, Mapping) and answer.get("estado") == "error":
        reason, code = answer.get("motivo") or "error", answer.get("codigo")
        return f"{reason} ({code})" if code and code != reason else str(reason)
    if answer is None:
        return "sin_respuesta"
    reasons = sorted(
        {
            str(d.get("motivo"))
            for value in consensus.values()
            if isinstance(value, Mapping)
            for d in value.get("descartadas") or ()
            if isinstance(d, Mapping) and d.get("fuente") == provider
        }
    )
    return "descartada" + (f" ({', '.join(reasons)})" if reasons else "")


def _latest(answers: Mapping[str, Any]) -> datetime | None:
    """The newest provider reading of a current query (the consensus instant)."""
    instants = []
    for answer in answers.values():
        raw = answer.get("instante") if isinstance(answer, Mapping) else None
        if isinstance(raw, str):
            try:
                instants.append(datetime.fromisoformat(raw))
            except ValueError:
                continue
    return max(instants) if instants else None
