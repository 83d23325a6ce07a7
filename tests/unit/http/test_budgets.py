"""Issue 12.1: a daily budget per user on the system keys, and a per-user query rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dependency_injector import providers
from falcon import testing

from climaguru.app import create_app
from climaguru.container import Container, use_memory
from climaguru.settings import load_settings
from domain.model.readings import Credentials
from domain.model.users import Role
from tests.conftest import app_env
from tests.fakes import FakeGeocoder, FakeProvider
from tests.unit.http.helpers import bearer, register

BOGOTA = {"latitud": 4.61, "longitud": -74.08, "parametros": ["temperatura"]}


def build(tmp_path, clock, budget: int, per_minute: int):
    env = app_env(
        CLIMAGURU_DATA_DIR=str(tmp_path),
        SYSTEM_KEY_DAILY_BUDGET=str(budget),
        QUERIES_PER_MINUTE=str(per_minute),
    )
    container = Container(settings=load_settings(env, env_file=None))
    use_memory(container)
    container.clock.override(providers.Object(clock))
    keyed = FakeProvider("con_clave", {"temperatura": 14.1}, needs_key=True)
    free = FakeProvider("libre", {"temperatura": 14.3})
    container.weather_providers.override(providers.Object({"con_clave": keyed, "libre": free}))
    container.system_keys.override(providers.Object({"con_clave": Credentials("clave-sistema")}))
    container.geocoder.override(providers.Object(FakeGeocoder()))
    return container, testing.TestClient(create_app(container)), keyed


def query(client, auth):
    return client.simulate_post("/api/consultas/tiempo-real", json=BOGOTA, headers=auth)


def test_sixty_queries_charge_exactly_the_budget_then_cuota_agotada(tmp_path, clock):
    _, client, keyed = build(tmp_path, clock, budget=7, per_minute=1000)
    auth = bearer(register(client, "operaria")["access_token"])
    answers = [query(client, auth) for _ in range(60)]
    assert [a.status_code for a in answers] == [201] * 60  # the free provider still answers
    states = [a.json["datos"]["proveedores"]["con_clave"] for a in answers]
    assert [s["estado"] for s in states] == ["ok"] * 7 + ["error"] * 53
    assert {s["motivo"] for s in states[7:]} == {"cuota_agotada"}
    assert {c.api_key for _, c in keyed.calls} == {"clave-sistema"}
    # Another user has a budget of their own; the next day the first one's budget is back.
    other = bearer(register(client, "otra")["access_token"])
    assert query(client, other).json["datos"]["proveedores"]["con_clave"]["estado"] == "ok"
    clock.advance(timedelta(days=1).total_seconds())
    assert query(client, auth).json["datos"]["proveedores"]["con_clave"]["estado"] == "ok"


def test_the_budget_is_visible_in_own_and_admin_statistics(tmp_path, clock):
    container, client, _ = build(tmp_path, clock, budget=3, per_minute=1000)
    session = register(client, "operaria")
    auth = bearer(session["access_token"])
    for _ in range(5):
        query(client, auth)
    own = client.simulate_get("/api/reportes/estadisticas", headers=auth).json
    expected = {
        "usuario_id": session["usuario"]["id"],
        "proveedor": "con_clave",
        "usadas_hoy": 3,
        "presupuesto_diario": 3,
    }
    assert own["claves_sistema_hoy"] == [expected]
    admin = register(client, "jefa")
    with container.uow() as uow:
        uow._store.users[admin["usuario"]["id"]].role = Role.ADMIN
        uow.commit()
    everyone = client.simulate_get(
        "/api/reportes/estadisticas", headers=bearer(admin["access_token"])
    ).json
    assert expected in everyone["claves_sistema_hoy"]


def test_queries_beyond_the_rate_limit_get_429_with_retry_after(tmp_path, clock):
    _, client, _ = build(tmp_path, clock, budget=100, per_minute=3)
    auth = bearer(register(client, "operaria")["access_token"])  # tokens from the real now
    clock.advance((75 - clock.now.second) % 60)  # 15 s into a minute
    assert [query(client, auth).status_code for _ in range(3)] == [201] * 3
    refused = query(client, auth)
    assert refused.status_code == 429
    assert refused.json["error"] == "demasiadas_consultas"
    assert refused.headers["Retry-After"] == "45"
    history = client.simulate_post(
        "/api/consultas/historico",
        json={**BOGOTA, "fecha_inicio": "2025-01-01", "fecha_fin": "2025-01-02"},
        headers=auth,
    )
    assert history.status_code == 429
    clock.advance(45)
    assert query(client, auth).status_code == 201


@pytest.mark.parametrize("name", ["SYSTEM_KEY_DAILY_BUDGET", "QUERIES_PER_MINUTE"])
def test_the_limits_are_settings_that_refuse_nonsense(tmp_path, name):
    from climaguru.settings import SettingsError

    with pytest.raises(SettingsError, match=name):
        load_settings(app_env(CLIMAGURU_DATA_DIR=str(tmp_path), **{name: "muchas"}), env_file=None)
