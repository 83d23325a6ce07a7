"""The API form (Spanish names) of query values, shared by HTTP responses and export documents.

The stored form (datos_completos, respuesta_api) belongs to the sql adapter: sql/stored.py,
which stores each consensus as this module's `consensus` document (one writer for both).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from adapters.identity_memo import IdentityMemo
from domain.model.agro.alerts import Alert
from domain.model.agro.daily_summary import FarmDay
from domain.model.consensus import ConsensusValue
from domain.model.forecast import ForecastFacts
from domain.model.queries import QueryParameters, SeriesPoint, SummaryValue, WeatherQuery
from domain.model.results import ProviderReport
from domain.model.weather_codes import describe, is_known

Origins = Mapping[str, Mapping[str, Mapping[str, Any]]]
_NONE: Mapping[str, Any] = {}
_PARAMETERS: IdentityMemo[dict[str, Any]] = IdentityMemo()


class _EnumText(dict):
    """An enum member's text, memoised: Enum.value goes through a descriptor (slow: ~6 per
    variable and step of a forecast, three per row of a listing)."""

    def __missing__(self, member: Enum) -> str:
        text = self[member] = member.value
        return text


_TEXT = _EnumText()


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
        "descartadas": [{"fuente": d.source, "motivo": _TEXT[d.reason]} for d in value.discarded],
    }
    if value.variable == "descripcion_clima" and value.value is not None and is_known(value.value):
        doc["descripcion"] = describe(int(value.value))
    if value.category is not None:
        doc["categoria"] = value.category
    if origins is not None:
        # For every source used: observado (a station), modelo or reanalisis, and which station.
        doc["procedencia"] = [{"fuente": s, **origins.get(s, _NONE)} for s in value.sources]
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


def parameters(p: QueryParameters) -> dict[str, Any]:
    """parametros_solicitados as the API shows it: built once per live QueryParameters (a
    listing's rows share a few, decoded once by the sql adapter); nobody changes it after."""
    return _PARAMETERS.get(p, _parameters)


def _parameters(p: QueryParameters) -> dict[str, Any]:
    doc: dict[str, Any] = {"parametros": list(p.variables), "proveedores": list(p.providers)}
    if p.granularity is not None:
        doc["granularidad"] = p.granularity.value
    if p.timezone is not None:
        doc["zona_horaria"] = p.timezone
    return {**doc, **p.extra}


def query(q: WeatherQuery) -> dict[str, Any]:
    return {
        "id": q.id,
        "usuario_id": q.user_id,
        "tipo_consulta": _TEXT[q.query_type],
        "ciudad": q.location.city,
        "latitud": q.location.latitude,
        "longitud": q.location.longitude,
        "fecha_inicio": q.start_date.isoformat() if q.start_date else None,
        "fecha_fin": q.end_date.isoformat() if q.end_date else None,
        "formato_salida": _TEXT[q.export_format],
        "parametros_solicitados": parameters(q.parameters),
        "estado": _TEXT[q.status],
        "mensaje_error": q.error_code,
        "tiempo_respuesta_ms": q.response_ms,
        "creada_en": iso(q.created_at),
        "completada_en": iso(q.completed_at),
    }


def report(r: ProviderReport) -> dict[str, Any]:
    """One provider's part of "proveedores": how it did, never its key."""
    if r.skipped:  # never asked: the contract's shape says why in motivo itself
        return {"estado": "omitido", "motivo": r.code, "codigo": r.code, **r.extra}
    if not r.ok:
        doc: dict[str, Any] = {"estado": "error", "motivo": r.reason, "codigo": r.code}
        if r.latency_ms is not None:
            doc["latencia_ms"] = r.latency_ms
        if r.cache is not None:
            doc["cache"] = r.cache
        return {**doc, **r.extra}
    doc = {"estado": "ok", "tipo": r.kind, "n_lecturas": r.reading_count, "meta": dict(r.meta)}
    if r.instant is not None:
        doc["instante"] = r.instant.isoformat()
    if r.values is not None:
        doc["valores"] = dict(r.values)
    if r.provenance is not None:
        doc["procedencia"] = {k: dict(v) for k, v in r.provenance.items()}
    if r.missing is not None:
        doc["sin_valor"] = dict(r.missing)
    return {**doc, **r.extra}


def reports(answers: Mapping[str, ProviderReport] | None) -> dict[str, dict[str, Any]]:
    return {name: report(r) for name, r in (answers or {}).items()}


def utc_iso(value: datetime | None) -> str | None:
    """An instant in UTC written with Z."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def forecast(facts: ForecastFacts | None, p: QueryParameters, zone=None) -> dict[str, Any] | None:
    """The `pronostico` block: when ClimaGuru asked, what, how far each provider reaches."""
    if facts is None:
        return None
    horizons = {}
    for name, reach in facts.horizons.items():
        doc: dict[str, Any] = {"limite": utc_iso(reach.limit)}
        doc["horizonte"] = {"cantidad": reach.horizon.amount, "unidad": reach.horizon.unit.value}
        doc.update({k: v for k, v in (("modelo", reach.model), ("emitido_en", reach.issued)) if v})
        horizons[name] = doc
    effective = facts.effective_horizon
    return {
        "emitido_en": utc_iso(facts.issued),
        "dias": p.extra.get("dias"),
        "granularidad": p.granularity.value if p.granularity else None,
        "zona_horaria": p.timezone,
        "horizonte_efectivo": iso(effective.astimezone(zone) if effective and zone else effective),
        "horizontes": horizons,
    }


def farm_day(day: FarmDay) -> dict[str, Any]:
    """One entry of resumen_diario."""
    return {
        "fecha": day.day.isoformat(),
        "horas_ith": {band.value: hours for band, hours in day.thi_hours.items()},
        "horas_alivio_nocturno": day.relief_hours,
        "et0": day.et0,
        "grados_dia": day.degree_days,
        "grados_dia_acumulados": day.degree_days_total,
        "riesgo_helada": day.frost.value if day.frost is not None else None,
    }


def alert(item: Alert, zone=None) -> dict[str, Any]:
    """One entry of alertas, instants in the answer's zone."""
    return {
        "tipo": item.kind.value,
        "nivel": item.level,
        "desde": (item.start.astimezone(zone) if zone else item.start).isoformat(),
        "hasta": (item.end.astimezone(zone) if zone else item.end).isoformat(),
        "pico": item.peak,
        "variable": item.variable,
        "mensaje": item.message,
    }
