"""Documents to export and parsers that read the exports back."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs

from adapters.sql import stored
from domain.model.location import Location
from domain.model.queries import (
    ExportFormat,
    QueryParameters,
    QueryStatus,
    QueryType,
    SeriesPoint,
    WeatherQuery,
)
from domain.model.readings import Granularity
from domain.model.results import QueryResult
from domain.use_cases.export_query import build_document
from ports.exporters import ExportDocument, ExportOptions

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
START = datetime(2025, 1, 1, 5, 0, tzinfo=UTC)  # local midnight in Bogotá


def make_query(
    query_type: QueryType,
    variables: Iterable[str],
    providers: Iterable[str] = ("a", "b"),
    city: str | None = "Bogotá",
    answers: Mapping[str, Any] | None = None,
) -> WeatherQuery:
    params = QueryParameters(tuple(variables), tuple(providers))
    if query_type is QueryType.HISTORY:
        params = attrs.evolve(params, granularity=Granularity.HOURLY, timezone="America/Bogota")
    return WeatherQuery(
        id=7,
        user_id=1,
        query_type=query_type,
        location=Location(4.60971, -74.08175, city),
        export_format=ExportFormat.JSON,
        parameters=params,
        status=QueryStatus.COMPLETED,
        created_at=NOW,
        start_date=date(2025, 1, 1) if query_type is QueryType.HISTORY else None,
        end_date=date(2025, 12, 31) if query_type is QueryType.HISTORY else None,
        provider_answers=stored.reports_of(answers or {p: {"estado": "ok"} for p in providers}),
        completed_at=NOW,
    )


def typed_result(result: Mapping[str, Any]) -> QueryResult:
    """A datos_clima fixture in its stored form, read the way the sql adapter reads it."""
    return stored.result_of(result.get("fuentes_utilizadas"), result)


def point(row: Mapping[str, Any]) -> SeriesPoint:
    """A series_clima fixture row ({"instante", "datos", "lecturas"}) as the domain's point."""
    consensus, origins = stored.consensus_map_of(row["datos"])
    return SeriesPoint(row["instante"], consensus, row.get("lecturas") or {}, origins)


def stored_form(datos: Mapping[str, Any]) -> dict[str, Any]:
    """A consensus map exactly as the sql adapter writes it (procedencia, descripcion)."""
    return stored.consensus_map_doc(*stored.consensus_map_of(datos))


def document(
    query: WeatherQuery,
    result: Mapping[str, Any],
    series: Iterable[Mapping[str, Any]] = (),
    **options: Any,
) -> ExportDocument:
    points = (point(row) for row in series)
    options_ = ExportOptions(**options)
    return build_document(query, typed_result(result), points, options_, NOW)


def hourly_rows(count: int, variables: Iterable[str] = ("temperatura",)) -> Iterable[dict]:
    """A synthetic stored series, generated lazily (only a day's worth of values is shared)."""
    names = list(variables)
    cycle = []
    for step in range(240):
        value = round(10 + step / 10, 1)
        datos = {
            n: {
                "valor": value,
                "unidad": "°C",
                "min": value - 1,
                "max": value + 1,
                "desviacion": 0.5,
                "n_fuentes": 2,
                "fuentes": ["a", "b"],
                "descartadas": [],
            }
            for n in names
        }
        lecturas = {"a": {n: value - 1 for n in names}, "b": {n: value + 1 for n in names}}
        cycle.append((datos, lecturas))
    for i in range(count):
        datos, lecturas = cycle[i % 240]
        yield {"instante": START + timedelta(hours=i), "datos": datos, "lecturas": lecturas}


def read_csv(text: str, separator: str = ",") -> tuple[list[list[str]], list[list[str]]]:
    """(header block records, data table with its title row first)."""
    records = list(
        csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=separator)
    )
    blank = next(i for i, r in enumerate(records) if not any(r))
    return records[:blank], records[blank + 1 :]


def number(cell: str, separator: str = ",") -> float | None:
    """A CSV number cell back to a float; "" is missing."""
    if cell == "":
        return None
    return float(cell.replace(",", ".") if separator == ";" else cell)
