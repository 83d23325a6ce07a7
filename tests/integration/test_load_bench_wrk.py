"""bench/load's wrk scripts send what the benchmark claims: the bearer token, the POST body.

No timing is asserted: wrk runs one second against a recording server on 127.0.0.1, and the
test checks what arrived and that bench/load/wrk_run.py reads wrk's counts correctly.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import require_tool

_WRK_RUN = Path(__file__).resolve().parents[2] / "bench" / "load" / "wrk_run.py"
_spec = importlib.util.spec_from_file_location("_bench_load_wrk_run", _WRK_RUN)
assert _spec is not None and _spec.loader is not None
wrk_run = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = wrk_run  # dataclasses look their module up there
_spec.loader.exec_module(wrk_run)

TOKEN = "token-de-prueba.abc"  # only this test's server knows it
MAX_SEEN = 200  # keep a bounded sample of what arrived


class Recorder(ThreadingHTTPServer):
    """200 (GET) / 201 (POST) for the right bearer token, else 401; keeps what it saw."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[tuple[str, str, str, bytes]] = []
        self.count = 0
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Recorder

    def _answer(self, ok: int) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        auth = self.headers.get("Authorization", "")
        with self.server.lock:
            self.server.count += 1
            if len(self.server.seen) < MAX_SEEN:
                kind = self.headers.get("Content-Type", "")
                self.server.seen.append((self.command, auth, kind, body))
        status = ok if auth == f"Bearer {TOKEN}" else 401
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self) -> None:
        self._answer(200)

    def do_POST(self) -> None:
        self._answer(201)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    require_tool("wrk")
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _base(server: Recorder) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_get_script_sends_the_bearer_token_on_every_request(recorder: Recorder) -> None:
    result = wrk_run.run_wrk(_base(recorder), wrk_run.Load("/api/auth/me"), TOKEN, 2, 1)

    assert result["requests"] > 0
    assert result["non_2xx"] == 0 and result["socket_errors"] == 0
    assert recorder.seen and all(s[:2] == ("GET", f"Bearer {TOKEN}") for s in recorder.seen)
    # wrk stops counting at the deadline: at most the requests in flight go unreported
    assert result["requests"] <= recorder.count <= result["requests"] + 2


def test_post_script_sends_the_json_body(recorder: Recorder) -> None:
    body = json.dumps({"latitud": 6.25, "longitud": -75.56, "proveedores": ["open_meteo"]})
    load = wrk_run.Load("/api/consultas/tiempo-real", "post_json.lua", body)

    result = wrk_run.run_wrk(_base(recorder), load, TOKEN, 2, 1)

    assert result["requests"] > 0 and result["non_2xx"] == 0
    expected = ("POST", f"Bearer {TOKEN}", "application/json", body.encode())
    assert recorder.seen and all(s == expected for s in recorder.seen)


def test_refused_answers_are_counted_as_non_2xx(recorder: Recorder) -> None:
    result = wrk_run.run_wrk(_base(recorder), wrk_run.Load("/api/auth/me"), "otro", 2, 1)

    assert result["requests"] > 0
    assert result["non_2xx"] == result["requests"]
