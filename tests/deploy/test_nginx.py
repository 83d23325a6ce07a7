"""deploy/nginx-climaguru.conf: `nginx -t`, then a real nginx on loopback over real HTTPS."""

from __future__ import annotations

import re
import runpy
import subprocess

import pytest
import requests

from climaguru.provider_settings import parse_provider_settings
from tests.conftest import require_tool
from tests.deploy.nginx_harness import HOST, SITE, EchoUpstream, NginxPrefix

GUNICORN_CONF = SITE.parent / "gunicorn.conf.py"


@pytest.fixture
def nginx() -> str:
    return require_tool("nginx")


@pytest.fixture
def upstream():
    echo = EchoUpstream()
    yield echo
    echo.close()


@pytest.fixture
def site(nginx, upstream, tmp_path):
    """nginx running the site in front of the echo upstream; yields (prefix, https base URL)."""
    prefix = NginxPrefix(tmp_path / "nginx", upstream.port)
    proc = prefix.start(nginx)
    session = requests.Session()
    session.verify = str(prefix.cert)  # real TLS verification against the self-signed cert
    session.trust_env = False  # no proxies from the environment: 127.0.0.1 only
    yield prefix, f"https://127.0.0.1:{prefix.https_port}", session
    session.close()
    proc.terminate()
    proc.wait(timeout=10)


