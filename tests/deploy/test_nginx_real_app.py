"""The shipped nginx site in front of ClimaGuru under gunicorn (deploy/gunicorn.conf.py).

TLS with a verified certificate, the auth rate limits on every path form the app serves,
size and header limits answered as JSON at every edge, /metrics unreachable from outside,
and the client's own address in the audit log through X-Forwarded-For.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import require_tool
from tests.deploy.nginx_harness import HOST, SITE
from tests.deploy.real_app import Stack, request, start_stack

PASSWORD = "Cordillera-Andina-2026"
# Candidate spellings of the limited routes; the test asks the app which of them it serves.
LOGIN_FORMS = [
    "/api/auth/login",
    "/api/auth/login/",
    "//api/auth/login",
    "/api/auth/%6cogin",
    "/api/auth%2Flogin",
    "/API/auth/login",
    f"https://{HOST}/api/auth/login",
    "/api/auth/register",
    "/api/auth/register/",
    "/api/%61uth/register",
    "/api/usuarionuevo",
    "/api/usuarionuevo/",
    "/api//usuarionuevo",
]
REFRESH_FORMS = [
    "/api/auth/refresh",
    "/api/auth/refresh/",
    "//api/auth/refresh",
    "/api/auth%2Frefresh",
]
METRICS_FORMS = ["/metrics", "/metrics/", "//metrics", "/METRICS", "/%6detrics", "/api/metrics"]


def _burst(zone: str) -> int:
    found = re.search(rf"limit_req zone={zone} burst=(\d+)", SITE.read_text())
    return int(found.group(1))


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Stack:
    running = start_stack(require_tool("nginx"), tmp_path_factory.mktemp("real"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def user(stack) -> dict:
    """An operario registered through nginx from 127.0.0.6, claiming to be someone else."""
    spoof = {"X-Forwarded-For": "203.0.113.7, 198.51.100.1"}
    body = {"username": "ana_real", "email": "ana_real@ejemplo.co", "password": PASSWORD}
    with stack.client("127.0.0.6") as http:
        resp = http.post(f"{stack.base}/api/auth/register", json=body, headers=spoof)
        assert resp.status_code == 201, resp.text
        login = http.post(
            f"{stack.base}/api/auth/login",
            json={"username": "ana_real", "password": PASSWORD},
            headers=spoof,
        )
    assert login.status_code == 200, login.text
    return login.json()


def _served(stack: Stack, forms: list[str]) -> list[str]:
    return [form for form in forms if stack.direct(request("POST", form)) != 404]


def _assert_limited_at_the_edge(stack: Stack, forms: list[str], address: str) -> None:
    before = len(stack.app_paths())
    for form in forms:
        status, headers, body = stack.raw(request("POST", form), address)
        assert status == 429, (form, status, body)
        assert headers["Content-Type"] == "application/json"
        assert headers["Retry-After"] == "6"
        assert b'"error":"demasiados_intentos"' in body
    assert len(stack.app_paths()) == before  # none of them reached the app


def test_tls_and_the_request_id_reach_the_real_app(stack):
    with stack.client("127.0.0.2") as http:
        resp = http.get(f"{stack.base}/api/health", headers={"X-Request-ID": "cliente-real-0001"})
        assert resp.status_code == 200 and resp.json()["estado"] == "ok"
        assert resp.headers["X-Request-ID"] == "cliente-real-0001"  # nginx kept it, the app echoed
        assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
        plain = http.get(
            f"http://127.0.0.1:{stack.prefix.http_port}/api/health", allow_redirects=False
        )
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")


def test_every_login_and_register_form_the_app_serves_shares_one_bucket(stack):
    served = _served(stack, LOGIN_FORMS)
    # The app really serves these spellings (what issue 12.3 saw bypass the exact locations).
    assert {"/api/usuarionuevo", "/api/auth/login/", "/api/auth/register/"} <= set(served)
    burst, before = _burst("climaguru_auth"), len(stack.app_paths())
    for _ in range(burst + 1):
        status, _, _ = stack.raw(request("POST", "/api/auth/register"), "127.0.0.3")
        assert status != 429  # within the burst: the app answers (400: incomplete body)
    assert len(stack.app_paths()) == before + burst + 1
    _assert_limited_at_the_edge(stack, served, "127.0.0.3")
    # Another client address has its own bucket.
    status, headers, _ = stack.raw(request("POST", "/api/usuarionuevo/"), "127.0.0.4")
    assert status == 400 and "X-Request-ID" in headers  # the app's own answer


def test_refresh_forms_have_their_own_bucket(stack):
    served = _served(stack, REFRESH_FORMS)
    assert {"/api/auth/refresh", "/api/auth/refresh/"} <= set(served)
    for _ in range(_burst("climaguru_refresh") + 1):
        assert stack.raw(request("POST", "/api/auth/refresh"), "127.0.0.5")[0] != 429
    _assert_limited_at_the_edge(stack, served, "127.0.0.5")
    assert stack.raw(request("POST", "/api/auth/login/"), "127.0.0.5")[0] == 401  # other bucket


def test_metrics_is_not_reachable_from_outside(stack):
    before = len(stack.app_paths())
    for form in METRICS_FORMS:
        status, headers, body = stack.raw(request("GET", form))
        assert status == 404, form
        assert headers["Content-Type"] == "application/json"
        assert body.startswith(b'{"error":"no_encontrado"')
    assert len(stack.app_paths()) == before  # answered by nginx, never proxied


def test_body_limits_answer_json_at_both_edges(stack, user):
    auth = {"Authorization": f"Bearer {user['access_token']}", "Content-Type": "application/json"}
    url = f"{stack.base}/api/consultas/tiempo-real"
    with stack.client("127.0.0.7") as http:
        app_limit = http.post(url, data=b"x" * 70_000, headers=auth)  # over the app's 64 KiB
        before = len(stack.app_paths())
        edge = http.post(url, data=b"x" * (81 * 1024), headers=auth)  # over nginx's 80 KiB
    assert app_limit.status_code == 413 and app_limit.json()["error"] == "cuerpo_demasiado_grande"
    assert app_limit.json()["request_id"] == app_limit.headers["X-Request-ID"]  # the app's own
    assert edge.status_code == 413 and edge.json()["error"] == "cuerpo_demasiado_grande"
    assert len(stack.app_paths()) == before


@pytest.mark.parametrize(
    ("what", "size", "status", "code"),
    [
        ("line", 8190, 200, "estado"),  # the longest line nginx takes: gunicorn takes it too
        ("line", 8191, 414, "uri_demasiado_larga"),  # nginx
        ("field", 8190, 200, "estado"),
        ("field", 8191, 400, "solicitud_invalida"),  # nginx
        ("fields", 120, 431, "cabeceras_demasiado_grandes"),  # gunicorn, as JSON
    ],
)
def test_header_limits_answer_json_at_every_edge(stack, what, size, status, code):
    path, headers = "/api/health", {}
    if what == "line":
        path += "?q=" + "a" * (size - len("GET /api/health?q= HTTP/1.1"))
    elif what == "field":
        headers = {"X-Relleno": "a" * (size - len("X-Relleno: "))}
    else:
        headers = {f"X-Campo-{n}": "v" for n in range(size)}
    got, response_headers, body = stack.raw(request("GET", path, headers))
    assert got == status, body[:200]
    assert response_headers["Content-Type"].startswith("application/json")
    assert f'"{code}"'.encode() in body


def test_the_audit_log_has_the_clients_address_not_a_forged_one(stack, user):
    with stack.client("127.0.0.6") as http:
        resp = http.get(
            f"{stack.base}/api/auth/me/actividad",
            headers={"Authorization": f"Bearer {user['access_token']}"},
        )
    assert resp.status_code == 200, resp.text
    entries = {entry["accion"]: entry for entry in resp.json()["actividad"]}
    assert {"registro", "login"} <= set(entries), entries
    for action in ("registro", "login"):  # not nginx's 127.0.0.1, not the forged 203.0.113.7
        assert entries[action]["ip_address"] == "127.0.0.6", entries[action]


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Relleno: " + b"a" * 9000, 431, "cabeceras_"),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x", 414, "uri_demasiado_larga"),
        (b"GET /api/health HTTP/1.1\r\nHost: x\r\nMala Cabecera: 1", 400, "solicitud_invalida"),
    ],
)
def test_gunicorn_reached_directly_answers_its_own_errors_as_json(stack, raw, status, code):
    got, headers, body = stack.direct_full(raw + b"\r\nConnection: close\r\n\r\n")
    assert got == status
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"].startswith(code)
