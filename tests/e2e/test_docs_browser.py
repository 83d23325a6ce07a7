"""Headless Chromium loads /api/docs from a real server on 127.0.0.1 and renders the document."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from climaguru.app import create_app
from tests.conftest import require_tool


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def docs_url(container) -> Iterator[str]:
    server = make_server(
        "127.0.0.1", 0, create_app(container), _ThreadingServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/docs"
    finally:
        server.shutdown()
        server.server_close()


def chromium(*args: str, profile) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]
    binary = require_tool("chromium")
    return subprocess.run(
        [binary, *flags, *args], capture_output=True, text=True, timeout=90, check=False
    )


def test_swagger_ui_renders_every_documented_path(docs_url, tmp_path):
    done = chromium("--virtual-time-budget=15000", "--dump-dom", docs_url, profile=tmp_path)
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    # These strings exist only once Swagger UI fetched /api/openapi.json and rendered it.
    assert "ClimaGuru API" in dom
    for path in ("/api/consultas/tiempo-real", "/api/auth/login", "/api/usuarios/{user_id}"):
        assert f'class="opblock-summary-path" data-path="{path}"' in dom, path
    assert "opblock-summary-path" in dom
    assert "Unable to render this definition" not in dom
    assert "Failed to load API definition" not in dom