def test_nginx_t_accepts_the_site(nginx, tmp_path):
    prefix = NginxPrefix(tmp_path / "nginx", upstream_port=8000)
    result = subprocess.run(prefix.command(nginx, "-t"), capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


def test_timeouts_nest_nginx_over_gunicorn_over_the_query_deadline(monkeypatch, tmp_path):
    text = SITE.read_text()
    read = int(re.search(r"^\s*proxy_read_timeout\s+(\d+)s;", text, re.M).group(1))
    send = int(re.search(r"^\s*proxy_send_timeout\s+(\d+)s;", text, re.M).group(1))
    monkeypatch.chdir(tmp_path)
    for name in ("GUNICORN_TIMEOUT", "QUERY_DEADLINE"):
        monkeypatch.delenv(name, raising=False)
    worker_timeout = runpy.run_path(str(GUNICORN_CONF))["timeout"]
    deadline = parse_provider_settings({}, "production", tmp_path).deadline
    assert read > worker_timeout > deadline
    assert send > worker_timeout


def test_https_security_headers_and_proxy_headers(site, upstream):
    prefix, base, http = site
    resp = http.get(
        f"{base}/api/health?x=1",
        headers={"Host": HOST, "X-Forwarded-For": "203.0.113.9", "X-Request-ID": "cliente-1234"},
    )
    assert resp.status_code == 200
    assert resp.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Server"] == "nginx"  # no version
    assert resp.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    forwarded = upstream.seen[-1]["headers"]
    assert forwarded["X-Forwarded-For"] == "127.0.0.1"  # replaced, not appended to
    assert forwarded["X-Forwarded-Proto"] == "https"
    assert forwarded["X-Request-ID"] == "cliente-1234"  # a well-formed client id is kept
    for bad in ({"X-Request-ID": "<script>"}, {}):
        http.get(f"{base}/api/health", headers={"Host": HOST, **bad})
        assert re.fullmatch(r"[0-9a-f]{32}", upstream.seen[-1]["headers"]["X-Request-ID"])
    assert http.get(f"{base}/index.html", headers={"Host": HOST}).status_code == 404
    # The docs page brings its own policy: nginx must not add a second, stricter one.
    docs = http.get(f"{base}/api/docs", headers={"Host": HOST})
    assert "Content-Security-Policy" not in docs.headers
    assert docs.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # So does the web console, which nginx passes on (its page and its files).
    for path in ("/consola", "/consola/app.js"):
        console = http.get(f"{base}{path}", headers={"Host": HOST})
        assert upstream.seen[-1]["path"].startswith(path), upstream.seen[-1]
        assert "Content-Security-Policy" not in console.headers
    assert http.get(f"{base}/consolas", headers={"Host": HOST}).status_code == 404
    log = (prefix.root / "logs" / "climaguru.access.log").read_text()
    assert "rid=cliente-1234" in log and "x=1" not in log  # ids logged, query strings not


def test_plain_http_redirects_to_https(site):
    prefix, _, http = site
    resp = http.get(
        f"http://127.0.0.1:{prefix.http_port}/api/health?ciudad=Cali",
        headers={"Host": HOST},
        allow_redirects=False,
    )
    assert resp.status_code == 301
    assert resp.headers["Location"] == f"https://{HOST}/api/health?ciudad=Cali"


def test_body_over_client_max_body_size_is_a_json_413(site, upstream):
    _, base, http = site
    url = f"{base}/api/consultas/tiempo-real"
    ok = http.post(url, data=b"x" * 70_000, headers={"Host": HOST})
    assert ok.status_code == 200 and upstream.seen[-1]["bytes"] == 70_000
    before = len(upstream.seen)
    resp = http.post(url, data=b"x" * (81 * 1024), headers={"Host": HOST})
    assert resp.status_code == 413
    assert resp.headers["Content-Type"] == "application/json"
    assert resp.json()["error"] == "cuerpo_demasiado_grande"
    assert re.fullmatch(r"[0-9a-f]{32}", resp.json()["request_id"])
    assert "Strict-Transport-Security" in resp.headers
    assert len(upstream.seen) == before  # never reached the app


def test_oversized_header_and_request_line_are_json_errors(site, upstream):
    _, base, http = site
    before = len(upstream.seen)
    resp = http.get(f"{base}/api/health", headers={"Host": HOST, "X-Relleno": "a" * 9000})
    assert resp.status_code == 400 and resp.json()["error"] == "solicitud_invalida"
    resp = http.get(f"{base}/api/health?q={'a' * 9000}", headers={"Host": HOST})
    assert resp.status_code == 414 and resp.json()["error"] == "uri_demasiado_larga"
    assert len(upstream.seen) == before
    # Just under the bound passes to the app (which gunicorn's 8190 limits also accept).
    assert http.get(f"{base}/api/health", headers={"X-Relleno": "a" * 7000}).status_code == 200


def test_login_burst_gets_429_json_from_limit_req(site, upstream):
    _, base, http = site
    burst = int(re.search(r"limit_req zone=climaguru_auth burst=(\d+)", SITE.read_text()).group(1))
    answers = [
        http.post(f"{base}/api/auth/login", json={"email": "a@b.co"}, headers={"Host": HOST})
        for _ in range(burst + 5)
    ]
    codes = [r.status_code for r in answers]
    assert codes == [200] * (burst + 1) + [429] * 4, codes  # one per 6 s refills: none in-test
    assert upstream.paths().count("/api/auth/login") == burst + 1
    blocked = answers[-1]
    assert blocked.headers["Content-Type"] == "application/json"
    assert blocked.json()["error"] == "demasiados_intentos"
    assert int(blocked.headers["Retry-After"]) > 0
    assert blocked.headers["Strict-Transport-Security"].startswith("max-age=")
    # register shares the bucket; refresh has its own; other routes are not limited.
    assert (
        http.post(f"{base}/api/auth/register", json={}, headers={"Host": HOST}).status_code == 429
    )
    assert http.post(f"{base}/api/auth/refresh", json={}, headers={"Host": HOST}).status_code == 200
    assert http.get(f"{base}/api/auth/me", headers={"Host": HOST}).status_code == 200


def test_app_down_is_a_json_503_not_nginx_html(site, upstream):
    _, base, http = site
    upstream.close()  # gunicorn stopped: nothing listens on the upstream port any more
    resp = http.get(f"{base}/api/auth/me", headers={"Host": HOST})
    assert resp.status_code == 503
    assert resp.headers["Content-Type"] == "application/json"
    assert resp.json()["error"] == "servicio_no_disponible"
    assert "Strict-Transport-Security" in resp.headers
