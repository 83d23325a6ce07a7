"""Sequential timed POST /api/consultas/tiempo-real, matched to the server's own log lines."""

from __future__ import annotations

import re
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests
from fake_providers import grid, point

PATH = "/api/consultas/tiempo-real"
# deploy/gunicorn.conf.py: ... "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms rid=... ua="..." %(p)s
ACCESS = re.compile(r'"POST (\S+) HTTP/[\d.]+" (\d{3}) \S+ (\d+)ms rid=(\S*) .* <?(\d+)>?$')
# adapters/providers/http_client.py: "%s %s -> %s %.0fms%s" (provider, path, outcome, ms, cache)
UPSTREAM = re.compile(r"climaguru\.providers (\w+) (\S+) -> (\S+) (\d+)ms( \(cache\))?")
# Requests whose answer is kept a day (IDEAM's catalogue, SIATA's station list): after the first
# call of the day they come from the cache in production too, so a cold row expects them cached.
DAILY_PATHS = ("/resource/hp9r-jxuu.json", "/data/siata_app/PluviometricaMeteo.json")


def coordinates(radius: int) -> Iterator[tuple[float, float]]:
    """The grid points around Medellín, nearest the centre first; each is asked once, and has
    its own nearest IDEAM and SIATA station in fake_providers.py (so each is a cache miss;
    the other adapters round to 2 decimals, the grid step)."""
    yield from (point(cell) for cell in grid(radius))
    raise RuntimeError("out of grid points: raise the grid radius")


@dataclass(frozen=True)
class Call:
    """One upstream request as the app logs it."""

    path: str
    outcome: str
    ms: float
    cached: bool


@dataclass
class Sample:
    """One request: what the client saw, what the app reports, and its slice of the app log."""

    client_ms: float
    status: int
    request_id: str
    app_ms: float | None = None  # consulta.tiempo_respuesta_ms: the fan-out as the app times it
    providers: dict[str, str] = field(default_factory=dict)  # name -> "ok" or the error code
    provider_ms: dict[str, float] = field(default_factory=dict)  # the answer's latencia_ms
    log_span: tuple[int, int] = (0, 0)
    gunicorn_ms: float | None = None  # %(M)s of the access log line
    calls: dict[str, list[Call]] = field(default_factory=dict)  # upstream requests, in order

    @property
    def upstream_ms(self) -> dict[str, float]:
        """Per provider, the time of its upstream requests added up (they run one after the
        other inside one adapter call)."""
        return {name: sum(c.ms for c in calls) for name, calls in self.calls.items()}


class Client:
    """One connection per request (Connection: close), as nginx talks to gunicorn by default."""

    def __init__(self, base: str, token: str, error_log: Path) -> None:
        self.url = base + PATH
        self.error_log = error_log
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}", "Connection": "close"})

    def query(self, lat: float, lon: float) -> Sample:
        rid = uuid.uuid4().hex
        before = self.error_log.stat().st_size
        started = time.perf_counter()
        resp = self.session.post(
            self.url,
            json={"latitud": lat, "longitud": lon},
            headers={"X-Request-ID": rid},
            timeout=30,
        )
        elapsed = (time.perf_counter() - started) * 1000
        sample = Sample(elapsed, resp.status_code, rid, log_span=(before, 0))
        sample.log_span = (before, self.error_log.stat().st_size)
        if resp.ok:  # 201: the query was stored
            doc = resp.json()
            sample.app_ms = doc["consulta"]["tiempo_respuesta_ms"]
            for name, answer in doc["datos"]["proveedores"].items():
                sample.providers[name] = "ok" if answer["estado"] == "ok" else answer["codigo"]
                ms = (answer.get("meta") or {}).get("latencia_ms", answer.get("latencia_ms"))
                if ms is not None:
                    sample.provider_ms[name] = float(ms)
        return sample


def attach_logs(samples: list[Sample], access_log: Path, error_log: Path) -> set[str]:
    """Fill gunicorn_ms and upstream_ms from the logs; returns the worker pids that answered."""
    by_rid = {s.request_id: s for s in samples}
    pids = set()
    for line in access_log.read_text(errors="replace").splitlines():
        match = ACCESS.search(line)
        if match and match[4] in by_rid:
            by_rid[match[4]].gunicorn_ms = float(match[3])
            pids.add(match[5])
    raw = error_log.read_bytes()
    for sample in samples:
        start, end = sample.log_span
        for match in UPSTREAM.finditer(raw[start:end].decode(errors="replace")):
            call = Call(match[2], match[3], float(match[4]), bool(match[5]))
            sample.calls.setdefault(match[1], []).append(call)
    return pids


def percentiles(values: list[float]) -> tuple[float, float]:
    """(p50, p95), interpolated between order statistics (statistics.quantiles, inclusive)."""
    if len(values) < 2:
        return (values[0], values[0]) if values else (float("nan"), float("nan"))
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94]


def median_or_none(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None
