"""Where an export's time goes, in-process on the benchmark's database (no HTTP, no gunicorn).

- `raw read`: the series rows as the driver returns them (JSON still text);
- `iter_series`: the repository's stream (SQLAlchemy decodes `datos` and `lecturas` per row);
- `CSV export`: ExportQuery + CsvExporter, the whole download minus HTTP;
- `valor projection`: only the `valor` of each variable, extracted by the database
  (json_extract / JSON_VALUE): a prototype of what a repository method for exports could read.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import sqlalchemy as sa

from adapters.exporters import default_exporters
from adapters.sql.engine import make_engine
from adapters.sql.uow import SqlAlchemyUnitOfWork
from domain.model.permissions import Principal
from domain.model.users import Role
from domain.use_cases.export_query import ExportQuery, ExportQueryCommand

ADMIN = Principal(0, "bench", Role.ADMIN, "-", "-", 0.0)


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def breakdown(url: str, query_id: int, variables: list[str]) -> dict[str, float]:
    engine = make_engine(url)
    mysql = engine.dialect.name in ("mysql", "mariadb")
    extract = "JSON_VALUE(datos, '$.{}.valor')" if mysql else "json_extract(datos, '$.{}.valor')"
    projection = ", ".join(extract.format(v) for v in variables)
    where = "FROM series_clima WHERE consulta_id = :qid ORDER BY instante"
    raw = f"SELECT instante, datos, lecturas {where}"
    projected = f"SELECT instante, {projection} {where}"
    export = ExportQuery(lambda: SqlAlchemyUnitOfWork(engine), default_exporters(), _now)

    def drain(sql: str, numbers: bool = False) -> None:
        with engine.connect() as conn:
            rows = conn.execution_options(yield_per=1000).execute(sa.text(sql), {"qid": query_id})
            for row in rows:
                if numbers and mysql:  # JSON_VALUE answers text
                    [float(v) if v is not None else None for v in row[1:]]

    def iterate() -> None:
        with SqlAlchemyUnitOfWork(engine) as uow:
            for _ in uow.queries.iter_series(query_id):
                pass

    def whole_csv() -> None:
        for _ in export(ExportQueryCommand(ADMIN, query_id, "csv")).chunks:
            pass

    try:
        drain(raw)  # warm the page cache
        return {
            "raw read": _timed(lambda: drain(raw)),
            "iter_series": _timed(iterate),
            "CSV export": _timed(whole_csv),
            "valor projection": _timed(lambda: drain(projected, numbers=True)),
        }
    finally:
        engine.dispose()


def _now() -> datetime:
    return datetime.now(UTC)
