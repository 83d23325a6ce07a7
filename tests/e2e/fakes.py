"""A fake weather upstream on 127.0.0.1 that serves the recorded samples and misbehaves on cue.

Payloads come from bench/fanout/fake_providers.py's `Samples` (the real files of
tests/fixtures/provider-samples/, byte for byte, plus its constructed IDEAM/SIATA rows). One
server answers for every provider: point each *_URL origin at `FakeProviders.origin`.

Behaviour per path prefix, set with `behave(prefix, mode, delay_s=0)`:
- "ok": answer after `delay_s` seconds;
- "hang": accept the connection, read the request, never answer (until the client hangs up);
- "stall": send the status line and headers (with a Content-Length), then never send the body;
- "trickle": headers, then one byte of the body every `delay_s` seconds (no read ever times
  out, the whole answer takes forever).
`count(prefix)` is how many requests reached a path starting with the prefix.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

_BENCH = Path(__file__).resolve().parents[2] / "bench" / "fanout" / "fake_providers.py"
_spec = importlib.util.spec_from_file_location("_bench_fake_providers", _BENCH)
_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench)
Samples = _bench.Samples

OWM_CURRENT = "/data/2.5/weather"
OPEN_METEO_CURRENT = "/v1/forecast"
METEOSOURCE_CURRENT = "/api/v1/"  # /api/v1/<tier>/point


class FakeProviders:
    """A threaded loopback HTTP server; `close()` releases every hung connection."""

    def __init__(self, grid_radius: int = 4) -> None:
        self._samples = Samples(grid_radius)
        self._modes: dict[str, tuple[str, float]] = {}
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def behave(self, prefix: str, mode: str, delay_s: float = 0.0) -> None:
        assert mode in ("ok", "hang", "stall", "trickle"), mode
        with self._lock:
            self._modes[prefix] = (mode, delay_s)

    def count(self, prefix: str = "/") -> int:
        with self._lock:
            return sum(n for path, n in self._counts.items() if path.startswith(prefix))

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def close(self) -> None:
        if self._closing.is_set():
            return
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeProviders:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _mode(self, path: str) -> tuple[str, float]:
        with self._lock:
            self._counts[path] += 1
            best = max((p for p in self._modes if path.startswith(p)), key=len, default=None)
            return self._modes[best] if best is not None else ("ok", 0.0)

    def _wait_for_hangup(self, conn) -> None:
        """Hold the connection open until the client closes it or the fake shuts down."""
        conn.settimeout(0.2)
        while not self._closing.is_set():
            try:
                if not conn.recv(4096):
                    return
            except TimeoutError:
                continue
            except OSError:
                return

    def _trickle(self, wfile, body: bytes, every_s: float) -> None:
        for byte in body:
            if self._closing.wait(every_s):
                return
            try:
                wfile.write(bytes([byte]))
                wfile.flush()
            except OSError:
                return

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                mode, delay = fake._mode(parts.path)
                self.close_connection = mode != "ok"
                if mode == "hang":
                    fake._wait_for_hangup(self.connection)
                    return
                if delay and mode == "ok":
                    time.sleep(delay)
                status, body = fake._samples.answer(parts.path, parts.query)
                _bench.send_json_headers(self, status, len(body))
                if mode == "stall":
                    self.wfile.write(body[:10])
                    self.wfile.flush()
                    fake._wait_for_hangup(self.connection)
                    return
                if mode == "trickle":
                    fake._trickle(self.wfile, body, delay or 0.5)
                    return
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
