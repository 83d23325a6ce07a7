"""Body and header limits through gunicorn on the production config: quick 4xx, workers live on."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from tests.e2e.harness import Gunicorn, app_env

pytestmark = [pytest.mark.e2e, pytest.mark.mysql]
MAX_BODY = 4096
QUICK_S = 2.0


@pytest.fixture(scope="module")
def server(tmp_path_factory, mysql_url):
    tmp = tmp_path_factory.mktemp("limits")
    env = app_env(tmp, mysql_url, MAX_BODY_BYTES=str(MAX_BODY))
    with Gunicorn(env, tmp, workers=2, threads=2) as running:
        yield running


def _raw(server: Gunicorn, head: bytes, body: bytes = b"") -> tuple[int, dict, bytes, float]:
    """Send bytes as they are; the status, headers and body of the answer, and how long it took."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(head + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        elapsed = time.monotonic() - started
        head_part, _, rest = data.partition(b"\r\n\r\n")
        lines = head_part.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        length = int(headers.get("Content-Length", headers.get("content-length", "0")))
        sock.settimeout(2)
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
    return int(lines[0].split()[1]), headers, rest, elapsed


def _still_serving(server: Gunicorn) -> None:
    for _ in range(6):
        assert requests.get(f"{server.url}/api/health", timeout=5).status_code == 200


def _request(path: str, extra: str = "", method: str = "GET") -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n".encode()
    )


def test_body_over_the_limit_is_a_413_json(server):
    body = json.dumps({"username": "x" * (MAX_BODY + 10), "password": "y"})
    resp = requests.post(f"{server.url}/api/auth/login", data=body, timeout=5,
                         headers={"Content-Type": "application/json"})  # fmt: skip
    assert resp.status_code == 413
    assert resp.json()["error"] == "cuerpo_demasiado_grande"
    _still_serving(server)


def test_declared_length_over_the_limit_is_refused_without_waiting_for_the_body(server):
    head = _request(
        "/api/auth/login",
        "Content-Type: application/json\r\nContent-Length: 50000000\r\n",
        method="POST",
    )
    status, _headers, body, elapsed = _raw(server, head)  # the 50 MB never come
    assert status == 413
    assert json.loads(body)["error"] == "cuerpo_demasiado_grande"
    assert elapsed < QUICK_S, f"took {elapsed:.2f} s"
    _still_serving(server)


def test_oversized_header_line_and_too_many_headers_are_refused_by_gunicorn(server):
    status, _h, _b, elapsed = _raw(server, _request("/api/health", f"X-Relleno: {'a' * 9000}\r\n"))
    assert status in (400, 431) and elapsed < QUICK_S
    many = "".join(f"X-Campo-{i}: v\r\n" for i in range(120))
    status, _h, _b, elapsed = _raw(server, _request("/api/health", many))
    assert status in (400, 431) and elapsed < QUICK_S
    _still_serving(server)


def test_request_line_over_the_limit_is_refused(server):
    status, _h, _b, elapsed = _raw(server, _request("/api/health?q=" + "b" * 9000))
    assert status in (400, 414) and elapsed < QUICK_S
    _still_serving(server)
    hits = server.access()
    assert hits and all(h.status < 500 for h in hits)
