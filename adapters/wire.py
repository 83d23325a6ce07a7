"""The Spanish form of domain values, shared by the HTTP, SQL and export adapters."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from domain.model.consensus import ConsensusValue
from domain.model.queries import SeriesPoint, SummaryValue, WeatherQuery
from domain.model.weather_codes import describe, is_known

Origins = Mapping[str, Mapping[str, Mapping[str, Any]]]


def consensus(
    value: ConsensusValue, origins: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "valor": value.value,
        "unidad": value.unit,
        "min": value.minimum,
        "max": value.maximum,
        "desviacion": value.deviation,
        "n_fuentes": value.source_count,
        "fuentes": list(value.sources),
        "descartadas": [{"fuente": d.source, "motivo": d.reason.value} for d in value.discarded],
    }
    if value.variable == "descripcion_clima" and value.value is not None and is_known(value.value):
        doc["descripcion"] = describe(int(value.value))
    if origins is not None:
        # For every source used: observado (a station), modelo or reanalisis, and which station.
        doc["procedencia"] = [{"fuente": s, **dict(origins.get(s, {}))} for s in value.sources]
    return doc


def consensus_map(
    values: Mapping[str, ConsensusValue], origins: Origins | None = None
) -> dict[str, dict[str, Any]]:
    return {
        name: consensus(value, (origins or {}).get(name, {}) if origins is not None else None)
        for name, value in values.items()
    }


def summary(values: Mapping[str, SummaryValue]) -> dict[str, dict[str, Any]]:
    return {
        name: {
            "promedio": s.mean,
            "min": s.minimum,
            "max": s.maximum,
            "unidad": s.unit,
            "n_instantes": s.count,
        }
        for name, s in values.items()
    }


def series_point(point: SeriesPoint, zone=None) -> dict[str, Any]:
    instant = point.instant.astimezone(zone) if zone else point.instant
    return {
        "instante": instant.isoformat(),
        "consenso": consensus_map(point.consensus, point.origins),
    }


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def query(q: WeatherQuery) -> dict[str, Any]:
    return {
        "id": q.id,
        "usuario_id": q.user_id,
        "tipo_consulta": q.query_type.value,
        "ciudad": q.location.city,
        "latitud": q.location.latitude,
        "longitud": q.location.longitude,
        "fecha_inicio": q.start_date.isoformat() if q.start_date else None,
        "fecha_fin": q.end_date.isoformat() if q.end_date else None,
        "formato_salida": q.export_format.value,
        "parametros_solicitados": dict(q.parameters),
        "estado": q.status.value,
        "mensaje_error": q.error_code,
        "tiempo_respuesta_ms": q.response_ms,
        "creada_en": iso(q.created_at),
        "completada_en": iso(q.completed_at),
    }


def describe_code(code: float) -> str | None:
    """The Spanish text of a WMO code (datos_clima.descripcion_clima)."""
    return describe(int(code)) if is_known(int(code)) else None


def details(values: Mapping[str, Any]) -> dict[str, Any]:
    """datos_completos: consensus maps and summaries in their Spanish form."""
    out: dict[str, Any] = {}
    origins = values.get("origenes")
    for key, value in values.items():
        if key == "origenes":
            continue
        first = next(iter(value.values()), None) if isinstance(value, Mapping) else None
        if isinstance(first, ConsensusValue):
            out[key] = consensus_map(value, origins)
        elif isinstance(first, SummaryValue):
            out[key] = summary(value)
        else:
            out[key] = value
    return out
