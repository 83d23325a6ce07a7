"""Query results as the JSON the API returns (Spanish field names)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from adapters import wire
from domain.model.activity import ActivityEntry
from domain.model.favorites import Favorite
from domain.model.paging import Page
from domain.model.readings import GeoCandidate
from domain.use_cases.get_query import StoredQuery
from domain.use_cases.list_queries import QueryPage
from domain.use_cases.manage_api_keys import KeyView
from domain.use_cases.query_engine import ResolvedLocation
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
            "proveedores": dict(result.query.provider_answers or {}),
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
        "proveedores": dict(result.query.provider_answers or {}),
    }


def stored_query(stored: StoredQuery) -> dict[str, Any]:
    query = stored.query
    result = dict(stored.result or {})
    doc: dict[str, Any] = {"consulta": wire.query(query)}
    doc["fuentes_utilizadas"] = result.pop("fuentes_utilizadas", [])
    doc["proveedores"] = dict(query.provider_answers or {})
    if query.query_type.value == "tiempo_real":
        doc["datos"] = {"consenso": result.get("consenso")}
        return doc
    zone = ZoneInfo((query.parameters or {}).get("zona_horaria", "America/Bogota"))
    doc["resumen"] = result.get("resumen")
    doc["serie"] = [
        {"instante": row["instante"].astimezone(zone).isoformat(), "consenso": row["datos"]}
        for row in stored.series
    ]
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
        "detalle": dict(entry.detail),
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
