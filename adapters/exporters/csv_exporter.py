"""CSV (RFC 4180, UTF-8): a key/value header block, a blank record, then the data table.

Every record has the same number of fields. With separador ';' numbers use a decimal comma
and the file starts with a UTF-8 BOM, so spreadsheets in Spanish locales open it as is. Text
cells that begin with = + - @ or a tab/CR get a leading apostrophe (formula injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

from adapters.exporters import common
from domain.model.queries import ExportFormat
from ports.exporters import ExportDocument

FLUSH_AT = 64 * 1024  # characters buffered before a chunk is handed to the server
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPED_START = (*FORMULA_START, "'")
BOM = "\ufeff"
CURRENT_COLUMNS = (
    "variable",
    "valor",
    "unidad",
    "min",
    "max",
    "desviacion",
    "n_fuentes",
    "fuentes",
)


def text_cell(value: str) -> str:
    """A text cell that no spreadsheet will run as a formula (OWASP CSV injection: a leading
    apostrophe). A text that already starts with one gets another, so the rule reverses: a
    reader strips exactly one leading apostrophe, and "'=" is never read back as "="."""
    return "'" + value if value.startswith(ESCAPED_START) else value


class CsvExporter(common.Exporter, format=ExportFormat.CSV, media_type="text/csv"):
    """CsvExporter: the series is written row by row through a small reusable buffer."""

    def export(self, document: ExportDocument) -> Iterator[str]:
        separator = document.options.separator
        comma = separator == ";"
        number_text = common.number_formatter(document.decimals, comma)

        def cell(value: Any) -> str:
            if value is None:
                return ""
            return text_cell(value) if isinstance(value, str) else number_text(value)

        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
        if document.is_history:
            columns = common.series_columns(document)
            titles = ["instante", *(c.title for c in columns)]
        else:
            columns, titles = [], list(CURRENT_COLUMNS)
        meta = _header_records(document, cell, lambda v: common.number_text(v, 8, comma))
        width = max(len(titles), *(len(r) for r in meta))
        if comma:
            buffer.write(BOM)
        for record in meta:
            writer.writerow(_pad(record, width))
        writer.writerow(_pad([], width))
        writer.writerow(_pad([text_cell(t) for t in titles], width))
        if document.is_history:
            pad = [""] * (width - len(titles))
            for instant, values in common.series_rows(document, columns):
                writer.writerow([instant, *map(number_text, values), *pad])
                if buffer.tell() >= FLUSH_AT:
                    yield _drain(buffer)
        else:
            for name, value in common.consensus_rows(document):
                unit = value.get("unidad") or document.units.get(name, "")
                record = [name, value.get("valor"), unit]
                record += [value.get(k) for k in ("min", "max", "desviacion", "n_fuentes")]
                record.append(common.sources_with_kinds(value, document.source_kinds))
                writer.writerow(_pad([cell(v) for v in record], width))
        yield _drain(buffer)


def _header_records(
    document: ExportDocument, cell: Callable[[Any], str], coordinate: Callable[[Any], str]
) -> list[list[str]]:
    """The header block as records: [key, value], [unidad, variable, unit], [key, a, b, ...]."""
    records: list[list[Any]] = []
    for key, value in common.header(document, document.decimals).items():
        if key == "unidades":
            records += [["unidad", name, unit] for name, unit in value.items()]
        elif key == "fuentes_utilizadas":
            records.append([key, *value])
        elif key == "fuentes_rechazadas":
            records += [["fuente_rechazada", name, why] for name, why in value.items()]
        elif key == "horizontes":
            records += [["horizonte", name, limit] for name, limit in value.items()]
        elif key == "tipos_de_fuente":
            records += [["tipo_de_fuente", name, kind] for name, kind in value.items()]
        elif key == "metodos":
            records += [["metodo", name, how] for name, how in value.items()]
        elif key == "alertas":
            records += [["alerta", a["tipo"], common.alert_line(a)] for a in value]
        elif key in ("latitud", "longitud"):  # stored with 8 decimals: keep them all
            records.append([key, _Formatted(coordinate(value))])
        else:
            records.append([key, value])
    return [[v if isinstance(v, _Formatted) else cell(v) for v in r] for r in records]


class _Formatted(str):
    """A number already written as text (never escaped as a formula)."""


def _pad(record: list[str], width: int) -> list[str]:
    return record + [""] * (width - len(record))


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate(0)
    return text
