"""Long series are streamed: the exporters' memory stays flat from 30 to 100 000 rows."""

from __future__ import annotations

import tracemalloc

import pytest

from adapters.exporters import CsvExporter, JsonExporter, TxtExporter, YamlExporter
from domain.model.queries import QueryType
from tests.unit.exporters.helpers import document, hourly_rows, make_query

VARIABLES = ("temperatura", "humedad_relativa", "precipitacion")
SLACK = 1024 * 1024  # bytes of peak allowed above the 30-row export


def peak_while_exporting(exporter, rows: int, **options) -> tuple[int, int, int]:
    """(peak traced bytes, characters written, chunks) of one export, chunks discarded."""
    query = make_query(QueryType.HISTORY, VARIABLES)
    doc = document(
        query, {"fuentes_utilizadas": ["a", "b"]}, hourly_rows(rows, VARIABLES), **options
    )
    written = chunks = 0
    tracemalloc.start()
    try:
        for chunk in exporter.export(doc):
            written += len(chunk)
            chunks += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, written, chunks


def test_csv_memory_is_flat_from_30_to_100_000_rows():
    small, _, _ = peak_while_exporting(CsvExporter(), 30, separator=";")
    large, written, chunks = peak_while_exporting(CsvExporter(), 100_000, separator=";")
    assert written > 3 * SLACK  # the file is far bigger than what was held at once
    assert chunks > 50
    assert large < small + SLACK, (small, large)


@pytest.mark.parametrize(
    "exporter", [CsvExporter(), JsonExporter(), TxtExporter(), YamlExporter()], ids=type
)
def test_other_formats_stream_too(exporter):
    rows = 2_000 if isinstance(exporter, YamlExporter) else 20_000
    small, _, _ = peak_while_exporting(exporter, 30, by_provider=True)
    large, written, chunks = peak_while_exporting(exporter, rows, by_provider=True)
    assert chunks > 1 and written / chunks < 256 * 1024  # handed over piece by piece
    assert large < small + SLACK, (small, large, written)
