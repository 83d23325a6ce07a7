"""Query results as the JSON the API returns (Spanish field names)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from adapters import audit_detail, wire
from domain.model.activity import ActivityEntry
from domain.model.api_keys import ProbeResult
from domain.model.favorites import Favorite
from domain.model.paging import Page
from domain.model.queries import QueryType
from domain.model.readings import GeoCandidate
from domain.model.statistics import ProviderStats, QuotaUsage, StatisticsReport, UserQueryTotals
from domain.use_cases.get_query import StoredQuery
from domain.use_cases.list_queries import QueryPage
from domain.use_cases.manage_api_keys import KeyView
from domain.use_cases.resolve_location import ResolvedLocation
from domain.use_cases.run_current_query import CurrentQueryResult
from domain.use_cases.run_history_query import HistoryQueryResult


def _candidate(c: GeoCandidate) -> dict[str, Any]:
    return {
        "nombre": c.name,
        "departamento": c.admin1,
        "pais": c.country,
        "codigo_pais": c.country_code,
        "latitud": c.latitude,
        "longitud": c.longitude,
        "elevacion": c.elevation,
    }


def location(where: ResolvedLocation) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "ciudad": where.location.city,
        "latitud": where.location.latitude,
        "longitud": where.location.longitude,
    }
    if where.chosen is not None:
        doc["geocodificacion"] = {
            "elegida": _candidate(where.chosen),
            "alternativas": [_candidate(c) for c in where.alternatives],
        }
    return doc


def current_result(result: CurrentQueryResult) -> dict[str, Any]:
    return {
        "consulta": wire.query(result.query),
        "ubicacion": location(result.where),
        "datos": {
            "instante": wire.iso(result.instant),
            "consenso": wire.consensus_map(result.consensus, result.origins),
            "proveedores": wire.reports(result.query.provider_answers),
        },
    }


def history_result(result: HistoryQueryResult) -> dict[str, Any]:
    zone = ZoneInfo(result.time_range.timezone)
    return {
        "consulta": wire.query(result.query),
        "ubicacion": location(result.where),
        "resumen": wire.summary(result.summary),
        "serie": [wire.series_point(p, zone) for p in result.series],
        "serie_total": result.total_points,
        "serie_truncada": result.total_points > len(result.series),
        "proveedores": wire.reports(result.query.provider_answers),
    }


def stored_query(stored: StoredQuery) -> dict[str, Any]:
    query, result = stored.query, stored.result
    doc: dict[str, Any] = {"consulta": wire.query(query)}
    doc["fuentes_utilizadas"] = list(result.sources_used) if result else []
    doc["proveedores"] = wire.reports(query.provider_answers)
    if query.query_type is QueryType.CURRENT:
        consensus = result.consensus if result else None
        doc["datos"] = {
            "consenso": wire.consensus_map(consensus, result.origins)
            if result and consensus is not None
            else None
        }
        return doc
    zone = ZoneInfo(query.parameters.timezone or "America/Bogota")
    doc["resumen"] = wire.summary(result.summary) if result and result.summary is not None else None
    doc["serie"] = [wire.series_point(p, zone) for p in stored.series]
    doc["serie_total"] = stored.total_points
    doc["serie_truncada"] = stored.total_points > len(stored.series)
    return doc


def query_page(page: QueryPage) -> dict[str, Any]:
    return {
        "consultas": [wire.query(q) for q in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }


def page(p: Page, key: str, item) -> dict[str, Any]:
    return {
        key: [item(x) for x in p.items],
        "page": p.page,
        "per_page": p.per_page,
        "total": p.total,
        "pages": p.pages,
    }


def activity(entry: ActivityEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "usuario_id": entry.user_id,
        "accion": entry.action,
        "detalle": audit_detail.to_wire(entry.detail),
        "ip_address": entry.ip,
        "user_agent": entry.user_agent,
        "creado_en": wire.iso(entry.occurred_at),
    }


def api_key(view: KeyView) -> dict[str, Any]:
    key = view.key
    return {
        "id": key.id,
        "proveedor": key.provider,
        "clave": view.mask,
        "tiene_secreto": key.secret_ciphertext is not None,
        "descripcion": key.description,
        "activa": key.active,
        "limite_consultas_diarias": key.daily_limit,
        "consultas_hoy": view.used_today,
        "ultimo_uso": wire.iso(key.last_used),
        "creada_en": wire.iso(key.created_at),
    }


def favorite(f: Favorite) -> dict[str, Any]:
    return {
        "id": f.id,
        "nombre_ciudad": f.name,
        "pais": f.country,
        "latitud": f.location.latitude,
        "longitud": f.location.longitude,
        "es_default": f.is_default,
        "creada_en": wire.iso(f.created_at),
    }


def _user_totals(u: UserQueryTotals) -> dict[str, Any]:
    return {
        "id": u.user_id,
        "username": u.username,
        "nombre_completo": u.full_name,
        "total_consultas": u.total,
        "consultas_exitosas": u.completed,
        "ultima_consulta": wire.iso(u.last_query_at),
    }


def _provider_stats(p: ProviderStats) -> dict[str, Any]:
    return {
        "llamadas": p.calls,
        "errores": p.errors,
        "timeouts": p.timeouts,
        "latencia_media_ms": p.mean_latency_ms,
        "tasa_aciertos_cache": p.cache_hit_ratio,
    }


def _quota(q: QuotaUsage) -> dict[str, Any]:
    return {
        "api_key_id": q.key_id,
        "usuario_id": q.user_id,
        "proveedor": q.provider,
        "activa": q.active,
        "usadas_hoy": q.used_today,
        "limite_diario": q.daily_limit,
    }


def statistics(report: StatisticsReport) -> dict[str, Any]:
    totals = report.queries
    doc: dict[str, Any] = {
        "alcance": report.scope.value,
        "desde": report.since,
        "hasta": report.until,
        "total_consultas": totals.total,
        "completadas": totals.completed,
        "errores": totals.errors,
        "tasa_exito": totals.success_rate,
        "por_tipo": {kind.value: n for kind, n in totals.by_type.items()},
        "ciudades_principales": [
            {"ciudad": c.city, "consultas": c.queries} for c in totals.top_cities
        ],
        "tiempo_respuesta_medio_ms": totals.mean_response_ms,
        "ultima_consulta": wire.iso(totals.last_query_at),
        "proveedores": {name: _provider_stats(p) for name, p in report.providers.items()},
        "cuotas_hoy": [_quota(q) for q in report.quotas],
        "claves_sistema_hoy": [
            {
                "usuario_id": u.user_id,
                "proveedor": u.provider,
                "usadas_hoy": u.used_today,
                "presupuesto_diario": u.daily_budget,
            }
            for u in report.system_keys
        ],
    }
    if report.per_user is not None:
        doc["por_usuario"] = [_user_totals(u) for u in report.per_user]
    return doc


def probe(result: ProbeResult) -> dict[str, Any]:
    return {"resultado": result.outcome.value, "codigo": result.code}
