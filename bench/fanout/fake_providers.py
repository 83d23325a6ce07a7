"""Fake weather upstreams on 127.0.0.1: real or constructed payloads, answered after L ms.

Run:  python bench/fanout/fake_providers.py --latency-ms 200 [--grid-radius 4]
Prints one JSON line {"port": ..., "silent_port": ...} and serves until stdin closes (so it
stops by itself when the benchmark that started it dies) or SIGTERM.

- `port` answers every request after sleeping `--latency-ms` (L is per request: an adapter that
  makes k requests in a row waits k x L), routed by path (the query string is read only where
  said below);
- `silent_port` accepts the connection, reads the request and never answers: it waits until the
  client hangs up (its timeout) or `--silent-max-s` passes, then closes. The one exception is
  IDEAM's station catalogue, answered as on `port`, so that "datos.gov.co silent" means the
  observation datasets stop answering while the catalogue (kept a day) is already loaded.

Payloads, per adapter's current() (adapters/providers/*.py):
- open_meteo `/v1/forecast`, openweathermap `/data/2.5/weather`, meteoblue `/packages/basic-1h`,
  meteosource `/api/v1/<tier>/point`: their recorded samples, byte for byte, except that
  Meteoblue's `data_1h.time` stamps are moved by whole days to cover today (its adapter takes
  the row of the hour that holds "now"); no value changes.
- ideam (datos.gov.co SODA) `/resource/hp9r-jxuu.json`, the station catalogue: the five rows of
  pythia-hp9r-jxuu-catalogo-head.txt (as tests/integration/providers/test_ideam.py rebuilds
  them) plus CONSTRUCTED stations, one on every point of the benchmark's grid around Medellín
  (codes 99xxxyyy, altitud 1490 m like test_colombia_end_to_end.py's constructed station).
  `/resource/<dataset>.json` for the six current datasets: CONSTRUCTED rows of the nearest
  station (the first code of `$where`'s `codigoestacion IN (...)`), one every 10 minutes over
  the last hour, stamped at the real time (Bogotá wall time, the latest at "now" rounded down
  to 10 minutes) so that they are fresh; values from the samples and tests (23.5 °C, 80 %,
  851.0 hPa, 8.1 m/s, 53°, 0 mm).
- siata `/data/siata_app/PluviometricaMeteo.json`: CONSTRUCTED stations, one on every grid
  point (codes 1xxyy); `/data/siata_app/<code>.json`: the constructed
  siata-constructed/1001.json (all five fields) with its `date` moved to "now" rounded down to
  5 minutes.
The grid is the square of (2R+1)^2 points 0.01° apart centred on Medellín (6.25, -75.56), the
points the benchmark asks for: each asked point has its own nearest IDEAM and SIATA station, so
their observation requests differ from point to point (every cold request is a cache miss).
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SAMPLES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "provider-samples"
# (path prefix, sample) for each adapter's current(): see adapters/providers/*.py.
ROUTES = (
    ("/v1/forecast", "open-meteo/public-forecast-current-meteofrance-kmh.json"),
    ("/data/2.5/weather", "openweathermap/current-2.5-zocca-docs-example.json"),
    ("/packages/basic-1h", "meteoblue/packages-basic-1h-forecast_days1-minsk-timestamp_ms.json"),
    ("/api/v1/", "meteosource/point-flexi-all-sections-london.json"),  # /api/v1/<tier>/point
)
DAY_MS = 86_400_000
CENTRE = (6.25, -75.56)  # Medellín (6.2518, -75.5636) on the 0.01° grid the adapters round to
STEP = 0.01
MAX_RADIUS = 19  # 0.19°: the grid stays inside SIATA's box (lon >= -75.75)
BOGOTA = timezone(timedelta(hours=-5))  # no DST
CATALOGUE_PATH = "/resource/hp9r-jxuu.json"
SIATA_STATIONS = "/data/siata_app/PluviometricaMeteo.json"
SIATA_FEED = re.compile(r"/data/siata_app/([A-Za-z0-9_-]+)\.json")
SODA_RESOURCE = re.compile(r"/resource/([a-z0-9]{4}-[a-z0-9]{4})\.json")
FIRST_CODE = re.compile(r"codigoestacion IN \('(\d+)'")
# dataset -> (codigosensor or None, valorobservado, unidadmedida): constructed rows whose values
# come from the samples and tests (e2e Medellín station; PANELAS wind; recorded 0 mm rain).
IDEAM_CURRENT = {
    "sbwg-7ju4": ("0068", "23.5", "°C"),
    "uext-mhny": (None, "80", "%"),
    "62tk-nxj5": ("0255", "851.0", "hPa"),
    "sgfv-3yp8": ("0103", "8.1", "m/s"),
    "kiw7-v9ta": ("0104", "53", "GN"),
    "s54a-sgyg": ("0240", "0", "mm"),
}
# The five rows of pythia-hp9r-jxuu-catalogo-head.txt (code, name, lat, lon, altitud).
PYTHIA_CATALOGUE = (
    ("52057100", "RUMICHACA - AUT [52057100]", "0.81378611", "-77.661978", "2582"),
    ("52055170", "LA JOSEFINA - AUT [52055170]", "0.93030556", "-77.491194", "2450"),
    ("52055220", "EL PARAISO - AUT [52055220]", "1.07061111", "-77.636889", "3120"),
    ("44015070", "EL PEPINO - AUT [44015070]", "1.08288889", "-76.667111", "760"),
    ("48015040", "PUERTO NARINO - AUT [48015040]", "-3.78030556", "-70.362639", "158"),
)


def grid(radius: int) -> list[tuple[int, int]]:
    """Grid offsets (i, j) in 0.01° steps, ring by ring from the centre outwards."""
    cells = [(i, j) for i in range(-radius, radius + 1) for j in range(-radius, radius + 1)]
    return sorted(cells, key=lambda c: (max(abs(c[0]), abs(c[1])), c))


def point(cell: tuple[int, int]) -> tuple[float, float]:
    return round(CENTRE[0] + STEP * cell[0], 2), round(CENTRE[1] + STEP * cell[1], 2)


def radius_for(points: int) -> int:
    """The smallest grid radius with at least `points` distinct points."""
    radius = 0
    while (2 * radius + 1) ** 2 < points:
        radius += 1
    if radius > MAX_RADIUS:
        raise ValueError(f"{points} points do not fit in SIATA's box at 0.01° apart")
    return radius


def ideam_catalogue(radius: int) -> bytes:
    rows = [
        {"codigo": code, "nombre": name, "estado": "Activa", "altitud": alt,
         "ubicaci_n": {"latitude": lat, "longitude": lon}}
        for code, name, lat, lon, alt in PYTHIA_CATALOGUE
    ]  # fmt: skip
    for cell in grid(radius):
        lat, lon = point(cell)
        code = f"99{cell[0] + 500:03d}{cell[1] + 500:03d}"
        rows.append(
            {"codigo": code, "nombre": f"BENCH {lat:.2f},{lon:.2f} (construida)",
             "estado": "Activa", "altitud": "1490",
             "ubicaci_n": {"latitude": f"{lat:.2f}", "longitude": f"{lon:.2f}"}}
        )  # fmt: skip
    return json.dumps(rows, ensure_ascii=False).encode()


def siata_stations(radius: int) -> bytes:
    stations = []
    for cell in grid(radius):
        lat, lon = point(cell)
        stations.append(
            {"codigo": 10000 + (cell[0] + 50) * 100 + cell[1] + 50,
             "nombre": f"Bench {lat:.2f},{lon:.2f} (construida)", "latitud": f"{lat:.2f}",
             "longitud": f"{lon:.2f}", "ciudad": "Medellín"}
        )  # fmt: skip
    return json.dumps({"red": "meteorologica", "estaciones": stations}).encode()


class Samples:
    """The bytes to answer per path; time-dependent bodies are rebuilt from the real clock."""

    def __init__(self, radius: int) -> None:
        self._raw = {prefix: (SAMPLES / name).read_bytes() for prefix, name in ROUTES}
        self._meteoblue = json.loads(self._raw["/packages/basic-1h"])
        self._siata = json.loads((SAMPLES / "siata-constructed" / "1001.json").read_bytes())
        self._catalogue = ideam_catalogue(radius)
        self._stations = siata_stations(radius)
        self._siata_codes = {s["codigo"] for s in json.loads(self._stations)["estaciones"]}
        self._shifted: dict[int, bytes] = {}
        self._lock = threading.Lock()

    def answer(self, path: str, query: str) -> tuple[int, bytes]:
        """(200, the body of the path) or (404, a JSON error) when no sample answers it."""
        body = self.body(path, query)
        return (
            (200, body) if body is not None else (404, b'{"error": "no route in fake_providers"}')
        )

    def body(self, path: str, query: str) -> bytes | None:
        if path == CATALOGUE_PATH:
            offset = int(parse_qs(query).get("$offset", ["0"])[0])
            return self._catalogue if offset == 0 else b"[]"
        if match := SODA_RESOURCE.fullmatch(path):
            return self._ideam_rows(match[1], parse_qs(query))
        if path == SIATA_STATIONS:
            return self._stations
        if match := SIATA_FEED.fullmatch(path):
            known = match[1].isdigit() and int(match[1]) in self._siata_codes
            return self._siata_now() if known else None
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

    def _siata_now(self) -> bytes:
        now = int(time.time())
        return json.dumps(self._siata | {"date": str(now - now % 300)}).encode()

    def _ideam_rows(self, dataset: str, query: dict[str, list[str]]) -> bytes | None:
        if dataset not in IDEAM_CURRENT:
            return None
        code = FIRST_CODE.search(query.get("$where", [""])[0])
        if code is None or query.get("$offset", ["0"])[0] != "0":
            return b"[]"
        sensor, value, unit = IDEAM_CURRENT[dataset]
        now = datetime.now(UTC).astimezone(BOGOTA)
        last = now.replace(minute=now.minute - now.minute % 10, second=0, microsecond=0)
        rows = []
        for k in range(6):
            row = {"codigoestacion": code[1]}
            if sensor:
                row["codigosensor"] = sensor
            at = (last - timedelta(minutes=10 * k)).strftime("%Y-%m-%dT%H:%M:%S.000")
            rows.append(row | {"fechaobservacion": at, "valorobservado": value} | {
                "unidadmedida": unit
            })  # fmt: skip
        return json.dumps(rows, ensure_ascii=False).encode()


def send_json_headers(handler: BaseHTTPRequestHandler, status: int, length: int) -> None:
    """The status line and headers of a JSON answer of `length` bytes (the body goes after)."""
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(length))
    handler.end_headers()


def make_handler(samples: Samples, latency_s: float, silent: bool, silent_max_s: float):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real HTTPS upstreams
        # Headers and body go out in two writes: without TCP_NODELAY, Nagle holds the body
        # until the client's delayed ACK (40 ms on Linux), a stall no real upstream adds.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if silent and parts.path != CATALOGUE_PATH:
                self._hang()
                return
            time.sleep(latency_s)
            status, body = samples.answer(parts.path, parts.query)
            send_json_headers(self, status, len(body))
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


def serve(latency_ms: float, silent_max_s: float, radius: int) -> tuple[ThreadingHTTPServer, ...]:
    samples = Samples(radius)
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
    parser.add_argument("--grid-radius", type=int, default=4, help="(2R+1)^2 grid points")
    args = parser.parse_args()
    answering, silent = serve(args.latency_ms, args.silent_max_s, args.grid_radius)
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
