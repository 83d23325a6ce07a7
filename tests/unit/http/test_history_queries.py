"""POST /api/consultas/historico, GET mis-consultas and GET /consultas/{id} over memory."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.model.consensus import Reason
from domain.model.users import Role
from tests.fakes import FakeProvider
from tests.unit.http.helpers import bearer, register, register_as
from tests.unit.http.test_current_queries import BOGOTA, build, three_models

BOGOTA_TZ = ZoneInfo("America/Bogota")


def _history(client, auth, **body):
    return client.simulate_post("/api/consultas/historico", json={**BOGOTA, **body}, headers=auth)


def _days_ago(clock, n: int) -> str:
    return (clock().astimezone(BOGOTA_TZ).date() - timedelta(days=n)).isoformat()


def warm(day_offset: float):
    return lambda instant: {
        "temperatura": 10.0 + instant.day % 3 + day_offset,
        "precipitacion": 1.0,
    }


def test_daily_series_with_summary(container, clock):
    fakes = [
        FakeProvider("a", daily=warm(0.0)),
        FakeProvider("b", daily=warm(0.2)),
        FakeProvider("c", daily=warm(0.4)),
    ]
    client, auth, _ = build(container, fakes)
    start, end = _days_ago(clock, 6), _days_ago(clock, 1)
    result = _history(
        client,
        auth,
        fecha_inicio=start,
        fecha_fin=end,
        granularidad="diaria",
        parametros=["temperatura", "precipitacion"],
    )
    assert result.status_code == 201, result.json
    body = result.json
    assert body["consulta"]["tipo_consulta"] == "historico"
    assert body["consulta"]["fecha_inicio"] == start
    assert body["serie_total"] == 6 and len(body["serie"]) == 6 and not body["serie_truncada"]
    first = body["serie"][0]
    assert first["instante"] == f"{start}T00:00:00-05:00"
    day = datetime.fromisoformat(first["instante"])
    assert first["consenso"]["temperatura"]["valor"] == pytest.approx(10.2 + day.day % 3)
    temps = [p["consenso"]["temperatura"]["valor"] for p in body["serie"]]
    summary = body["resumen"]["temperatura"]
    assert summary["min"] == pytest.approx(min(temps))
    assert summary["max"] == pytest.approx(max(temps))
    assert summary["promedio"] == pytest.approx(sum(temps) / len(temps))
    assert summary["n_instantes"] == 6
    assert body["resumen"]["precipitacion"]["promedio"] == pytest.approx(1.0)


def test_hourly_series_is_cut_at_local_midnight(container, clock):
    client, auth, _ = build(container, [FakeProvider("a", {"temperatura": 12.0})])
    day = _days_ago(clock, 2)
    result = _history(client, auth, fecha_inicio=day, fecha_fin=day, granularidad="horaria")
    assert result.status_code == 201
    series = result.json["serie"]
    assert len(series) == 24
    assert series[0]["instante"] == f"{day}T00:00:00-05:00"
    assert series[-1]["instante"] == f"{day}T23:00:00-05:00"


def test_other_time_zone_days(container, clock):
    client, auth, _ = build(container, [FakeProvider("a", {"temperatura": 12.0})])
    day = _days_ago(clock, 3)
    result = _history(
        client,
        auth,
        fecha_inicio=day,
        fecha_fin=day,
        granularidad="diaria",
        zona_horaria="Europe/Madrid",
    )
    assert result.status_code == 201
    assert result.json["serie"][0]["instante"].startswith(f"{day}T00:00:00+0")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"fecha_inicio": "2024-01-10", "fecha_fin": "2024-01-01"}, "fecha_inicio"),
        ({"fecha_inicio": "2024-01-01", "fecha_fin": "2099-01-01"}, "fecha_fin"),
        ({"fecha_inicio": "2024-02-30", "fecha_fin": "2024-03-01"}, "fecha_inicio"),
        ({"fecha_fin": "2024-03-01"}, "fecha_inicio"),
        (
            {"fecha_inicio": "2023-01-01", "fecha_fin": "2024-12-31", "granularidad": "horaria"},
            "fecha_inicio",
        ),
        (
            {"fecha_inicio": "1990-01-01", "fecha_fin": "2024-12-31", "granularidad": "diaria"},
            "fecha_inicio",
        ),
        (
            {"fecha_inicio": "2024-01-01", "fecha_fin": "2024-01-02", "granularidad": "semanal"},
            "granularidad",
        ),
        (
            {
                "fecha_inicio": "2024-01-01",
                "fecha_fin": "2024-01-02",
                "zona_horaria": "Marte/Olympus",
            },
            "zona_horaria",
        ),
    ],
)
def test_bad_ranges_are_400_before_any_provider_call(container, body, field):
    fakes = three_models()
    client, auth, _ = build(container, fakes)
    result = _history(client, auth, **body)
    assert result.status_code == 400, result.json
    assert field in result.json["detalles"]
    assert all(not f.calls for f in fakes)


def test_history_all_failing_is_502(container, clock):
    client, auth, _ = build(container, [FakeProvider("x", fail=(Reason.ERROR, "http_503"))])
    day = _days_ago(clock, 2)
    result = _history(client, auth, fecha_inicio=day, fecha_fin=day)
    assert result.status_code == 502
    assert "Retry-After" in result.headers


def test_history_no_asked_provider_serves_is_422_without_retry_after(container, clock):
    fakes = [FakeProvider("x", fail=(Reason.ERROR, "rango_no_soportado"))]
    client, auth, _ = build(container, fakes)
    day = _days_ago(clock, 2)
    result = _history(client, auth, fecha_inicio=day, fecha_fin=day)
    assert result.status_code == 422, result.text
    assert "Retry-After" not in result.headers
    assert result.json["detalles"] == {"x": "rango_no_soportado"}


def test_my_queries_pagination_and_filters(container, clock):
    client, auth, _ = build(container, three_models())
    for _ in range(3):
        client.simulate_post("/api/consultas/tiempo-real", json=BOGOTA, headers=auth)
    day = _days_ago(clock, 2)
    _history(client, auth, fecha_inicio=day, fecha_fin=day)
    page = client.simulate_get(
        "/api/consultas/mis-consultas", params={"per_page": 2, "page": 1}, headers=auth
    ).json
    assert (page["total"], page["pages"], len(page["consultas"])) == (4, 2, 2)
    ids = [q["id"] for q in page["consultas"]]
    assert ids == sorted(ids, reverse=True)
    only_history = client.simulate_get(
        "/api/consultas/mis-consultas", params={"tipo": "historico"}, headers=auth
    ).json
    assert only_history["total"] == 1
    today = clock().date().isoformat()
    in_range = client.simulate_get(
        "/api/consultas/mis-consultas", params={"desde": today, "hasta": today}, headers=auth
    ).json
    assert in_range["total"] == 4


@pytest.mark.parametrize(
    "params",
    [{"per_page": 101}, {"per_page": 0}, {"page": "x"}, {"tipo": "otro"}, {"desde": "ayer"}],
)
def test_my_queries_bad_parameters_are_400(container, params):
    client, auth, _ = build(container, three_models())
    result = client.simulate_get("/api/consultas/mis-consultas", params=params, headers=auth)
    assert result.status_code == 400


def test_query_detail_is_private(container, clock):
    client, auth, _ = build(container, three_models())
    query_id = client.simulate_post("/api/consultas/tiempo-real", json=BOGOTA, headers=auth).json[
        "consulta"
    ]["id"]
    own = client.simulate_get(f"/api/consultas/{query_id}", headers=auth)
    assert own.status_code == 200
    assert own.json["datos"]["consenso"]["temperatura"]["valor"] == pytest.approx(14.2)
    other = bearer(register(client, "otra")["access_token"])
    hidden = client.simulate_get(f"/api/consultas/{query_id}", headers=other)
    missing = client.simulate_get("/api/consultas/999999", headers=other)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json["error"] == missing.json["error"]
    assert hidden.json["message"] == missing.json["message"]


def test_history_detail_holds_the_stored_series(container, clock):
    client, auth, _ = build(container, three_models())
    start, end = _days_ago(clock, 4), _days_ago(clock, 1)
    created = _history(client, auth, fecha_inicio=start, fecha_fin=end).json
    detail = client.simulate_get(f"/api/consultas/{created['consulta']['id']}", headers=auth).json
    assert detail["serie_total"] == 4
    assert [p["instante"] for p in detail["serie"]] == [p["instante"] for p in created["serie"]]
    assert detail["resumen"]["temperatura"]["promedio"] == pytest.approx(14.2)
    assert detail["fuentes_utilizadas"] == ["a", "b", "c"]


def test_admin_sees_every_query(container, clock):
    client, auth, _ = build(container, three_models())
    query_id = client.simulate_post("/api/consultas/tiempo-real", json=BOGOTA, headers=auth).json[
        "consulta"
    ]["id"]
    admin = register_as(client, container, "jefa", Role.ADMIN)
    result = client.simulate_get(
        f"/api/consultas/{query_id}", headers=bearer(admin["access_token"])
    )
    assert result.status_code == 200
