"""consultas, datos_clima and series_clima: queries, their summary and their series."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
import orjson
import sqlalchemy as sa

from adapters import wire_json
from adapters.identity_memo import IdentityMemo
from adapters.sql import stored
from adapters.sql.engine import from_db, to_db
from adapters.sql.tables import (
    SERIES_VALUE_COLUMNS,
    consultas,
    datos_clima,
    series_clima,
    usuarios,
)
from domain.model.location import Location
from domain.model.queries import (
    ABANDONED,
    ExportFormat,
    QueryStatus,
    QueryType,
    SeriesPoint,
    SummaryValue,
    WeatherQuery,
)
from domain.model.results import ProviderReport, QueryResult, SeriesValues
from domain.model.statistics import CityCount, QueryStatistics, UserQueryTotals
from domain.model.weather_codes import describe, is_known
from ports.repositories import QueryFilter

# datos_clima summary columns: (column, variable, statistic, decimals or None for integers)
SUMMARY_COLUMNS = (
    ("temperatura_promedio", "temperatura", "mean", 2),
    ("temperatura_min", "temperatura", "minimum", 2),
    ("temperatura_max", "temperatura", "maximum", 2),
    ("presion_atmosferica", "presion_atmosferica", "mean", 2),
    ("humedad_relativa", "humedad_relativa", "mean", None),
    ("velocidad_viento", "velocidad_viento", "mean", 2),
    ("direccion_viento", "direccion_viento", "mean", None),
    ("precipitacion", "precipitacion", "mean", 2),
    ("visibilidad", "visibilidad", "mean", None),
    ("indice_uv", "indice_uv", "mean", 2),
)
SERIES_BATCH = 2000
_NON_STR = orjson.OPT_NON_STR_KEYS
# series_clima rows with datos and lecturas given as JSON text (not encoded again).
_INSERT_SERIES = series_clima.insert().values(
    datos=sa.bindparam("datos", type_=sa.Text()),
    lecturas=sa.bindparam("lecturas", type_=sa.Text()),
)


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _series_row(p: SeriesPoint) -> dict[str, Any]:
    """A point's series_clima row but its query id: datos is the step's document as the
    response has it (adapters/wire_json), lecturas each provider's values."""
    consensus = p.consensus
    row = {
        "instante": to_db(p.instant),
        "datos": wire_json.consensus_map_json(p),
        "lecturas": orjson.dumps(p.by_provider, default=dict, option=_NON_STR).decode(),
    }
    for name in SERIES_VALUE_COLUMNS:
        value = consensus.get(name)
        if value is not None:
            value = value.value
            value = value if value.__class__ is float else _float(value)
        row[name] = value
    return row


_SERIES_ROWS: IdentityMemo[dict[str, Any]] = IdentityMemo()


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, Decimal) else value


def _query(row: sa.Row) -> WeatherQuery:
    return WeatherQuery(
        **_listed_fields(row),
        provider_answers=stored.reports_of(row.respuesta_api),
        client_ip=row.ip_origen,
    )


# What a listing shows of each query: everything but the stored provider answers and the
# caller's address (a row's largest column, decoded for nothing).
LISTED = [c for c in consultas.c if c.name not in ("respuesta_api", "ip_origen")]


def _listed_fields(row: sa.Row) -> dict[str, Any]:
    return {
        "id": row.id,
        "user_id": row.usuario_id,
        "query_type": QueryType(row.tipo_consulta),
        "location": Location(_number(row.latitud), _number(row.longitud), row.ciudad),
        "export_format": ExportFormat(row.formato_salida),
        "parameters": stored.parameters_of(row.parametros_solicitados),
        "status": QueryStatus(row.estado),
        "created_at": from_db(row.creada_en),
        "start_date": row.fecha_inicio,
        "end_date": row.fecha_fin,
        "error_code": row.mensaje_error,
        "response_ms": row.tiempo_respuesta_ms,
        "completed_at": from_db(row.completada_en),
    }


def _listed(row: sa.Row) -> WeatherQuery:
    return WeatherQuery(**_listed_fields(row))


# Built once: the values travel as execute parameters, so SQLAlchemy neither rebuilds the
# statement nor recomputes its cache key on every query (a fifth of a cached tiempo-real).
_INSERT = consultas.insert()
_UPDATE = consultas.update().where(consultas.c.id == sa.bindparam("p_id"))
_INSERT_RESULT = datos_clima.insert()


def _rounded(value: float | None, decimals: int | None) -> float | int | None:
    if value is None:
        return None
    return round(value) if decimals is None else round(value, decimals)


