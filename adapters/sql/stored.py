"""The stored JSON of query results (datos_completos, series datos, respuesta_api) ↔ domain values.

The shapes are the ones rows already hold (no data migration): Spanish keys, consensus values
with their origins under "procedencia", provider reports as respuesta_api always kept them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from adapters import wire
from domain.model.agro.alerts import Alert, AlertType
from domain.model.consensus import ConsensusValue, Discarded
from domain.model.forecast import ForecastFacts, ProviderHorizon
from domain.model.horizon import Horizon
from domain.model.queries import QueryParameters, SummaryValue
from domain.model.readings import Granularity
from domain.model.results import Origins, ProviderReport, QueryResult


def consensus_doc(value: ConsensusValue, origins: Mapping[str, Mapping[str, Any]]) -> dict:
    """A stored consensus is the API's consensus document, origins always included: one
    writer (adapters/wire.py) for the row and the response."""
    return wire.consensus(value, origins)


def consensus_map_doc(values: Mapping[str, ConsensusValue], origins: Origins) -> dict:
    return {name: consensus_doc(value, origins.get(name, {})) for name, value in values.items()}


def consensus_map_of(doc: Mapping[str, Any]) -> tuple[dict[str, ConsensusValue], dict]:
    """The consensus per variable and its origins (variable → source → origin).

    On the hot path of full-series exports (a year of hourly rows), hence the plain loops.
    """
    values, origins = {}, {}
    for name, item in doc.items():
        get = item.get
        dropped = get("descartadas")
        values[name] = ConsensusValue(
            name,
            get("valor"),
            get("unidad") or "",
            get("min"),
            get("max"),
            get("desviacion"),
            get("n_fuentes") or 0,
            tuple(get("fuentes") or ()),
            tuple(Discarded(d["fuente"], d["motivo"]) for d in dropped) if dropped else (),
            get("categoria"),
        )
        provenance = get("procedencia")
        if provenance is not None:
            per_source = {}
            for origin in provenance:
                rest = dict(origin)
                per_source[rest.pop("fuente")] = rest
            origins[name] = per_source
    return values, origins


def summary_doc(values: Mapping[str, SummaryValue]) -> dict:
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


def summary_of(doc: Mapping[str, Any]) -> dict[str, SummaryValue]:
    return {
        name: SummaryValue(
            name, s.get("unidad"), s.get("promedio"), s.get("min"), s.get("max"), s["n_instantes"]
        )
        for name, s in doc.items()
    }


def result_doc(result: QueryResult) -> dict:
    """datos_completos: {"consenso": ...} of a current query, {"resumen": ...} of a history."""
    doc: dict[str, Any] = {}
    if result.consensus is not None:
        doc["consenso"] = consensus_map_doc(result.consensus, result.origins)
    if result.summary is not None:
        doc["resumen"] = summary_doc(result.summary)
    if result.forecast is not None:
        doc["pronostico"] = forecast_doc(result.forecast)
    if result.alerts:
        doc["alertas"] = [alert_doc(a) for a in result.alerts]
    return doc


def alert_doc(alert: Alert) -> dict[str, Any]:
    """One alert period, instants in UTC ISO."""
    return {
        "tipo": alert.kind.value,
        "nivel": alert.level,
        "desde": alert.start.astimezone(UTC).isoformat(),
        "hasta": alert.end.astimezone(UTC).isoformat(),
        "pico": alert.peak,
        "variable": alert.variable,
        "mensaje": alert.message,
    }


def alert_of(doc: Mapping[str, Any]) -> Alert:
    return Alert(
        AlertType(doc["tipo"]),
        doc["nivel"],
        datetime.fromisoformat(doc["desde"]),
        datetime.fromisoformat(doc["hasta"]),
        doc["pico"],
        doc["variable"],
        doc["mensaje"],
    )


def forecast_doc(facts: ForecastFacts) -> dict[str, Any]:
    """A forecast's issue time, last step and each provider's reach (UTC ISO instants)."""
    effective = facts.effective_horizon
    return {
        "emitido_en": facts.issued.isoformat(),
        "horizonte_efectivo": effective.isoformat() if effective else None,
        "horizontes": {
            name: {
                "limite": h.limit.isoformat(),
                "cantidad": h.horizon.amount,
                "unidad": h.horizon.unit.value,
                "modelo": h.model,
                "emitido_en": h.issued,
            }
            for name, h in facts.horizons.items()
        },
    }


def forecast_of(doc: Mapping[str, Any] | None) -> ForecastFacts | None:
    if not doc:
        return None
    effective = doc.get("horizonte_efectivo")
    horizons = {
        name: ProviderHorizon(
            datetime.fromisoformat(h["limite"]),
            Horizon(h["cantidad"], h["unidad"]),
            h.get("modelo"),
            h.get("emitido_en"),
        )
        for name, h in (doc.get("horizontes") or {}).items()
    }
    return ForecastFacts(
        datetime.fromisoformat(doc["emitido_en"]),
        datetime.fromisoformat(effective) if effective else None,
        horizons,
    )


def result_of(sources: list[str] | None, doc: Mapping[str, Any] | None) -> QueryResult:
    doc = doc or {}
    consensus, origins = (
        consensus_map_of(doc["consenso"]) if doc.get("consenso") is not None else (None, {})
    )
    summary = summary_of(doc["resumen"]) if doc.get("resumen") is not None else None
    facts = forecast_of(doc.get("pronostico"))
    alerts = tuple(alert_of(a) for a in doc.get("alertas") or ())
    return QueryResult(tuple(sources or ()), consensus, origins, summary, facts, alerts)


_REPORT_KEYS = {"estado", "motivo", "codigo", "latencia_ms", "cache", "tipo", "n_lecturas"}
_REPORT_KEYS |= {"meta", "instante", "valores", "procedencia", "sin_valor"}


def report_doc(report: ProviderReport) -> dict[str, Any]:
    if not report.ok:
        state = "omitido" if report.skipped else "error"
        doc: dict[str, Any] = {"estado": state, "motivo": report.reason, "codigo": report.code}
        if report.latency_ms is not None:
            doc["latencia_ms"] = report.latency_ms
        if report.cache is not None:
            doc["cache"] = report.cache
        return {**doc, **report.extra}
    doc = {"estado": "ok", "tipo": report.kind, "n_lecturas": report.reading_count}
    doc["meta"] = dict(report.meta)
    if report.instant is not None:
        doc["instante"] = report.instant.isoformat()
    if report.values is not None:
        doc["valores"] = dict(report.values)
    if report.provenance is not None:
        doc["procedencia"] = {k: dict(v) for k, v in report.provenance.items()}
    if report.missing is not None:
        doc["sin_valor"] = dict(report.missing)
    return {**doc, **report.extra}


def report_of(doc: Mapping[str, Any]) -> ProviderReport:
    extra = {k: v for k, v in doc.items() if k not in _REPORT_KEYS}
    instant = doc.get("instante")
    return ProviderReport(
        ok=doc.get("estado") not in ("error", "omitido"),
        skipped=doc.get("estado") == "omitido",
        reason=doc.get("motivo"),
        code=doc.get("codigo"),
        latency_ms=doc.get("latencia_ms"),
        cache=doc.get("cache"),
        kind=doc.get("tipo"),
        reading_count=doc.get("n_lecturas"),
        meta=doc.get("meta") or {},
        instant=datetime.fromisoformat(instant) if isinstance(instant, str) else None,
        values=doc.get("valores"),
        provenance=doc.get("procedencia"),
        missing=doc.get("sin_valor"),
        extra=extra,
    )


def reports_doc(reports: Mapping[str, ProviderReport] | None) -> dict | None:
    return None if reports is None else {name: report_doc(r) for name, r in reports.items()}


def reports_of(doc: Mapping[str, Any] | None) -> dict[str, ProviderReport] | None:
    return None if doc is None else {name: report_of(r) for name, r in doc.items()}


_PARAMETER_KEYS = {"parametros", "proveedores", "granularidad", "zona_horaria"}


def parameters_doc(p: QueryParameters) -> dict[str, Any]:
    """parametros_solicitados: variables and providers, then a history's timestep and zone."""
    doc: dict[str, Any] = {"parametros": list(p.variables), "proveedores": list(p.providers)}
    if p.granularity is not None:
        doc["granularidad"] = p.granularity.value
    if p.timezone is not None:
        doc["zona_horaria"] = p.timezone
    return {**doc, **p.extra}


def parameters_of(doc: Mapping[str, Any] | None) -> QueryParameters:
    doc = doc or {}
    granularity = doc.get("granularidad")
    return QueryParameters(
        variables=tuple(doc.get("parametros") or ()),
        providers=tuple(doc.get("proveedores") or ()),
        granularity=Granularity(granularity) if granularity else None,
        timezone=doc.get("zona_horaria"),
        extra={k: v for k, v in doc.items() if k not in _PARAMETER_KEYS},
    )
