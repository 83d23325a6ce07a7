"""Fake weather upstreams on 127.0.0.1: real sample payloads, answered after a fixed latency.

Run:  python bench/fanout/fake_providers.py --latency-ms 200
Prints one JSON line {"port": ..., "silent_port": ...} and serves until stdin closes (so it
stops by itself when the benchmark that started it dies) or SIGTERM.

- `port` routes by path prefix (the query string is ignored) to the sample that each adapter's
  `current()` is tested with, after sleeping `--latency-ms`;
- `silent_port` accepts the connection, reads the request and never answers: it waits until the
  client hangs up (its timeout) or `--silent-max-s` passes, then closes.

The Meteoblue adapter takes the `basic-1h` row of the hour that holds "now", so its sample's
`data_1h.time` stamps are moved by a whole number of days to cover today; no value changes.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "provider-samples"
# (path prefix, sample) for each adapter's current(): see adapters/providers/*.py.
ROUTES = (
    ("/v1/forecast", "open-meteo/public-forecast-current-meteofrance-kmh.json"),
    ("/data/2.5/weather", "openweathermap/current-2.5-zocca-docs-example.json"),
    ("/packages/basic-1h", "meteoblue/packages-basic-1h-forecast_days1-minsk-timestamp_ms.json"),
    ("/api/v1/", "meteosource/point-flexi-all-sections-london.json"),  # /api/v1/<tier>/point
)
DAY_MS = 86_400_000


class Samples:
    """The bytes to answer per route; Meteoblue's are rebuilt when the UTC day changes."""

    def __init__(self) -> None:
        self._raw = {prefix: (SAMPLES / name).read_bytes() for prefix, name in ROUTES}
        self._meteoblue = json.loads(self._raw["/packages/basic-1h"])
        self._shifted: dict[int, bytes] = {}
        self._lock = threading.Lock()

    def body(self, path: str) -> bytes | None:
        for prefix, raw in self._raw.items():
            if path.startswith(prefix):
                return self._meteoblue_now() if prefix == "/packages/basic-1h" else raw
        return None

    def _meteoblue_now(self) -> bytes:
        stamps = self._meteoblue["data_1h"]["time"]
        days = (int(time.time() * 1000) - stamps[0]) // DAY_MS  # first row <= now < first + 1 day
        with self._lock:
            if days not in self._shifted:
                body = json.loads(json.dumps(self._meteoblue))
                body["data_1h"]["time"] = [t + days * DAY_MS for t in stamps]
                self._shifted[days] = json.dumps(body).encode()
            return self._shifted[days]


def make_handler(samples: Samples, latency_s: float, silent: bool, silent_max_s: float):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real HTTPS upstreams
        # Headers and body go out in two writes: without TCP_NODELAY, Nagle holds the body
        # until the client's delayed ACK (40 ms on Linux), a stall no real upstream adds.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            if silent:
                self._hang()
                return
            time.sleep(latency_s)
            body = samples.body(self.path.split("?", 1)[0])
            status = 200 if body is not None else 404
            body = body if body is not None else b'{"error": "no route in fake_providers"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _hang(self) -> None:
            self.close_connection = True
            self.connection.settimeout(silent_max_s)
            try:
                while self.connection.recv(4096):  # b"" once the client gives up
                    pass
            except OSError:
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def serve(latency_ms: float, silent_max_s: float) -> tuple[ThreadingHTTPServer, ...]:
    samples = Samples()
    servers = tuple(
        ThreadingHTTPServer(
            ("127.0.0.1", 0), make_handler(samples, latency_ms / 1000, s, silent_max_s)
        )
        for s in (False, True)
    )
    for server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--silent-max-s", type=float, default=60.0)
    args = parser.parse_args()
    answering, silent = serve(args.latency_ms, args.silent_max_s)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    ports = {"port": answering.server_address[1], "silent_port": silent.server_address[1]}
    print(json.dumps(ports), flush=True)
    while not stop.wait(0.5):
        pass
    for server in (answering, silent):
        server.shutdown()


if __name__ == "__main__":
    main()
