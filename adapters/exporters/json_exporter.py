"""JSON: the header block ("exportacion"), then the document GET /api/consultas/{id} returns,
with the whole series written point by point instead of its first page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from adapters import wire
from adapters.exporters import common
from domain.model.queries import ExportFormat, SeriesPoint
from ports.exporters import ExportDocument


def dumps(value: Any) -> str:
    """Strict JSON (UTF-8 text); a stray NaN or infinity is written as null."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return json.dumps(common.clean(value), ensure_ascii=False, allow_nan=False)


def head(document: ExportDocument) -> dict[str, Any]:
    """Everything before the series, in the API's field names (JSON and YAML share it)."""
    query = document.query
    doc: dict[str, Any] = {
        "exportacion": common.header(document, None),
        "consulta": wire.query(query),
        "fuentes_utilizadas": list(document.result.sources_used),
        "proveedores": wire.reports(query.provider_answers),
    }
    if document.is_forecast:
        forecast = document.result.forecast
        doc["pronostico"] = wire.forecast(forecast, query.parameters, common.zone(document))
    if document.is_history:
        doc["resumen"] = common.summary_doc(document)
    else:
        doc["datos"] = {"consenso": common.consensus_doc(document)}
    return doc


def points(document: ExportDocument) -> Iterator[dict[str, Any]]:
    """The series as the API writes it: local instant and consensus (+ lecturas on detail)."""
    tz = common.zone(document)
    detail = document.options.by_provider
    for row in document.series:
        assert isinstance(row, SeriesPoint)  # full_series: the whole consensus
        point = {
            "instante": row.instant.astimezone(tz).isoformat(),
            "consenso": wire.consensus_map(row.consensus, row.origins),
        }
        if detail:
            point["lecturas"] = {k: dict(v) for k, v in row.by_provider.items()}
        yield point


class JsonExporter(
    common.Exporter, format=ExportFormat.JSON, media_type="application/json", full_series=True
):
    """JsonExporter: one object, written incrementally; the series never sits in memory."""

    def export(self, document: ExportDocument) -> Iterator[str]:
        opening = dumps(head(document))[:-1]  # the head object, left open
        if not document.is_history:
            yield opening + "}\n"
            return
        yield opening + ', "serie": ['
        total = 0
        for point in points(document):
            yield ("\n" if total == 0 else ",\n") + dumps(point)
            total += 1
        yield f'\n], "serie_total": {total}, "serie_truncada": false}}\n'
