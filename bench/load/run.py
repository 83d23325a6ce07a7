"""Load benchmark: wrk against ClimaGuru under gunicorn (deploy/) on a throwaway MariaDB.

Run:  .venv/bin/python -m bench.load.run  [--seconds 10] [--connections 8,32] [--repeats 3]
      (or .venv/bin/python bench/load/run.py)
Starts and stops everything itself (database, fakes, gunicorn), prints a markdown table of
medians and writes bench/results/load-<timestamp>.json. See bench/README.md, "load".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
for _dir in (HERE.parent, HERE.parent / "export", HERE.parent / "fanout", HERE):
    sys.path.insert(0, str(_dir))  # bench/ modules are imported by name, as the others do

from counting_fake import CountingFake  # noqa: E402
from cpu import OtherWork  # noqa: E402
from fake_archive import FakeArchive  # noqa: E402
from fake_providers import grid, point, radius_for  # noqa: E402
from procgroup import exit_on_signals  # noqa: E402
from provenance import environment, scratch_dir, snapshot  # noqa: E402
from server import Gunicorn  # noqa: E402
from target import (  # noqa: E402
    Seeder,
    gunicorn_settings,
    settings,
    snapshot_code,
    throwaway_database,
)
from wrk_run import Load, run_wrk, wrk_version  # noqa: E402

ROOT = HERE.parents[1]
MYSQL_SERVER = os.environ.get("CLIMAGURU_TEST_MYSQL_SERVER", "mysql+pymysql://root:@127.0.0.1:3306")
ALL_PROVIDERS = ["open_meteo", "openweathermap", "meteoblue", "meteosource", "ideam", "siata"]
MEDELLIN = (6.25, -75.56)  # the fake's grid centre: IDEAM and SIATA have a station there
NOISY_OTHER_CPU = 10.0  # % of both CPUs used by processes that are not the benchmark's


def current_body(providers: list[str]) -> str:
    lat, lon = MEDELLIN
    return json.dumps({"latitud": lat, "longitud": lon, "proveedores": providers})


def seed(seeder: Seeder, queries: int) -> tuple[str, int, int]:
    """A user with `queries` stored queries: queries - 1 current ones (open_meteo, each on its
    own grid point) and one one-year hourly history. Returns (token, history id, timesteps)."""
    token = seeder.register("bench.lista")
    cells = grid(radius_for(queries - 1))[: queries - 1]
    for cell in cells:
        seeder.current(token, *point(cell), ["open_meteo"])
    history_id, steps = seeder.year_hourly(token)
    listed = seeder.get(token, "/api/consultas/mis-consultas").json()
    if listed["total"] != queries:
        raise RuntimeError(f"expected {queries} stored queries, the API lists {listed['total']}")
    csv = seeder.get(token, f"/api/consultas/{history_id}/descargar?formato=csv")
    if csv.status_code != 200 or csv.text.count("\n") < steps:
        raise RuntimeError(f"CSV download: {csv.status_code}, {csv.text.count(chr(10))} lines")
    print(f"  seeded {queries} queries; history {history_id}: {steps} hourly steps, "
          f"CSV {len(csv.content) / 1e6:.2f} MB", file=sys.stderr)  # fmt: skip
    return token, history_id, steps


def warm_cache(seeder: Seeder, token: str, providers: list[str]) -> dict[str, str]:
    """Two identical queries (the second from the cache); each provider's outcome."""
    for _ in range(2):
        doc = seeder.current(token, *MEDELLIN, providers)
    answers = doc["datos"]["proveedores"]
    return {n: "ok" if a["estado"] == "ok" else a.get("codigo", "?") for n, a in answers.items()}


def measure(case: str, load: Load, base: str, token: str, args, fake: CountingFake) -> list:
    """A short unrecorded warm-up, then repeats x connection counts (interleaved) of wrk."""
    run_wrk(base, load, token, 8, 2, cpus=args.wrk_cpus)
    runs = []
    other = OtherWork()
    for rep in range(args.repeats):
        for conns in args.connections:
            loadavg = os.getloadavg()
            upstream = fake.total()
            other.start()
            result = run_wrk(base, load, token, conns, args.seconds, cpus=args.wrk_cpus)
            result |= {
                "case": case,
                "connections": conns,
                "repeat": rep + 1,
                "loadavg_before": [round(x, 2) for x in loadavg],
                "other_cpu_pct": other.stop(),
                "upstream_requests": fake.total() - upstream,
            }
            runs.append(result)
            print(f"  {case} c={conns} #{rep + 1}: {result['rps']:.1f} req/s, "
                  f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
                  f"load {loadavg[0]:.2f}, other {result['other_cpu_pct']}% CPU, "
                  f"upstream {result['upstream_requests']}", file=sys.stderr)  # fmt: skip
    return runs


