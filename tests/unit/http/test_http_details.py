"""HTTP details a client or a cache notices: token responses, CORS, input text and dates."""

from __future__ import annotations

import io
import json

import pytest
from falcon import testing

from tests.unit.http.helpers import bearer, login, refresh, register
from tests.unit.http.test_current_queries import BOGOTA, build, three_models
from tests.unit.http.test_http_behaviour import _cors_client


def test_token_responses_are_never_cached(client):
    """RFC 6749 §5.1: a response carrying tokens says Cache-Control: no-store."""
    registered = client.simulate_post(
        "/api/auth/register",
        json={"username": "cachera", "email": "cachera@ejemplo.co", "password": "Clave-Larga-2026"},
    )
    assert registered.status_code == 201
    logged = login(client, "Clave-Larga-2026", username="cachera")
    renewed = refresh(client, logged.json["refresh_token"])
    for result in (registered, logged, renewed):
        assert result.status_code in (200, 201), result.json
        assert result.headers.get("Cache-Control") == "no-store"
        assert result.headers.get("Pragma") == "no-cache"


def test_cors_answers_vary_by_origin(tmp_path):
    """An answer that echoes one origin must not be served from a cache to another origin."""
    client = _cors_client(tmp_path, "https://app.climaguru.co")
    ok = client.simulate_get("/api/health", headers={"Origin": "https://app.climaguru.co"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://app.climaguru.co"
    assert "Origin" in [v.strip() for v in ok.headers["Vary"].split(",")]
    preflight = client.simulate_options(
        "/api/auth/me",
        headers={"Origin": "https://app.climaguru.co", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://app.climaguru.co"
    assert "Origin" in [v.strip() for v in preflight.headers["Vary"].split(",")]


@pytest.mark.parametrize(
    ("start", "end", "field", "reason"),
    [
        ("0001-01-01", "0001-01-02", "fecha_inicio", "anterior_al_historico"),
        ("1939-12-31", "1940-01-05", "fecha_inicio", "anterior_al_historico"),
        ("20240101", "2024-01-02", "fecha_inicio", "formato_invalido"),
        ("2024-W01-1", "2024-01-02", "fecha_inicio", "formato_invalido"),
        ("2024-01-01", "2024-001", "fecha_fin", "formato_invalido"),
        ("2024-01-01", "2024-01-02T00:00", "fecha_fin", "formato_invalido"),
        ("2024-01-01", "2024-01-02\n", "fecha_fin", "caracteres_de_control"),
        ("٢٠٢٤-٠١-٠١", "2024-01-02", "fecha_inicio", "formato_invalido"),
        ("2024-02-30", "2024-03-01", "fecha_inicio", "formato_invalido"),
    ],
)
def test_history_dates_are_strict_calendar_days(container, start, end, field, reason):
    """Only AAAA-MM-DD within the providers' archive: anything else is 400 before any call."""
    fakes = three_models()
    client, auth, _ = build(container, fakes)
    body = {**BOGOTA, "fecha_inicio": start, "fecha_fin": end}
    result = client.simulate_post("/api/consultas/historico", json=body, headers=auth)
    assert result.status_code == 400, result.json
    assert result.json["detalles"][field] == reason
    assert all(not f.calls for f in fakes)


def test_history_accepts_the_first_archived_day(container):
    fakes = three_models()
    client, auth, _ = build(container, fakes)
    body = {**BOGOTA, "fecha_inicio": "1940-01-01", "fecha_fin": "1940-01-03"}
    result = client.simulate_post("/api/consultas/historico", json=body, headers=auth)
    assert result.status_code != 400, result.json


@pytest.mark.parametrize(
    "text",
    ["Bogo\x00tá", "Bogotá\r\nX-Falso: 1", "Bo\tgotá", "Bogotá\x7f", "Bo\x85gotá", "Bogotá\u2028"],
)
def test_control_characters_in_text_fields_are_400(container, text):
    """NUL, CR/LF, TAB, DEL, C1 in any free-text field: 400 naming the field, nothing stored."""
    fakes = three_models()
    client, auth, _ = build(container, fakes)
    query = client.simulate_post("/api/consultas/tiempo-real", json={"ciudad": text}, headers=auth)
    assert query.status_code == 400, query.json
    assert query.json["error"] == "validacion"
    assert query.json["detalles"] == {"ciudad": "caracteres_de_control"}
    assert all(not f.calls for f in fakes)
    favourite = {"nombre_ciudad": text, "latitud": 4.6, "longitud": -74.1, "pais": "CO"}
    stored = client.simulate_post("/api/ciudades-favoritas", json=favourite, headers=auth)
    assert stored.status_code == 400, stored.json
    assert stored.json["detalles"] == {"nombre_ciudad": "caracteres_de_control"}
    assert (
        client.simulate_get("/api/ciudades-favoritas", headers=auth).json["ciudades_favoritas"]
        == []
    )
    body = {"username": "otra", "email": "otra@ejemplo.co", "password": "Clave-Larga-2026"}
    named = client.simulate_post("/api/auth/register", json={**body, "nombre_completo": text})
    assert named.status_code == 400, named.json
    assert named.json["detalles"] == {"nombre_completo": "caracteres_de_control"}


def test_plain_unicode_text_is_kept(container):
    client, auth, _ = build(container, three_models())
    favourite = {"nombre_ciudad": "São Paulo – Ñuñoa", "latitud": 4.6, "longitud": -74.1}
    assert (
        client.simulate_post("/api/ciudades-favoritas", json=favourite, headers=auth).status_code
        == 201
    )


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/auth/me", {"GET", "OPTIONS"}),
        ("PUT", "/api/consultas/tiempo-real", {"POST", "OPTIONS"}),
        ("GET", "/api/auth/logout", {"POST", "OPTIONS"}),
        ("PATCH", "/api/consultas/mis-consultas", {"GET", "OPTIONS"}),
    ],
)
def test_a_method_the_route_lacks_is_405_with_allow_for_anyone(client, method, path, allow):
    """Anonymous or not, the answer is the same 405 naming the methods the path has."""
    token = register(client, "metodica")["access_token"]
    for headers in ({}, bearer(token), bearer("no-es-un-token")):
        result = client.simulate_request(method, path, headers=headers)
        assert result.status_code == 405, (headers, result.json)
        assert result.json["error"] == "metodo_no_permitido"
        assert {m.strip() for m in result.headers["Allow"].split(",")} == allow


def test_an_existing_method_still_needs_a_token(client):
    assert client.simulate_get("/api/auth/me").status_code == 401


def _chunked(client, path: str, body: bytes, headers: dict | None = None) -> tuple[str, dict]:
    """POST `body` as gunicorn hands over a chunked request: no Content-Length, wsgi.input
    already de-chunked and ending at the last chunk."""
    environ = testing.create_environ(
        method="POST",
        path=path,
        body=body,
        headers={
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
            **(headers or {}),
        },
    )
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input"] = io.BytesIO(body)
    start = testing.StartResponseMock()
    raw = b"".join(client.app(environ, start))
    return start.status, json.loads(raw)


def test_a_small_chunked_body_is_read(client):
    body = {"username": "troceada", "email": "troceada@ejemplo.co", "password": "Clave-Larga-2026"}
    status, answer = _chunked(client, "/api/auth/register", json.dumps(body).encode())
    assert status.startswith("201"), answer
    assert answer["usuario"]["username"] == "troceada"


def test_a_chunked_body_over_the_limit_is_413(client, settings):
    padding = "x" * settings.max_body_bytes
    body = {"username": "enorme", "email": "enorme@ejemplo.co", "password": padding}
    status, answer = _chunked(client, "/api/auth/register", json.dumps(body).encode())
    assert status.startswith("413"), answer
    assert answer["error"] == "cuerpo_demasiado_grande"