class SqlAlchemyQueryRepository:
    """Row ↔ WeatherQuery mapping; the series is written in batches and read as a stream."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn

    def add(self, query: WeatherQuery) -> WeatherQuery:
        result = self._conn.execute(_INSERT, self._values(query))
        query.id = int(result.inserted_primary_key[0])
        return query

    def _values(self, q: WeatherQuery) -> dict[str, Any]:
        return {
            "usuario_id": q.user_id,
            "tipo_consulta": q.query_type.value,
            "ciudad": (q.location.city or None) and q.location.city[:100],
            "latitud": Decimal(str(round(q.location.latitude, 8))),
            "longitud": Decimal(str(round(q.location.longitude, 8))),
            "fecha_inicio": q.start_date,
            "fecha_fin": q.end_date,
            "formato_salida": q.export_format.value,
            "parametros_solicitados": stored.parameters_doc(q.parameters),
            "respuesta_api": stored.reports_doc(q.provider_answers),
            "estado": q.status.value,
            "mensaje_error": q.error_code,
            "tiempo_respuesta_ms": q.response_ms,
            "ip_origen": q.client_ip,
            "creada_en": to_db(q.created_at),
            "completada_en": to_db(q.completed_at),
        }

    def get(self, query_id: int) -> WeatherQuery | None:
        row = self._conn.execute(sa.select(consultas).where(consultas.c.id == query_id)).first()
        return _query(row) if row else None

    def abandon_stale(self, before: datetime, at: datetime) -> int:
        # A plain (non-locking) read first: the common case finds nothing and writes nothing, so
        # a listing never takes row or gap locks on consultas (a purge or inserts run beside it).
        c = consultas.c
        unfinished = (QueryStatus.PENDING.value, QueryStatus.PROCESSING.value)
        stale = c.estado.in_(unfinished)
        ids = self._conn.execute(
            sa.select(c.id).where(stale, c.creada_en < to_db(before)).limit(500)
        ).scalars()
        ids = list(ids)
        if not ids:
            return 0
        result = self._conn.execute(
            consultas.update()
            .where(c.id.in_(ids), stale)  # re-checked: a row finished meanwhile stays finished
            .values(
                estado=QueryStatus.ERROR.value, mensaje_error=ABANDONED, completada_en=to_db(at)
            )
        )
        return result.rowcount

    def update(self, query: WeatherQuery) -> None:
        self._conn.execute(_UPDATE, {**self._values(query), "p_id": query.id})

    def save_result(
        self, query_id: int, result: QueryResult, columns: Mapping[str, SummaryValue]
    ) -> None:
        values: dict[str, Any] = {"consulta_id": query_id}
        for column, variable, stat, decimals in SUMMARY_COLUMNS:
            item = columns.get(variable)
            values[column] = _rounded(getattr(item, stat), decimals) if item else None
        code = columns.get("descripcion_clima")
        if code and code.mean is not None and is_known(int(code.mean)):
            values["descripcion_clima"] = describe(int(code.mean))
        values["fuentes_utilizadas"] = list(result.sources_used)
        values["datos_completos"] = stored.result_doc(result)
        self._conn.execute(_INSERT_RESULT, values)

    def get_result(self, query_id: int) -> QueryResult | None:
        row = self._conn.execute(
            sa.select(datos_clima).where(datos_clima.c.consulta_id == query_id)
        ).first()
        if row is None:
            return None
        return stored.result_of(row.fuentes_utilizadas, row.datos_completos)

    def add_series(self, query_id: int, points: Sequence[SeriesPoint]) -> None:
        # One executemany per batch, the JSON columns as text already encoded; each point's
        # row is made once while the point lives (a repeated forecast stores the same points).
        for start in range(0, len(points), SERIES_BATCH):
            rows = [
                {"consulta_id": query_id, **_SERIES_ROWS.get(p, _series_row)}
                for p in points[start : start + SERIES_BATCH]
            ]
            self._conn.execute(_INSERT_SERIES, rows)

    def iter_series(self, query_id: int, limit: int | None = None) -> Iterator[SeriesPoint]:
        stmt = (
            sa.select(series_clima.c.instante, series_clima.c.datos, series_clima.c.lecturas)
            .where(series_clima.c.consulta_id == query_id)
            .order_by(series_clima.c.instante)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        result = self._conn.execution_options(yield_per=1000).execute(stmt)
        for row in result:
            consensus, origins = stored.consensus_map_of(row.datos or {})
            yield SeriesPoint(from_db(row.instante), consensus, row.lecturas or {}, origins)

    def iter_series_values(
        self, query_id: int, with_readings: bool = False
    ) -> Iterator[SeriesValues]:
        c = series_clima.c
        columns = [c.instante, *(c[name] for name in SERIES_VALUE_COLUMNS)]
        if with_readings:
            columns.append(c.lecturas)
        stmt = sa.select(*columns).where(c.consulta_id == query_id).order_by(c.instante)
        names, width = SERIES_VALUE_COLUMNS, len(SERIES_VALUE_COLUMNS)
        result = self._conn.execution_options(yield_per=2000).execute(stmt)
        for row in result:
            values = dict(zip(names, row[1 : width + 1], strict=True))
            yield SeriesValues(from_db(row[0]), values, row[width + 1] if with_readings else None)

    def count_series(self, query_id: int) -> int:
        stmt = (
            sa.select(sa.func.count())
            .select_from(series_clima)
            .where(series_clima.c.consulta_id == query_id)
        )
        return int(self._conn.execute(stmt).scalar_one())

    def search(self, flt: QueryFilter, offset: int, limit: int) -> tuple[list[WeatherQuery], int]:
        # One statement: the page's listed columns, each row carrying the total (an
        # uncorrelated subquery the server evaluates once, from the same index).
        where = self._where(flt)
        total = sa.select(sa.func.count()).select_from(consultas).where(where).scalar_subquery()
        rows = self._conn.execute(
            sa.select(*LISTED, total.label("total_filas"))
            .where(where)
            .order_by(consultas.c.creada_en.desc(), consultas.c.id.desc())
            .offset(offset)
            .limit(limit)
        ).all()
        if rows:
            return [_listed(row) for row in rows], int(rows[0].total_filas)
        if offset == 0:
            return [], 0
        count = sa.select(sa.func.count()).select_from(consultas).where(where)
        return [], int(self._conn.execute(count).scalar_one())  # a page past the last one

    def stats(self, flt: QueryFilter) -> dict[str, Any]:
        c, where = consultas.c, self._where(flt)
        by_state = dict(
            self._conn.execute(
                sa.select(c.estado, sa.func.count()).where(where).group_by(c.estado)
            ).all()
        )
        by_type = dict(
            self._conn.execute(
                sa.select(c.tipo_consulta, sa.func.count()).where(where).group_by(c.tipo_consulta)
            ).all()
        )
        mean_ms, last = self._conn.execute(
            sa.select(
                sa.func.avg(sa.case((c.estado == "completada", c.tiempo_respuesta_ms))),
                sa.func.max(c.creada_en),
            ).where(where)
        ).one()
        cities = self._conn.execute(
            sa.select(c.ciudad, sa.func.count().label("n"))
            .where(where, c.ciudad.is_not(None))
            .group_by(c.ciudad)
            .order_by(sa.desc("n"), c.ciudad)
            .limit(5)
        ).all()
        return QueryStatistics(
            total=sum(by_state.values()),
            by_status={QueryStatus(k): int(n) for k, n in by_state.items()},
            by_type={QueryType(k): int(n) for k, n in by_type.items()},
            mean_response_ms=round(float(mean_ms), 1) if mean_ms is not None else None,
            last_query_at=from_db(last),
            top_cities=tuple(CityCount(city, int(n)) for city, n in cities),
        )

    def answers(self, flt: QueryFilter) -> Iterator[Mapping[str, ProviderReport]]:
        stmt = (
            sa.select(consultas.c.respuesta_api)
            .where(self._where(flt), consultas.c.respuesta_api.is_not(None))
            .order_by(consultas.c.id)
        )
        for (answer,) in self._conn.execute(stmt):
            yield stored.reports_of(answer) or {}

    def per_user(self, flt: QueryFilter) -> list[UserQueryTotals]:
        u, c = usuarios.c, consultas.c
        join_on = sa.and_(c.usuario_id == u.id, self._where(attrs.evolve(flt, user_id=None)))
        rows = self._conn.execute(
            sa.select(
                u.id,
                u.username,
                u.nombre_completo,
                sa.func.count(c.id).label("total_consultas"),
                sa.func.count(sa.case((c.estado == "completada", 1))).label("consultas_exitosas"),
                sa.func.max(c.creada_en).label("ultima_consulta"),
            )
            .select_from(usuarios.outerjoin(consultas, join_on))
            .where(u.activo.is_(True))
            .group_by(u.id, u.username, u.nombre_completo)
            .order_by(u.id)
        )
        return [
            UserQueryTotals(
                user_id=row.id,
                username=row.username,
                full_name=row.nombre_completo,
                total=int(row.total_consultas),
                completed=int(row.consultas_exitosas),
                last_query_at=from_db(row.ultima_consulta),
            )
            for row in rows
        ]

    @staticmethod
    def _where(flt: QueryFilter) -> sa.ColumnElement[bool]:
        conditions = []
        if flt.user_id is not None:
            conditions.append(consultas.c.usuario_id == flt.user_id)
        if flt.query_type is not None:
            conditions.append(consultas.c.tipo_consulta == flt.query_type.value)
        if flt.status is not None:
            conditions.append(consultas.c.estado == flt.status.value)
        if flt.city is not None:
            conditions.append(sa.func.lower(consultas.c.ciudad) == flt.city.lower())
        if flt.since is not None:
            conditions.append(consultas.c.creada_en >= to_db(flt.since))
        if flt.until is not None:
            conditions.append(consultas.c.creada_en < to_db(flt.until))
        return sa.and_(sa.true(), *conditions)