def summarise(runs: list[dict]) -> list[dict]:
    rows = []
    for key in dict.fromkeys((r["case"], r["connections"]) for r in runs):
        group = [r for r in runs if (r["case"], r["connections"]) == key]
        others = [r["other_cpu_pct"] for r in group if r["other_cpu_pct"] is not None]
        rows.append({
            "case": key[0],
            "connections": key[1],
            "rps": statistics.median(r["rps"] for r in group),
            "rps_range": (min(r["rps"] for r in group), max(r["rps"] for r in group)),
            "p50_ms": statistics.median(r["p50_ms"] for r in group),
            "p99_ms": statistics.median(r["p99_ms"] for r in group),
            "non_2xx": sum(r["non_2xx"] for r in group),
            "socket_errors": sum(r["socket_errors"] for r in group),
            "upstream_requests": sum(r["upstream_requests"] for r in group),
            "loadavg_max": max(r["loadavg_before"][0] for r in group),
            "other_cpu_max": max(others) if others else None,
            "noisy": any(o >= NOISY_OTHER_CPU for o in others),
        })  # fmt: skip
    return rows


def table(rows: list[dict]) -> str:
    out = [
        "| case | conns | req/s (median) | req/s (min–max) | p50 ms | p99 ms | non-2xx | "
        "socket errors | upstream requests | load 1 min before (max) | other work (max) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        other = "—" if r["other_cpu_max"] is None else f"{r['other_cpu_max']:.0f}% CPU"
        flag = " **noisy**" if r["noisy"] else ""
        out.append(
            f"| {r['case']} | {r['connections']} | {r['rps']:.1f} | {r['rps_range'][0]:.1f}–"
            f"{r['rps_range'][1]:.1f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['non_2xx']} | "
            f"{r['socket_errors']} | {r['upstream_requests']} | {r['loadavg_max']:.2f} | "
            f"{other}{flag} |"
        )
    return "\n".join(out)


def run(args, scratch: Path) -> dict:
    radius = radius_for(args.queries - 1)
    with (
        throwaway_database(MYSQL_SERVER) as url,
        CountingFake(radius) as fake,
        FakeArchive() as archive,
    ):
        code = snapshot_code(scratch / "code")
        server = Gunicorn(scratch, settings(url, fake.origin, archive.origin, code))
        server.migrate()
        try:
            with server:
                return measure_all(args, server, fake)
        except Exception:
            log = (scratch / "gunicorn.log").read_text(errors="replace")
            print(f"gunicorn.log (last 3000 chars):\n{log[-3000:]}", file=sys.stderr)
            raise


def measure_all(args, server: Gunicorn, fake: CountingFake) -> dict:
    """Seed, then every case: a, b and d with the seeded user, c after warming the cache."""
    gconf = gunicorn_settings(server)
    print(f"  gunicorn: {gconf}", file=sys.stderr)
    if not gconf["app_code"].startswith(str(server.workdir)):
        raise RuntimeError(f"the server imports {gconf['app_code']}, not the snapshot")
    seeder = Seeder(server.base)
    token, history_id, steps = seed(seeder, args.queries)
    cache_token = seeder.register("bench.cache")
    cases = {
        "a) GET /api/auth/me": Load("/api/auth/me"),
        f"b) GET mis-consultas ({args.queries} stored)": Load("/api/consultas/mis-consultas"),
        f"d) GET descargar csv ({steps} rows)": Load(
            f"/api/consultas/{history_id}/descargar?formato=csv"
        ),
    }
    runs, outcomes = [], {}
    for case, load in cases.items():
        if args.only in case:
            runs += measure(case, load, server.base, token, args, fake)
    for providers in (["open_meteo"], ALL_PROVIDERS):
        case = f"c) POST tiempo-real cached, {len(providers)} provider(s)"
        if args.only not in case:
            continue
        outcomes[case] = warm_cache(seeder, cache_token, providers)
        load = Load("/api/consultas/tiempo-real", "post_json.lua", current_body(providers))
        runs += measure(case, load, server.base, cache_token, args, fake)
    return {"gunicorn": gconf, "provider_outcomes": outcomes, "runs": runs,
            "upstream_counts_total": fake.samples.counts()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="duration of one wrk run")
    parser.add_argument("--connections", default="8,32", help="comma list of wrk -c values")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200, help="stored queries of the user")
    parser.add_argument("--wrk-cpus", default=None, help="pin wrk with taskset -c (e.g. 1)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch dir (gunicorn.log)")
    parser.add_argument("--only", default="", help="run only the cases whose name contains it")
    args = parser.parse_args()
    args.connections = [int(c) for c in args.connections.split(",")]
    exit_on_signals()  # SIGTERM/SIGHUP: stop gunicorn, drop the database, remove the scratch dir
    env = environment(args, wrk_version())
    with scratch_dir("climaguru-bench-load-", args.keep) as scratch:
        doc = {"environment": env, **run(args, scratch)}
    doc["environment"]["at_end"] = snapshot()
    doc["rows"] = summarise(doc["runs"])
    print(table(doc["rows"]))
    print(f"\ngunicorn: {doc['gunicorn']}\nproviders (c): {doc['provider_outcomes']}")
    if doc["environment"]["at_end"]["source_digest"] != env["source_digest"]:
        print("note: the checkout changed during the run; the server ran the snapshot taken "
              f"at the start (source digest {env['source_digest']})", file=sys.stderr)  # fmt: skip
    out = ROOT / "bench" / "results" / f"load-{time.strftime('%Y-%m-%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    print(f"results: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
