"""Golden script, weather side: current and historical queries, listings, downloads, quota."""

from __future__ import annotations

from tests.golden.recorder import Session
from tests.golden.script_accounts import ENSCHEDE


def queries(s: Session, operaria: str, lector: str) -> tuple[int, int]:
    by_city = {"ciudad": "Enschede", "proveedores": ["open_meteo"]}
    current = s.call(
        "current by city", "POST", "/api/consultas/tiempo-real", operaria, json=by_city
    )
    s.call(
        "current from default favourite",
        "POST",
        "/api/consultas/tiempo-real",
        operaria,
        json={"proveedores": ["open_meteo"]},
    )
    s.call(
        "current by coordinates",
        "POST",
        "/api/consultas/tiempo-real",
        operaria,
        json={**ENSCHEDE, "parametros": ["temperatura", "humedad_relativa"]},
    )
    s.call(
        "current bad latitude",
        "POST",
        "/api/consultas/tiempo-real",
        operaria,
        json={"latitud": 123, "longitud": 0},
    )
    s.call(
        "current unknown provider",
        "POST",
        "/api/consultas/tiempo-real",
        operaria,
        json={**ENSCHEDE, "proveedores": ["nadie"]},
    )
    s.call("current as consultor", "POST", "/api/consultas/tiempo-real", lector, json=by_city)
    s.call("current without token", "POST", "/api/consultas/tiempo-real", json=by_city)
    day = {
        **ENSCHEDE,
        "ciudad": "Enschede",
        "fecha_inicio": "1953-01-31",
        "fecha_fin": "1953-02-01",
        "zona_horaria": "Europe/Amsterdam",
    }
    daily = {**day, "granularidad": "diaria", "parametros": ["rafaga_viento", "precipitacion"]}
    history = s.call("history daily", "POST", "/api/consultas/historico", operaria, json=daily)
    s.call(
        "history hourly",
        "POST",
        "/api/consultas/historico",
        operaria,
        json={
            **day,
            "fecha_fin": "1953-01-31",
            "granularidad": "horaria",
            "parametros": ["temperatura"],
        },
    )
    s.call(
        "history reversed dates",
        "POST",
        "/api/consultas/historico",
        operaria,
        json={**daily, "fecha_inicio": "1953-02-02"},
    )
    s.call(
        "history future",
        "POST",
        "/api/consultas/historico",
        operaria,
        json={**daily, "fecha_inicio": "2030-01-01", "fecha_fin": "2030-01-02"},
    )
    s.call(
        "history bad granularity",
        "POST",
        "/api/consultas/historico",
        operaria,
        json={**daily, "granularidad": "semanal"},
    )
    return current.json["consulta"]["id"], history.json["consulta"]["id"]


def listings(s: Session, admin: str, operaria: str, otro: str, qid: int) -> None:
    s.call("my queries", "GET", "/api/consultas/mis-consultas", operaria)
    s.call(
        "my queries filtered",
        "GET",
        "/api/consultas/mis-consultas",
        operaria,
        params={"tipo": "historico", "per_page": "1"},
    )
    s.call(
        "my queries bad filter",
        "GET",
        "/api/consultas/mis-consultas",
        operaria,
        params={"estado": "rara"},
    )
    s.call("all queries", "GET", "/api/consultas", admin)
    s.call("all queries by city", "GET", "/api/consultas", admin, params={"ciudad": "Enschede"})
    s.call("all queries as operario", "GET", "/api/consultas", operaria)
    s.call("query detail", "GET", f"/api/consultas/{qid}", operaria)
    s.call("query detail as admin", "GET", f"/api/consultas/{qid}", admin)
    s.call("query of someone else", "GET", f"/api/consultas/{qid}", otro)
    s.call("query not found", "GET", "/api/consultas/999999", operaria)
    s.call("query id zero", "GET", "/api/consultas/0", operaria)


def downloads(s: Session, operaria: str, current: int, history: int) -> None:
    for qid, kind in ((current, "current"), (history, "history")):
        for fmt in ("json", "csv", "txt", "yaml"):
            s.call(
                f"download {kind} {fmt}",
                "GET",
                f"/api/consultas/{qid}/descargar",
                operaria,
                params={"formato": fmt},
            )
    path = f"/api/consultas/{history}/descargar"
    s.call("download default format", "GET", path, operaria)
    s.call(
        "download csv semicolon", "GET", path, operaria, params={"formato": "csv", "separador": ";"}
    )
    s.call("download bad format", "GET", path, operaria, params={"formato": "xml"})
    s.call(
        "download missing",
        "GET",
        "/api/consultas/999999/descargar",
        operaria,
        params={"formato": "csv"},
    )


def quota(s: Session, operaria: str, key_id: int) -> None:
    used = s.call("api key before", "GET", f"/api/api-keys/{key_id}", operaria).json["api_key"]
    one_left = {"limite_consultas_diarias": used["consultas_hoy"] + 1}
    s.call("api key one call left", "PATCH", f"/api/api-keys/{key_id}", operaria, json=one_left)
    owm = {"latitud": 44.34, "longitud": 10.99, "proveedores": ["openweathermap"]}
    s.call("keyed query spends the quota", "POST", "/api/consultas/tiempo-real", operaria, json=owm)
    s.call(
        "keyed query over quota",
        "POST",
        "/api/consultas/tiempo-real",
        operaria,
        json={**owm, "latitud": 44.0},
    )
    s.call("api key after use", "GET", f"/api/api-keys/{key_id}", operaria)


def reports(s: Session, admin: str, operaria: str) -> None:
    s.call("statistics own", "GET", "/api/reportes/estadisticas", operaria)
    s.call("statistics global", "GET", "/api/reportes/estadisticas", admin)
    s.call(
        "statistics range",
        "GET",
        "/api/reportes/estadisticas",
        admin,
        params={"desde": "2026-03-01", "hasta": "2026-03-02"},
    )
    s.call(
        "statistics bad date", "GET", "/api/reportes/estadisticas", admin, params={"desde": "ayer"}
    )
    s.call("logs", "GET", "/api/logs", admin, params={"per_page": "5"})
    s.call("logs filtered", "GET", "/api/logs", admin, params={"accion": "login_fallido"})
    s.call("logs as operario", "GET", "/api/logs", operaria)
