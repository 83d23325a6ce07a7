"""Domain values into the response schemas (adapters.http.schemas), unstructured to JSON."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from adapters import audit_detail, wire, wire_json
from adapters.http.converter import unstructure
from adapters.http.schemas import responses as out
from adapters.http.schemas import results as res
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
from domain.use_cases.run_forecast_query import ForecastQueryResult
from domain.use_cases.run_history_query import HistoryQueryResult


def _candidate(c: GeoCandidate) -> res.Candidate:
    return res.Candidate(
        nombre=c.name,
        departamento=c.admin1,
        pais=c.country,
        codigo_pais=c.country_code,
        latitud=c.latitude,
        longitud=c.longitude,
        elevacion=c.elevation,
    )


def location(where: ResolvedLocation) -> res.Place:
    geocoding = res.OMIT
    if where.chosen is not None:
        alternatives = [_candidate(c) for c in where.alternatives]
        geocoding = res.Geocoding(elegida=_candidate(where.chosen), alternativas=alternatives)
    place = where.location
    return res.Place(place.city, place.latitude, place.longitude, geocodificacion=geocoding)


def current_result(result: CurrentQueryResult) -> dict[str, Any]:
    """res.CurrentResult as JSON, built directly: every part but the place is wire-shaped
    already, and cattrs walked each of its ~500 values only to return them unchanged (a tenth
    of a cached query's CPU). tests/unit/http/test_render.py holds it to the cattrs form."""
    return {
        "consulta": wire.query(result.query),
        "ubicacion": unstructure(location(result.where)),
        "datos": {
            "instante": wire.iso(result.instant),
            "consenso": wire.consensus_map(result.consensus, result.origins),
            "proveedores": wire.reports(result.query.provider_answers),
        },
    }


def history_result(result: HistoryQueryResult) -> dict[str, Any]:
    zone = ZoneInfo(result.time_range.timezone)
    body = res.HistoryResult(
        consulta=wire.query(result.query),
        ubicacion=location(result.where),
        resumen=wire.summary(result.summary),
        serie=[wire.series_point(p, zone) for p in result.series],
        serie_total=result.total_points,
        serie_truncada=result.total_points > len(result.series),
        proveedores=wire.reports(result.query.provider_answers),
        resumen_diario=res.OMIT
        if result.farm_days is None
        else [wire.farm_day(d) for d in result.farm_days],
    )
    return unstructure(body)


def forecast_result(result: ForecastQueryResult) -> dict[str, Any]:
    query, zone = result.query, result.window.zone
    body = res.ForecastResult(
        consulta=wire.query(query),
        ubicacion=location(result.where),
        pronostico=wire.forecast(result.facts, query.parameters, zone),
        resumen=wire.summary(result.summary),
        serie=[],
        serie_total=result.total_points,
        serie_truncada=result.total_points > len(result.series),
        proveedores=wire.reports(query.provider_answers),
        alertas=[wire.alert(a, zone) for a in result.alerts],
        resumen_diario=res.OMIT
        if result.farm_days is None
        else [wire.farm_day(d) for d in result.farm_days],
    )
    doc = unstructure(body)
    # Each step's consensus as the JSON its stored row was written with (adapters/wire_json,
    # encoded once per value), spliced into the orjson response: wire.series_point's document.
    doc["serie"] = [wire_json.series_point(p, zone) for p in result.series]
    return doc


def stored_query(stored: StoredQuery) -> dict[str, Any]:
    query, result = stored.query, stored.result
    common = {
        "consulta": wire.query(query),
        "fuentes_utilizadas": list(result.sources_used) if result else [],
        "proveedores": wire.reports(query.provider_answers),
    }
    if query.query_type is QueryType.CURRENT:
        consensus = result.consensus if result else None
        shaped = (
            wire.consensus_map(consensus, result.origins)
            if result and consensus is not None
            else None
        )
        return unstructure(res.StoredQuery(**common, datos=res.StoredConsensus(shaped)))
    zone = ZoneInfo(query.parameters.timezone or "America/Bogota")
    summary = result.summary if result else None
    body = res.StoredQuery(
        **common,
        resumen=wire.summary(summary) if summary is not None else None,
        serie=[wire.series_point(p, zone) for p in stored.series],
        serie_total=stored.total_points,
        serie_truncada=stored.total_points > len(stored.series),
        pronostico=wire.forecast(result.forecast, query.parameters, zone)
        if result and result.forecast
        else res.OMIT,
        alertas=[wire.alert(a, zone) for a in result.alerts]
        if result and result.forecast
        else res.OMIT,
    )
    return unstructure(body)


def query_page(page: QueryPage) -> dict[str, Any]:
    # wire.query already gives JSON values only: cattrs would walk each row's ~50 values to
    # return them unchanged (a quarter of a listing's CPU), so the rows go in afterwards.
    body = _page(out.QueryPage, page, [])
    body["consultas"] = [wire.query(q) for q in page.items]
    return body


PAGES = {"usuarios": out.UserPage, "actividad": out.ActivityPage, "logs": out.LogPage}


def page(p: Page, key: str, item) -> dict[str, Any]:
    return _page(PAGES[key], p, [item(x) for x in p.items])


def _page(kind: type, p: Page | QueryPage, items: list[Any]) -> dict[str, Any]:
    return unstructure(kind(items, p.page, p.per_page, p.total, p.pages))


def activity(entry: ActivityEntry) -> out.Activity:
    return out.Activity(
        id=entry.id,
        usuario_id=entry.user_id,
        accion=entry.action,
        detalle=audit_detail.to_wire(entry.detail),
        ip_address=entry.ip,
        user_agent=entry.user_agent,
        creado_en=entry.occurred_at,
    )


def api_key(view: KeyView) -> out.ApiKey:
    key = view.key
    return out.ApiKey(
        id=key.id,
        proveedor=key.provider,
        clave=view.mask,
        tiene_secreto=key.secret_ciphertext is not None,
        descripcion=key.description,
        activa=key.active,
        limite_consultas_diarias=key.daily_limit,
        consultas_hoy=view.used_today,
        ultimo_uso=key.last_used,
        creada_en=key.created_at,
    )


def favorite(f: Favorite) -> out.Favorite:
    return out.Favorite(
        id=f.id,
        nombre_ciudad=f.name,
        pais=f.country,
        latitud=f.location.latitude,
        longitud=f.location.longitude,
        es_default=f.is_default,
        creada_en=f.created_at,
    )


def _user_totals(u: UserQueryTotals) -> out.UserTotals:
    return out.UserTotals(u.user_id, u.username, u.full_name, u.total, u.completed, u.last_query_at)


def _provider_stats(p: ProviderStats) -> out.ProviderUsage:
    return out.ProviderUsage(p.calls, p.errors, p.timeouts, p.mean_latency_ms, p.cache_hit_ratio)


def _quota(q: QuotaUsage) -> out.QuotaToday:
    return out.QuotaToday(q.key_id, q.user_id, q.provider, q.active, q.used_today, q.daily_limit)


def statistics(report: StatisticsReport) -> dict[str, Any]:
    totals = report.queries
    per_user = report.per_user
    body = out.Statistics(
        alcance=report.scope.value,
        desde=report.since,
        hasta=report.until,
        total_consultas=totals.total,
        completadas=totals.completed,
        errores=totals.errors,
        tasa_exito=totals.success_rate,
        por_tipo={kind.value: n for kind, n in totals.by_type.items()},
        ciudades_principales=[out.TopCity(c.city, c.queries) for c in totals.top_cities],
        tiempo_respuesta_medio_ms=totals.mean_response_ms,
        ultima_consulta=totals.last_query_at,
        proveedores={name: _provider_stats(p) for name, p in report.providers.items()},
        cuotas_hoy=[_quota(q) for q in report.quotas],
        claves_sistema_hoy=[
            out.SystemKeyToday(u.user_id, u.provider, u.used_today, u.daily_budget)
            for u in report.system_keys
        ],
        por_usuario=res.OMIT if per_user is None else [_user_totals(u) for u in per_user],
    )
    return unstructure(body)


def probe(result: ProbeResult) -> dict[str, Any]:
    return unstructure(out.KeyProbe(result.outcome.value, result.code))
