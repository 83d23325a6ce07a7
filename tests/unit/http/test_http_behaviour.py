"""HTTP behaviour common to every route: JSON errors, limits, request ids, CORS, health."""

from __future__ import annotations

import json

import pytest
from dependency_injector import providers
from falcon import testing

from climaguru.app import create_app
from climaguru.container import Container, use_memory
from climaguru.settings import load_settings
from tests.conftest import app_env
from tests.unit.http.helpers import bearer, register

JSON = {"Content-Type": "application/json"}


def _assert_error(result, status: int, code: str) -> dict:
    assert result.status_code == status, result.text
    assert result.headers["Content-Type"].startswith("application/json")
    body = result.json
    assert body["error"] == code
    assert body["message"]
    assert body["request_id"] == result.headers["X-Request-ID"]
    assert "Traceback" not in result.text
    return body


def test_unknown_route_is_json_404(client):
    _assert_error(client.simulate_get("/api/no-existe"), 404, "no_encontrado")


def test_unknown_route_is_json_even_when_xml_is_preferred(client):
    result = client.simulate_get("/api/no-existe", headers={"Accept": "application/xml"})
    _assert_error(result, 404, "no_encontrado")


def test_wrong_method_is_json_405(client):
    _assert_error(client.simulate_get("/api/auth/login"), 405, "metodo_no_permitido")


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"",
        b'{"username": NaN}',
        b'{"username": Infinity, "password": "x"}',
        b'{"a": -Infinity}',
        b"[1, 2]",
        b'"texto"',
        b"\xff\xfe",
        b"[" * 5000 + b"]" * 5000,
        b'{"a": ' + b"[" * 40 + b"1" + b"]" * 40 + b"}",  # 41 levels: over the 32 allowed
    ],
)
def test_bad_json_is_400(client, raw):
    _assert_error(
        client.simulate_post("/api/auth/login", body=raw, headers=JSON), 400, "json_invalido"
    )


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded", None])
def test_non_json_content_type_is_415(client, ctype):
    headers = {"Content-Type": ctype} if ctype else {}
    result = client.simulate_post("/api/auth/login", body=b'{"a": 1}', headers=headers)
    _assert_error(result, 415, "tipo_contenido_no_soportado")


def test_json_with_charset_is_accepted(client):
    result = client.simulate_post(
        "/api/auth/login",
        body=b'{"username": "x", "password": "y"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert result.status_code == 401


def test_body_over_the_limit_is_413(client):
    big = json.dumps({"username": "x" * 70_000, "password": "y"}).encode()
    _assert_error(
        client.simulate_post("/api/auth/login", body=big, headers=JSON),
        413,
        "cuerpo_demasiado_grande",
    )


def test_request_id_is_echoed_or_generated(client):
    given = client.simulate_get("/api/health", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    made = client.simulate_get("/api/health")
    assert len(made.headers["X-Request-ID"]) == 32
    hostile = client.simulate_get("/api/health", headers={"X-Request-ID": 'x" ; drop <script>'})
    assert hostile.headers["X-Request-ID"] != 'x" ; drop <script>'


def test_unexpected_exception_is_500_without_details(container, caplog):
    app = create_app(container)

    class Boom:
        def on_get(self, req, resp):
            raise RuntimeError("SELECT secret FROM usuarios")

    app.add_route("/api/boom", Boom())  # not in the route table, so private
    client = testing.TestClient(app)
    token = register(client, "boom")["access_token"]
    headers = {"X-Request-ID": "rid-500", **bearer(token)}
    result = client.simulate_get("/api/boom", headers=headers)
    body = _assert_error(result, 500, "error_interno")
    assert "SELECT" not in result.text
    assert body["request_id"] == "rid-500"
    logged = [getattr(r, "fields", {}) for r in caplog.records if r.levelname == "ERROR"]
    assert any(f["request_id"] == "rid-500" and "RuntimeError" in f["traceback"] for f in logged)


def test_health_reports_database(client):
    result = client.simulate_get("/api/health")
    assert result.status_code == 200
    assert result.json == {"estado": "ok", "base_de_datos": "ok"}


def test_health_is_503_when_the_database_is_down(tmp_path):
    settings = load_settings(
        app_env(
            DATABASE_URL="mysql+pymysql://nadie:x@127.0.0.1:1/nada",
            CLIMAGURU_DATA_DIR=str(tmp_path),
        ),
        env_file=None,
    )
    result = testing.TestClient(create_app(Container(settings=settings))).simulate_get(
        "/api/health"
    )
    assert result.status_code == 503
    assert result.json["base_de_datos"] == "error"


def _cors_client(tmp_path, origins: str) -> testing.TestClient:
    settings = load_settings(
        app_env(CORS_ORIGINS=origins, CLIMAGURU_DATA_DIR=str(tmp_path)), env_file=None
    )
    container = Container(settings=settings)
    use_memory(container)
    container.clock.override(providers.Object(container.clock()))
    return testing.TestClient(create_app(container))


def test_cors_allows_only_configured_origins(tmp_path):
    client = _cors_client(tmp_path, "https://app.climaguru.co")
    ok = client.simulate_get("/api/health", headers={"Origin": "https://app.climaguru.co"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://app.climaguru.co"
    other = client.simulate_get("/api/health", headers={"Origin": "https://malo.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_cors_preflight_for_a_private_route(tmp_path):
    client = _cors_client(tmp_path, "https://app.climaguru.co")
    result = client.simulate_options(
        "/api/auth/me",
        headers={
            "Origin": "https://app.climaguru.co",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert result.status_code == 200
    assert result.headers["Access-Control-Allow-Origin"] == "https://app.climaguru.co"
    assert "authorization" in result.headers["Access-Control-Allow-Headers"].lower()
