"""Forecast benchmark: POST /api/consultas/pronostico through gunicorn, four forecasters at L ms.

Run:  .venv/bin/python bench/fanout/forecast.py [--latency-ms 200] [--requests 30]

Issue 13's targets: a 7-day hourly forecast from four providers whose upstream answers after
L = 200 ms has p50 <= 300 ms cold and <= 30 ms cached; a 16-day hourly CSV download streams
with flat memory. The upstreams are CONSTRUCTED answers in the published shapes
(tests/e2e/console_forecast.py: Open-Meteo /v1/forecast, OpenWeatherMap One Call 3.0,
Meteoblue basic-1h_basic-day, Meteosource point on a paid tier), generated at request time
from the real clock so each starts where a live one would; each request waits L ms first.
ClimaGuru runs as deploy/ runs it (bench/fanout/app_server.py: gunicorn, 2 workers, SQLite,
SQLite provider cache). Prints a markdown table and writes bench/results/forecast-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests
from werkzeug import Request, Response

sys.path.insert(
    0, str(Path(__file__).resolve().parents[2])
)  # tests.e2e: the constructed forecast answers, the WSGI server
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: procgroup, noise
sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_server import AppServer
from fake_providers import grid, point
from noise import CpuWatch
from procgroup import exit_on_signals
from provenance import snapshot

from tests.e2e import console_forecast
from tests.e2e.loopback import serving

ROOT = Path(__file__).resolve().parents[2]
PATH = "/api/consultas/pronostico"
PROVIDERS = ("open_meteo", "openweathermap", "meteoblue", "meteosource")
SAMPLES = ROOT / "tests" / "fixtures" / "provider-samples"
RESULTS = ROOT / "bench" / "results"


def upstream(latency_s: float):
    """One WSGI app for the four forecast endpoints; every answer waits `latency_s` first."""
    current = (SAMPLES / "open-meteo/public-forecast-current-meteofrance-kmh.json").read_bytes()
    routes = {
        "/v1/forecast": lambda r: console_forecast.open_meteo(r, current),
        "/data/3.0/onecall": console_forecast.openweathermap,
        "/packages/basic-1h_basic-day": console_forecast.meteoblue,
        "/api/v1/standard/point": console_forecast.meteosource,
    }

    def app(environ, start_response):
        request = Request(environ)
        time.sleep(latency_s)
        answer = routes.get(request.path)
        response = answer(request) if answer else Response('{"error": "sin ruta"}', status=404)
        return response(environ, start_response)

    return app


def settings(origin: str) -> dict[str, str]:
    values = {
        "PROVIDERS_ENABLED": ",".join(PROVIDERS),
        "OPENMETEO_FORECAST_URL": origin,
        "OPENWEATHER_BASE_URL": origin,
        "METEOBLUE_BASE_URL": origin,
        "METEOSOURCE_BASE_URL": origin,
        "METEOSOURCE_TIER": "standard",  # paid: 155 hourly steps (the free tier has 24)
        "HISTORY_INLINE_POINTS": "1000",  # the whole 16-day series in the answer
    }
    for key in ("OPENWEATHER_API_KEY", "METEOBLUE_API_KEY", "METEOSOURCE_API_KEY"):
        values[key] = "bench-fake-key"  # the fake upstream ignores it
    return values


def ask(session: requests.Session, base: str, lat: float, lon: float, days: int) -> dict:
    started = time.perf_counter()
    resp = session.post(base + PATH, json={"latitud": lat, "longitud": lon, "dias": days})
    elapsed = (time.perf_counter() - started) * 1000
    if resp.status_code != 201:
        raise RuntimeError(f"{PATH}: {resp.status_code} {resp.text[:400]}")
    body = resp.json()
    states = {n: a.get("estado") for n, a in body["proveedores"].items() if n in PROVIDERS}
    sources = [
        max((c["n_fuentes"] for c in p["consenso"].values()), default=0) for p in body["serie"]
    ]
    query = body["consulta"]
    return {"ms": elapsed, "id": query["id"], "ok": states, "sources": sources,
            "steps": body["serie_total"], "app_ms": query["tiempo_respuesta_ms"]}  # fmt: skip


def quantiles(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return round(cuts[49], 1), round(cuts[94], 1)


def mode(session, base, points, requests_n: int, warmups: int, cached: bool) -> dict:
    fixed = next(points) if cached else None
    if fixed:
        ask(session, base, *fixed, 7)  # fills the provider cache
    samples = [ask(session, base, *(fixed or next(points)), 7) for _ in range(warmups + requests_n)]
    samples = samples[warmups:]
    p50, p95 = quantiles([s["ms"] for s in samples])
    app50, _ = quantiles([float(s["app_ms"]) for s in samples])
    all_ok = sum(all(v == "ok" for v in s["ok"].values()) and len(s["ok"]) == 4 for s in samples)
    profile = samples[-1]["sources"]
    return {"p50_ms": p50, "p95_ms": p95, "app_p50_ms": app50, "all_four_ok": all_ok,
            "n": len(samples), "steps": samples[-1]["steps"],
            "n_fuentes_first_last": (profile[0], profile[-1]) if profile else None,
            "n_fuentes_changes": changes(profile)}  # fmt: skip


def changes(profile: list[int]) -> list[tuple[int, int]]:
    """(step index, n_fuentes from there on): where the number of sources changes."""
    out: list[tuple[int, int]] = []
    for i, n in enumerate(profile):
        if not out or out[-1][1] != n:
            out.append((i, n))
    return out


def kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def download_peak(session, base: str, workers: list[int], query_id: int) -> dict:
    """Stream the CSV; the worker whose peak RSS (VmHWM, reset before) grew most served it."""
    before = {}
    for pid in workers:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS
        before[pid] = kib(pid, "VmHWM")
    started = time.perf_counter()
    with session.get(f"{base}/api/consultas/{query_id}/descargar", params={"formato": "csv"},
                     stream=True) as resp:  # fmt: skip
        resp.raise_for_status()
        rows = sum(1 for _ in resp.iter_lines())
    seconds = time.perf_counter() - started
    growth = max(kib(pid, "VmHWM") - before[pid] for pid in workers)
    return {"lines": rows, "seconds": round(seconds, 3), "peak_growth_kib": growth}


def memory(session, base: str, workers: list[int], points) -> dict:
    out = {}
    for days in (1, 16):
        made = ask(session, base, *next(points), days)
        download_peak(session, base, workers, made["id"])  # warm: the first one loads code
        runs = [download_peak(session, base, workers, made["id"]) for _ in range(3)]
        out[f"{days} d"] = {
            "steps": made["steps"],
            "lines": runs[0]["lines"],
            "seconds_median": statistics.median(r["seconds"] for r in runs),
            "peak_growth_kib_median": statistics.median(r["peak_growth_kib"] for r in runs),
        }
    return out


def markdown(doc: dict, latency: float) -> str:
    head = "| case | n | p50 ms | p95 ms | app p50 ms | target | met | all 4 ok | steps |"
    lines = [head + " n_fuentes (from step) |", "|---|---|---|---|---|---|---|---|---|---|"]
    targets = {"cold": latency + 100, "cached": 30.0}
    for name, row in doc["rows"].items():
        target = targets[name]
        met = "yes" if row["p50_ms"] <= target else f"**no** (+{row['p50_ms'] - target:.1f})"
        steps = " → ".join(f"{n} ({i})" for i, n in row["n_fuentes_changes"])
        lines.append(
            f"| {name} 7 d hourly | {row['n']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['app_p50_ms']} | p50 ≤ {target:.0f} | {met} | {row['all_four_ok']}/{row['n']} "
            f"| {row['steps']} | {steps} |"
        )
    lines += ["", "| CSV download | steps | lines | s (median of 3) | worker peak growth KiB |",
              "|---|---|---|---|---|"]  # fmt: skip
    for name, row in doc["memory"].items():
        lines.append(
            f"| {name} hourly | {row['steps']} | {row['lines']} | {row['seconds_median']} | "
            f"{row['peak_growth_kib_median']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=200.0, help="upstream latency L")
    parser.add_argument("--requests", type=int, default=30, help="measured requests per row")
    parser.add_argument("--warmups", type=int, default=3, help="discarded requests per row")
    parser.add_argument("--workers", type=int, default=2, help="GUNICORN_WORKERS")
    args = parser.parse_args()
    exit_on_signals()
    scratch = Path(tempfile.mkdtemp(prefix="climaguru-forecast-"))
    doc: dict = {"environment": {"loadavg_at_start": os.getloadavg(), **snapshot()}}
    doc["environment"] |= {"latency_ms": args.latency_ms, "workers": args.workers}
    points = iter([point(cell) for cell in grid(9)])  # 361 distinct points: every cold one a miss
    try:
        with serving(upstream(args.latency_ms / 1000)) as origin:
            server = AppServer(scratch / "app", settings(origin), workers=args.workers)
            server.start()
            try:
                session = requests.Session()
                session.headers["Authorization"] = f"Bearer {server.register()}"
                for _ in range(2 * args.workers):
                    ask(session, server.base, *next(points), 7)  # every worker imports and warms
                watch = CpuWatch(lambda: [os.getpid(), *server.pids()])
                watch.start()
                doc["rows"] = {
                    "cold": mode(session, server.base, points, args.requests, args.warmups, False),
                    "cached": mode(session, server.base, points, args.requests, args.warmups, True),
                }
                doc["environment"]["others_cpu_pct"] = watch.stop()
                doc["memory"] = memory(session, server.base, server.pids()[1:], points)
            finally:
                server.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    doc["environment"]["loadavg_at_end"] = os.getloadavg()
    print(markdown(doc, args.latency_ms))
    env = doc["environment"]
    print(f"\nload average at start {env['loadavg_at_start']}, end {env['loadavg_at_end']};")
    print(f"other work {env['others_cpu_pct']} % of the CPUs during the two latency rows")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"forecast-{time.strftime('%Y-%m-%d-%H%M%S')}.json"
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    print(f"written: {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
