"""consultas, datos_clima and series_clima: queries, their summary and their series."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
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
    QueryParameters,
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
        **_listed_fields(row[0]),
        provider_answers=stored.reports_of(row.respuesta_api),
        client_ip=row.ip_origen,
    )


# What a listing shows of each query: everything but the stored provider answers and the
# caller's address (a row's largest column, decoded for nothing), packed in ONE json_array
# (MariaDB and SQLite alike) that orjson decodes in C: PyMySQL parsed each column's descriptor
# and each value in pure Python, most of a listing's CPU. Enums arrive as their text and go
# through a dict.
_C = consultas.c
LISTED = sa.func.json_array(
    _C.id,
    _C.usuario_id,
    _C.tipo_consulta,
    _C.latitud,
    _C.longitud,
    _C.ciudad,
    _C.formato_salida,
    sa.cast(_C.parametros_solicitados, sa.Text),  # as its text: decoded once per distinct text
    _C.estado,
    _C.creada_en,
    _C.fecha_inicio,
    _C.fecha_fin,
    _C.mensaje_error,
    _C.tiempo_respuesta_ms,
    _C.completada_en,
).label("listada")
_TYPES = {t.value: t for t in QueryType}
_FORMATS = {f.value: f for f in ExportFormat}
_STATUSES = {s.value: s for s in QueryStatus}


@functools.lru_cache(maxsize=1024)
def _parameters(text: str | None) -> QueryParameters:
    """parametros_solicitados from its stored JSON text: most queries of a user repeat a few
    sets of variables and providers, so a page decodes each distinct text once."""
    return stored.parameters_of(json.loads(text) if text else None)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _listed_fields(packed: str) -> dict[str, Any]:
    """LISTED's array, decoded."""
    (id_, user, kind, lat, lon, city, fmt, params, status, created, start, end, error, ms,
     completed) = orjson.loads(packed)  # fmt: skip
    return {
        "id": id_,
        "user_id": user,
        "query_type": _TYPES[kind],
        "location": Location(_number(lat), _number(lon), city),
        "export_format": _FORMATS[fmt],
        "parameters": _parameters(params),
        "status": _STATUSES[status],
        "created_at": from_db(created),
        "start_date": _day(start),
        "end_date": _day(end),
        "error_code": error,
        "response_ms": ms,
        "completed_at": from_db(completed),
    }


def _listed(packed: str) -> WeatherQuery:
    return WeatherQuery(**_listed_fields(packed))


# The listing's statements for each combination of filters in use, built once with bound
# parameters: building the select, its WHERE and SQLAlchemy's cache key on every request cost
# about as much as reading the page. (name, the parameter's value from the filter, condition)
_FILTERS = (
    ("f_user", lambda f: f.user_id, lambda p: _C.usuario_id == p),
    ("f_type", lambda f: f.query_type and f.query_type.value, lambda p: _C.tipo_consulta == p),
    ("f_status", lambda f: f.status and f.status.value, lambda p: _C.estado == p),
    ("f_city", lambda f: f.city and f.city.lower(), lambda p: sa.func.lower(_C.ciudad) == p),
    ("f_since", lambda f: to_db(f.since), lambda p: _C.creada_en >= p),
    ("f_until", lambda f: to_db(f.until), lambda p: _C.creada_en < p),
)
_LISTINGS: dict[tuple[str, ...], tuple[sa.Select, sa.Select]] = {}


def _listing(flt: QueryFilter) -> tuple[sa.Select, sa.Select, dict[str, Any]]:
    """The page (with the total on each row) and the count alone, and their parameters."""
    params = {}
    for name, value, _ in _FILTERS:
        v = value(flt)
        if v is not None:
            params[name] = v
    shape = tuple(params)
    statements = _LISTINGS.get(shape)
    if statements is None:
        where = sa.and_(
            sa.true(), *(cond(sa.bindparam(n)) for n, _, cond in _FILTERS if n in params)
        )
        count = sa.select(sa.func.count()).select_from(consultas).where(where)
        page = (
            sa.select(LISTED, count.scalar_subquery().label("total_filas"))
            .where(where)
            .order_by(_C.creada_en.desc(), _C.id.desc())
            .offset(sa.bindparam("p_offset"))
            .limit(sa.bindparam("p_limit"))
        )
        statements = _LISTINGS[shape] = (page, count)
    return *statements, params


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
        stmt = sa.select(LISTED, _C.respuesta_api, _C.ip_origen).where(_C.id == query_id)
        row = self._conn.execute(stmt).first()
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
        page, count, params = _listing(flt)
        rows = self._conn.rows(page, {**params, "p_offset": offset, "p_limit": limit})  # type: ignore[attr-defined]
        if rows:
            return [_listed(packed) for packed, _ in rows], int(rows[0][1])
        if offset == 0:
            return [], 0
        return [], int(self._conn.execute(count, params).scalar_one())  # a page past the last

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
