"""In-process p50 of POST /api/consultas/pronostico (7 days hourly, every forecast variable).

Run:  .venv/bin/python -m bench.forecast.inprocess [--calls 40] [--profile 25] 2>/dev/null
SQLite in a temp dir, loopback upstreams (pytest-httpserver) shaped as the published samples:
Open-Meteo answers every hourly variable asked, OpenWeatherMap One Call and Meteoblue as in
tests/integration/test_forecast_end_to_end.py, Meteosource without key (sin_clave). The first
call fills the provider cache; the next `--calls` are the cached case the issue 13 target is
about (p50 <= 30 ms). `--profile N` adds a cProfile (cpu timer) of N more cached calls.
`--cold N` adds N calls each at a new point of the 0.01° grid (every provider call a cache
miss; the upstreams answer at once, so this is the CPU of a cold request without the wait).
`--timer cpu` times each call in CPU seconds of this process (every thread: the fan-out's
too), steadier than wall clock while other work runs on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as dtime

from falcon import testing
from pytest_httpserver import HTTPServer
from werkzeug import Response

from bench.forecast.profiling import print_profile
from climaguru.app import create_app
from tests.conftest import app_env, container_of, open_meteo_at, upgrade
from tests.integration.test_forecast_end_to_end import (
    BOGOTA,
    KEYS,
    LIMITS,
    ORIGINS,
    PATH,
    PLACE,
    meteoblue,
    one_call,
)
from tests.unit.http.helpers import bearer, register


def open_meteo_all(request) -> Response:
    """/v1/forecast: every asked hourly variable, `forecast_days` local days from midnight."""
    days = int(request.args["forecast_days"])
    start = datetime.combine(datetime.now(BOGOTA).date(), dtime(0))
    times = [(start + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M") for h in range(24 * days)]
    block: dict[str, list] = {"time": times}
    for k, name in enumerate(request.args.get("hourly", "").split(",")):
        if name:
            block[name] = [round(10.0 + k + (h % 24) / 10, 1) for h in range(len(times))]
    body = {"utc_offset_seconds": -18000, "hourly": block, "hourly_units": {"time": "iso8601"}}
    return Response(json.dumps(body), content_type="application/json")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--cold", type=int, default=0)
    parser.add_argument("--timer", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    server = HTTPServer()
    server.start()
    handlers = {"/v1/forecast": open_meteo_all, "/data/3.0/onecall": one_call}
    handlers["/packages/basic-1h_basic-day"] = meteoblue
    for path, answer in handlers.items():
        server.expect_request(path).respond_with_handler(answer)
    origin = server.url_for("").rstrip("/")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**open_meteo_at(origin), **dict.fromkeys(ORIGINS, origin), **KEYS, **LIMITS}
        env["QUERIES_PER_MINUTE"] = "100000"
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        env = app_env(DATABASE_URL=url, CLIMAGURU_DATA_DIR=tmp, **env)
        container = container_of(env)
        client = testing.TestClient(create_app(container))
        auth = bearer(register(client, "agronoma")["access_token"])
        body = {**PLACE, "dias": args.days}

        clock = time.process_time if args.timer == "cpu" else time.perf_counter

        def call(asked: dict = body) -> float:
            started = clock()
            result = client.simulate_post(PATH, json=asked, headers=auth)
            elapsed = (clock() - started) * 1000
            assert result.status_code == 201, result.text[:300]
            return elapsed

        cold = call()
        first = client.simulate_post(PATH, json=body, headers=auth).json
        times = [call() for _ in range(args.calls)]
        load = os.getloadavg()
        print(
            f"steps={first['serie_total']} variables={len(first['serie'][0]['consenso'])} "
            f"providers={sorted(first['proveedores']) if 'proveedores' in first else '?'}"
        )
        print(
            f"cold(first call) {cold:.1f} ms; cached p50 {statistics.median(times):.1f} ms "
            f"(min {min(times):.1f}, max {max(times):.1f}, n={len(times)}) "
            f"loadavg {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} timer {args.timer}"
        )
        if args.cold:
            grid = [
                {**body, "latitud": round(body["latitud"] + (i + 1) / 100, 2)}
                for i in range(args.cold)
            ]
            colds = [call(asked) for asked in grid]
            print(
                f"cold p50 {statistics.median(colds):.1f} ms "
                f"(min {min(colds):.1f}, max {max(colds):.1f}, n={len(colds)}) timer {args.timer}"
            )
        if args.profile:
            print_profile(call, args.profile, args.top)
        container.engine().dispose()
    server.stop()


if __name__ == "__main__":
    main()
