"""The raw rows of consultas, datos_clima and series_clima, normalised like the golden session."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from tests.golden.recorder import Ids, normalise

# Read with plain SQL, not through adapters/sql/tables.py: what is in the file, whatever the
# adapter's table objects say after the refactoring.
TABLES = ("consultas", "datos_clima", "series_clima")
JSON_COLUMNS = {
    "parametros_solicitados",
    "respuesta_api",
    "fuentes_utilizadas",
    "datos_completos",
    "datos",
    "lecturas",
}
# Filled by the database's own clock (server default) or by time.perf_counter: per-run values.
# The instants written from the application's (fixed) clock stay as stored.
WALL_CLOCK_COLUMNS = {"guardado_en", "tiempo_respuesta_ms"}


def stored_rows(engine: sa.Engine, ids: Ids) -> dict[str, list[dict[str, Any]]]:
    """Every row of the query tables, in id order, each column as SQLite holds it."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in TABLES:
            rows = conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).mappings()
            tables[table] = [_row(dict(row), ids) for row in rows]
    return tables


def _row(row: dict[str, Any], ids: Ids) -> dict[str, Any]:
    return {column: _column(column, value, ids) for column, value in row.items()}


def _column(column: str, value: Any, ids: Ids) -> Any:
    if value is None:
        return None
    if column in WALL_CLOCK_COLUMNS:
        return "<ts>"
    if column == "id" or column.endswith("_id"):
        return ids(value)
    if column in JSON_COLUMNS:
        # Parsed, then the recorder's rules: ids, latencies and wall-clock keys inside.
        return normalise(json.loads(value) if isinstance(value, str) else value, ids)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
