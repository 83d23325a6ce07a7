"""Where an export's time goes, in-process on the benchmark's database (no HTTP, no gunicorn).

- `raw JSON read`: `instante, datos, lecturas` as the driver returns them (JSON still text);
- `iter_series`: the repository's full stream (SQLAlchemy decodes `datos` and `lecturas` per
  row): what JSON and YAML downloads, and CSV/TXT with `detalle=fuentes` (lecturas), read;
- `raw values read`: `instante` and the 14 Float value columns of migration 0003, as the driver
  returns them;
- `iter_series_values`: the repository's stream of those columns, what CSV and TXT read;
- `CSV export`: ExportQuery (with the read-only unit of work, as the container wires it) +
  CsvExporter, the whole download minus HTTP.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import sqlalchemy as sa

from adapters.exporters import default_exporters
from adapters.sql.engine import make_engine
from adapters.sql.tables import SERIES_VALUE_COLUMNS
from adapters.sql.uow import SqlAlchemyUnitOfWork
from domain.model.permissions import Principal
from domain.model.users import Role
from domain.use_cases.export_query import ExportQuery, ExportQueryCommand

ADMIN = Principal(0, "bench", Role.ADMIN, "-", "-", 0.0)


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def breakdown(url: str, query_id: int) -> dict[str, float]:
    engine = make_engine(url)
    where = "FROM series_clima WHERE consulta_id = :qid ORDER BY instante"
    raw_json = f"SELECT instante, datos, lecturas {where}"
    raw_values = f"SELECT instante, {', '.join(SERIES_VALUE_COLUMNS)} {where}"
    export = ExportQuery(
        lambda: SqlAlchemyUnitOfWork(engine),
        default_exporters(),
        _now,
        read_uow=lambda: SqlAlchemyUnitOfWork(engine, read_only=True),
    )

    def drain(sql: str) -> None:
        with engine.connect() as conn:
            rows = conn.execution_options(yield_per=1000).execute(sa.text(sql), {"qid": query_id})
            for _ in rows:
                pass

    def iterate(values: bool) -> None:
        with SqlAlchemyUnitOfWork(engine, read_only=True) as uow:
            rows = (
                uow.queries.iter_series_values(query_id)
                if values
                else uow.queries.iter_series(query_id)
            )
            for _ in rows:
                pass

    def whole_csv() -> None:
        for _ in export(ExportQueryCommand(ADMIN, query_id, "csv")).chunks:
            pass

    try:
        drain(raw_json)  # warm the page cache
        return {
            "raw JSON read": _timed(lambda: drain(raw_json)),
            "iter_series": _timed(lambda: iterate(values=False)),
            "raw values read": _timed(lambda: drain(raw_values)),
            "iter_series_values": _timed(lambda: iterate(values=True)),
            "CSV export": _timed(whole_csv),
        }
    finally:
        engine.dispose()


def _now() -> datetime:
    return datetime.now(UTC)
