"""In-process cold forecasts: the CPU of the fan-out (asking, decoding, rows) and of the steps.

Run:  .venv/bin/python -m bench.forecast.cold [--calls 30] [--profile 10] 2>/dev/null
The four forecasters of the gunicorn bench (tests/e2e/console_forecast.py: Open-Meteo, One Call
3.0, Meteoblue basic-1h_basic-day, Meteosource point on the standard tier) answer from a
separate process (so their CPU is not counted here) after `--latency-ms`; each call asks a new
point of the 0.01° grid (every provider call a cache miss) for 7 days hourly. The step memo
is cleared before each call (`--keep-memo` keeps it): the constructed answers are the same at
every point, and a real cold point has its own values. Per call it records the wall time, the
process CPU spent inside ProviderCalls.ask (the pool threads decoding and building rows) and
inside RunForecastQuery._steps (derivations, consensus, farm days, alerts); medians printed.
`--profile N`: cProfile (cpu timer) of N more calls with the provider calls run inline, so the
decoding is seen too.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import time
from concurrent.futures import Future

from falcon import testing

import adapters.providers.fanout as fanout
from bench.fanout.fake_providers import grid, point
from bench.fanout.forecast import PATH, settings, upstream
from bench.forecast.profiling import print_profile
from climaguru.app import create_app
from domain.model import forecast as fc
from domain.use_cases.provider_calls import ProviderCalls
from domain.use_cases.run_forecast_query import RunForecastQuery
from tests.conftest import app_env, container_of, upgrade
from tests.e2e.loopback import serving
from tests.unit.http.helpers import bearer, register


def _serve(latency_s: float, conn) -> None:
    with serving(upstream(latency_s)) as origin:
        conn.send(origin)
        conn.recv()  # until the parent is done


def _timed(cls, name: str, log: dict[str, list[float]]):
    original = getattr(cls, name)

    def wrapper(*args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            log[name].append((time.process_time() - cpu) * 1000)
            log[f"{name} wall"].append((time.perf_counter() - wall) * 1000)

    setattr(cls, name, wrapper)


def _inline(pool, fn, *args, **kwargs) -> Future:
    future: Future = Future()
    try:
        future.set_result(fn(*args, **kwargs))
    except BaseException as exc:  # handed to the caller, as the pool would
        future.set_exception(exc)
    return future


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--keep-memo", action="store_true")
    args = parser.parse_args()
    points = iter([point(cell) for cell in grid(12)])
    parent, child = multiprocessing.get_context("fork").Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=_serve, args=(args.latency_ms / 1000, child), daemon=True
    )
    server.start()
    origin = parent.recv()
    log: dict[str, list[float]] = {"ask": [], "_steps": [], "ask wall": [], "_steps wall": []}
    _timed(ProviderCalls, "ask", log)
    _timed(RunForecastQuery, "_steps", log)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        env = app_env(DATABASE_URL=url, CLIMAGURU_DATA_DIR=tmp, **settings(origin))
        env["QUERIES_PER_MINUTE"] = "100000"
        container = container_of(env)
        client = testing.TestClient(create_app(container))
        auth = bearer(register(client, "agronoma")["access_token"])

        def call() -> tuple[float, float]:
            if not args.keep_memo:
                fc.STEP_MEMO.clear()
            lat, lon = next(points)
            body = {"latitud": lat, "longitud": lon, "dias": args.days}
            wall, cpu = time.perf_counter(), time.process_time()
            result = client.simulate_post(PATH, json=body, headers=auth)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            assert result.status_code == 201, result.text[:300]
            states = {n: a.get("estado") for n, a in result.json["proveedores"].items()}
            assert all(s == "ok" for s in states.values()) and len(states) == 4, states
            return wall * 1000, cpu * 1000

        for _ in range(3):
            call()  # imports, first connections
        for values in log.values():
            values.clear()
        runs = [call() for _ in range(args.calls)]
        med = statistics.median
        print(
            f"cold x{args.calls} (L={args.latency_ms:g} ms, memo "
            f"{'kept' if args.keep_memo else 'cleared'}): wall p50 {med(r[0] for r in runs):.1f} ms"
            f", request CPU p50 {med(r[1] for r in runs):.1f} ms; fan-out CPU (ask) p50 "
            f"{med(log['ask']):.1f} ms (wall {med(log['ask wall']):.1f}), steps CPU p50 "
            f"{med(log['_steps']):.1f} ms (wall {med(log['_steps wall']):.1f}); "
            f"loadavg {os.getloadavg()[0]:.2f}"
        )
        if args.profile:
            fanout.submit_in_context = _inline  # type: ignore[assignment]
            print_profile(call, args.profile, args.top)
        container.engine().dispose()
    parent.send("done")
    server.join(5)


if __name__ == "__main__":
    main()
