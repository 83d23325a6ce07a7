"""Accounts on real databases: quotas under concurrency, key rotation, favourites, users,
audit log and reports — on SQLite and MariaDB."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from dependency_injector import providers
from falcon import testing

from adapters.providers.http_client import ProviderHttp
from adapters.providers.openweathermap import OpenWeatherMapProvider
from climaguru.app import create_app
from climaguru.container import Container
from climaguru.settings import load_settings
from domain.model.location import Location
from domain.model.users import Role
from tests.conftest import app_env
from tests.fakes import FakeGeocoder, FakeProvider
from tests.unit.http.helpers import PASSWORD, bearer, register

ZOCCA = "tests/fixtures/provider-samples/openweathermap/current-2.5-zocca-docs-example.json"
SECRET = "clave-owm-real-0a1b2c3d4e5f"


def _client(container):
    return testing.TestClient(create_app(container))


def _promote(container, user_id: int, role: Role) -> None:
    with container.uow() as uow:
        user = uow.users.get(user_id)
        user.role = role
        uow.users.update(user)
        uow.commit()


def test_forty_concurrent_calls_on_a_key_limited_to_five(sql_container, httpserver):
    httpserver.expect_request("/data/2.5/weather").respond_with_data(
        Path(ZOCCA).read_bytes(), content_type="application/json"
    )
    owm = OpenWeatherMapProvider(
        ProviderHttp("openweathermap", httpserver.url_for("").rstrip("/"), 5)
    )
    sql_container.weather_providers.override(providers.Object({"openweathermap": owm}))
    client = _client(sql_container)
    session = register(client, "cuotas")
    auth = bearer(session["access_token"])
    key = client.simulate_post(
        "/api/api-keys",
        json={"proveedor": "openweathermap", "api_key": SECRET, "limite_consultas_diarias": 5},
        headers=auth,
    ).json["api_key"]
    calls = sql_container.provider_calls()
    credentials = calls.credentials_for(session["usuario"]["id"], ["openweathermap"])[
        "openweathermap"
    ]

    def call(i: int) -> str:
        try:
            owm.current(Location(44.34 + i * 0.01, 10.99), ("temperatura",), credentials)
            return "ok"
        except Exception as exc:  # ProviderUnavailable
            return getattr(exc, "code", "otro")

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(call, range(40)))
    assert outcomes.count("ok") == 5
    assert outcomes.count("cuota_agotada") == 35
    assert sum(1 for r, _ in httpserver.log if r.path == "/data/2.5/weather") == 5
    stored = client.simulate_get(f"/api/api-keys/{key['id']}", headers=auth).json["api_key"]
    assert stored["consultas_hoy"] == 5


def test_rotation_reencrypts_everything_and_can_run_twice(sql_container, sql_url, tmp_path):
    client = _client(sql_container)
    auth = bearer(register(client, "rotadora")["access_token"])
    for provider in ("openweathermap", "meteoblue", "meteosource"):
        body = {"proveedor": provider, "api_key": f"{SECRET}-{provider}"}
        if provider == "meteoblue":
            body["api_secret"] = "secreto-firma-meteoblue"
        assert client.simulate_post("/api/api-keys", json=body, headers=auth).status_code == 201
    old_key = sql_container.settings().encryption_keys[0]
    new_key = Fernet.generate_key().decode()
    rotated_settings = load_settings(
        app_env(
            DATABASE_URL=sql_url,
            CLIMAGURU_DATA_DIR=str(tmp_path),
            ENCRYPTION_KEY=f"{new_key},{old_key}",
        ),
        env_file=None,
    )
    rotated = Container(settings=rotated_settings)
    assert rotated.rotate_encryption_key()().rotated == 3
    assert rotated.rotate_encryption_key()().rotated == 3  # twice: nothing lost
    only_new = Fernet(new_key.encode())
    with rotated.uow() as uow:
        keys = uow.api_keys.list_for_user(None)
    plain = {k.provider: only_new.decrypt(k.key_ciphertext.encode()).decode() for k in keys}
    assert plain == {p: f"{SECRET}-{p}" for p in ("meteoblue", "meteosource", "openweathermap")}
    blue = next(k for k in keys if k.provider == "meteoblue")
    assert only_new.decrypt(blue.secret_ciphertext.encode()) == b"secreto-firma-meteoblue"
    rotated.engine().dispose()


@pytest.mark.mysql
def test_a_database_dump_contains_no_plaintext_key(mysql_engine, tmp_path):
    settings = load_settings(
        app_env(
            DATABASE_URL=mysql_engine.url.render_as_string(hide_password=False),
            CLIMAGURU_DATA_DIR=str(tmp_path),
        ),
        env_file=None,
    )
    container = Container(settings=settings)
    client = _client(container)
    auth = bearer(register(client, "volcado")["access_token"])
    client.simulate_post(
        "/api/api-keys",
        json={"proveedor": "meteoblue", "api_key": SECRET, "api_secret": "firma-secreta-xyz"},
        headers=auth,
    )
    database = mysql_engine.url.database
    dump = subprocess.run(
        [
            "mysqldump",
            "--protocol=tcp",
            "-h127.0.0.1",
            "-uroot",
            "--skip-extended-insert",
            database,
        ],
        capture_output=True,
        timeout=60,
        check=True,
    ).stdout
    assert b"INSERT INTO `api_keys`" in dump
    assert SECRET.encode() not in dump
    assert b"firma-secreta-xyz" not in dump
    assert PASSWORD.encode() not in dump
    container.engine().dispose()


def test_accounts_scenario_on_a_real_database(sql_container):
    sql_container.weather_providers.override(
        providers.Object({"a": FakeProvider("a", {"temperatura": 18.0})})
    )
    sql_container.geocoder.override(providers.Object(FakeGeocoder()))
    client = _client(sql_container)
    boss = register(client, "jefa")
    _promote(sql_container, boss["usuario"]["id"], Role.ADMIN)
    admin = bearer(boss["access_token"])
    op_session = register(client, "operaria")
    op = bearer(op_session["access_token"])
    # favourites: unique, one default, used by a query without location
    fav = {"nombre_ciudad": "Bogotá", "latitud": 4.60971, "longitud": -74.08175, "es_default": True}
    assert client.simulate_post("/api/ciudades-favoritas", json=fav, headers=op).status_code == 201
    assert client.simulate_post("/api/ciudades-favoritas", json=fav, headers=op).status_code == 409
    other = {**fav, "nombre_ciudad": "Medellín", "latitud": 6.25184, "longitud": -75.56359}
    assert (
        client.simulate_post("/api/ciudades-favoritas", json=other, headers=op).status_code == 201
    )
    defaults = [
        f["nombre_ciudad"]
        for f in client.simulate_get("/api/ciudades-favoritas", headers=op).json[
            "ciudades_favoritas"
        ]
        if f["es_default"]
    ]
    assert defaults == ["Medellín"]
    query = client.simulate_post("/api/consultas/tiempo-real", json={}, headers=op)
    assert query.status_code == 201 and query.json["ubicacion"]["ciudad"] == "Medellín"
    client.simulate_post("/api/consultas/tiempo-real", json={"ciudad": "Bogotá"}, headers=op)
    # reports: SQL aggregates
    own = client.simulate_get("/api/reportes/estadisticas", headers=op).json
    assert (own["total_consultas"], own["completadas"], own["errores"]) == (2, 2, 0)
    assert {c["ciudad"] for c in own["ciudades_principales"]} == {"Medellín", "Bogotá"}
    glob = client.simulate_get("/api/reportes/estadisticas", headers=admin).json
    rows = {r["username"]: r for r in glob["por_usuario"]}
    assert rows["operaria"]["consultas_exitosas"] == 2 and rows["jefa"]["total_consultas"] == 0
    assert glob["proveedores"]["a"]["llamadas"] == 2
    # users: search, last admin, deactivation
    found = client.simulate_get("/api/usuarios", params={"q": "OPER"}, headers=admin).json
    assert [u["username"] for u in found["usuarios"]] == ["operaria"]
    boss_id = boss["usuario"]["id"]
    assert client.simulate_delete(f"/api/usuarios/{boss_id}", headers=admin).status_code == 409
    op_id = op_session["usuario"]["id"]
    assert client.simulate_delete(f"/api/usuarios/{op_id}", headers=admin).status_code == 200
    assert client.simulate_get("/api/auth/me", headers=op).status_code == 401
    # audit log
    logs = client.simulate_get("/api/logs", params={"accion": "usuario_desactivado"}, headers=admin)
    assert logs.json["total"] == 1
    assert logs.json["logs"][0]["detalle"]["usuario_id"] == op_id
    today = client.simulate_get(
        "/api/logs", params={"usuario": op_id, "per_page": 100}, headers=admin
    ).json
    assert {"registro", "consulta_tiempo_real"} <= {e["accion"] for e in today["logs"]}
