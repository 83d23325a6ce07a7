"""Export benchmark: time and peak worker memory of downloading 1 and 10 years of hourly series.

Run:  .venv/bin/python bench/export/run.py [--db sqlite,mysql] [--formats csv] [--repeats 5]

For each database the series are created through the API (POST /api/consultas/historico, the
open_meteo adapter against a fake archive on 127.0.0.1, HISTORY_MAX_DAYS_HOURLY raised to
3700). Then, per series and format, a fresh gunicorn (deploy/gunicorn.conf.py, 1 gthread worker)
is warmed up with a 1-day export and its worker's RSS taken as "idle"; each download is timed
to its last byte and the worker's peak RSS (VmHWM, reset before each download) recorded.
Results: a markdown table on stdout and bench/results/export-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: procgroup
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/export
from breakdown import breakdown
from fake_archive import FakeArchive
from noise import CpuWatch, database_pids
from procgroup import exit_on_signals
from provenance import snapshot
from server import ROOT, Gunicorn, proc_kib

PASSWORD = "Bench-Export-Bogota-2026"  # noqa: S105 - a throwaway account in a scratch database
SERIES = {"1 day": 1, "1 year": 365, "10 years": 3650}
VARIABLES = [
    "temperatura",
    "sensacion_termica",
    "humedad_relativa",
    "presion_atmosferica",
    "velocidad_viento",
    "direccion_viento",
    "rafaga_viento",
    "precipitacion",
    "nubosidad",
    "descripcion_clima",
]
MYSQL_SERVER = os.environ.get("CLIMAGURU_TEST_MYSQL_SERVER", "mysql+pymysql://root:@127.0.0.1:3306")


def settings(origin: str, database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "JWT_SECRET_KEY": "bench-export-" + "k" * 40,
        "BCRYPT_ROUNDS": "4",
        "PROVIDERS_ENABLED": "open_meteo",
        "OPENMETEO_ARCHIVE_URL": origin,
        "PROVIDER_CACHE": "none",
        "PROVIDER_TIMEOUT": "300",
        "QUERY_DEADLINE": "300",
        "PROVIDER_MAX_RESPONSE_BYTES": str(256 * 1024 * 1024),
        "HISTORY_MAX_DAYS_HOURLY": "3700",  # the 10-year case needs more than the default 366
        "GUNICORN_TIMEOUT": "590",  # the app refuses >= 600 and wants it above QUERY_DEADLINE
    }


def token(base: str) -> str:
    body = {"username": "bench.export", "password": PASSWORD, "email": "bench@ejemplo.co"}
    requests.post(base + "/api/auth/register", json=body, timeout=30)
    login = requests.post(base + "/api/auth/login", json=body, timeout=30)
    login.raise_for_status()
    return login.json()["access_token"]


def seed(server: Gunicorn) -> dict[str, tuple[int, int, float]]:
    """Create each series through the API: name -> (query id, timesteps, seconds)."""
    auth = {"Authorization": f"Bearer {token(server.base)}"}
    end = datetime.now(ZoneInfo("America/Bogota")).date() - timedelta(days=10)
    made = {}
    for name, days in SERIES.items():
        body = {
            "latitud": 4.61,
            "longitud": -74.08,
            "ciudad": "Bogotá",
            "fecha_inicio": (end - timedelta(days=days - 1)).isoformat(),
            "fecha_fin": end.isoformat(),
            "granularidad": "horaria",
            "parametros": VARIABLES,
            "formato": "csv",
        }
        started = time.perf_counter()
        answer = requests.post(
            server.base + "/api/consultas/historico", json=body, headers=auth, timeout=900
        )
        answer.raise_for_status()
        doc = answer.json()
        made[name] = (doc["consulta"]["id"], doc["serie_total"], time.perf_counter() - started)
        print(f"  seeded {name}: {doc['serie_total']} timesteps in {made[name][2]:.1f} s")
    return made


def download(server: Gunicorn, auth: dict, query_id: int, fmt: str) -> tuple[float, int, int]:
    """(seconds to the last byte, bytes, lines) of one streamed download."""
    url = f"{server.base}/api/consultas/{query_id}/descargar"
    started = time.perf_counter()
    size = lines = 0
    with requests.get(url, params={"formato": fmt}, headers=auth, stream=True, timeout=300) as r:
        r.raise_for_status()
        for chunk in r.iter_content(64 * 1024):
            size += len(chunk)
            lines += chunk.count(b"\n")
    return time.perf_counter() - started, size, lines


def measure(workdir: Path, env: dict, made: dict, name: str, fmt: str, repeats: int) -> dict:
    with Gunicorn(workdir, env) as server:
        auth = {"Authorization": f"Bearer {token(server.base)}"}
        for _ in range(2):  # warm up: imports, compiled statements, pools
            download(server, auth, made["1 day"][0], fmt)
        pid = server.worker_pid
        ours = [os.getpid(), server.master_pid, pid]
        if env["DATABASE_URL"]:
            ours += database_pids()
        watch = CpuWatch(lambda: ours)
        load_before = os.getloadavg()[0]
        idle = proc_kib(pid, "VmRSS")
        runs = []
        watch.start()
        for _ in range(repeats):
            reset = server.reset_peak()
            seconds, size, lines = download(server, auth, made[name][0], fmt)
            peak = proc_kib(pid, "VmHWM") if reset else None
            runs.append({"s": seconds, "bytes": size, "lines": lines, "peak_kib": peak})
        others = watch.stop()
        after = proc_kib(pid, "VmRSS")
    assert runs[0]["lines"] > made[name][1], "the download is missing rows"
    peaks = [r["peak_kib"] for r in runs if r["peak_kib"] is not None]
    times = [r["s"] for r in runs]
    return {
        "series": name,
        "rows": made[name][1],
        "format": fmt,
        "mb": runs[0]["bytes"] / 1e6,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "idle_mib": idle / 1024,
        "peak_mib": max(peaks) / 1024 if peaks else None,
        "delta_mib": (max(peaks) - idle) / 1024 if peaks else None,
        "rss_after_mib": after / 1024,
        "others_cpu_pct": others,
        "loadavg_1m": [load_before, os.getloadavg()[0]],
        "runs": runs,
    }


def run_database(db: str, formats: list[str], repeats: int, keep: bool) -> list[dict]:
    workdir = Path(tempfile.mkdtemp(prefix=f"climaguru-bench-export-{db}-"))
    created = None
    url = ""  # SQLite file in the scratch dir, as `make run`
    if db == "mysql":
        created = f"climaguru_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(MYSQL_SERVER)
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {created} CHARACTER SET utf8mb4")
        url = f"{MYSQL_SERVER}/{created}?charset=utf8mb4"
    results = []
    try:
        with FakeArchive() as archive:
            env = settings(archive.origin, url)
            print(f"[{db}] {workdir}")
            seeder = Gunicorn(workdir, env)
            seeder.migrate()
            with seeder:  # starts it; `with seeder.start():` would start a second master
                made = seed(seeder)
            for name in ("1 year", "10 years"):
                for fmt in formats:
                    row = measure(workdir, env, made, name, fmt, repeats)
                    row["database"] = "MariaDB" if db == "mysql" else "SQLite"
                    row["seed_s"] = made[name][2]
                    results.append(row)
                    print(f"  {name} {fmt}: {row['median_s']:.2f} s, +{row['delta_mib']:.1f} MiB")
            sql_url = url or f"sqlite:///{workdir / 'climaguru.db'}"
            steps = [breakdown(sql_url, made["10 years"][0]) for _ in range(repeats)]
            results[-1]["breakdown_s"] = {
                k: statistics.median(s[k] for s in steps) for k in steps[0]
            }
            print(f"  breakdown 10 years: {results[-1]['breakdown_s']}")
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)  # ~0.7 GB of SQLite for 10 years
        if created and not keep:
            with admin.connect() as conn:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {created}")
            admin.dispose()
    return results


def table(results: list[dict]) -> str:
    head = (
        "| database | series | rows | format | size (MB) | median time (s) | "
        "max time (s) | idle RSS (MiB) | peak RSS (MiB) | peak − idle (MiB) | other work |\n"
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n"
    )

    def others(r: dict) -> str:
        return "—" if r["others_cpu_pct"] is None else f"{r['others_cpu_pct']:.0f}% CPU"

    return head + "".join(
        f"| {r['database']} | {r['series']} | {r['rows']:_} | {r['format']} | {r['mb']:.1f} | "
        f"{r['median_s']:.2f} | {r['max_s']:.2f} | {r['idle_mib']:.1f} | {r['peak_mib']:.1f} | "
        f"{r['delta_mib']:.1f} | ".replace("_", " ")
        + f"{others(r)} |\n"
        for r in results
    )


def breakdown_table(results: list[dict]) -> str:
    rows = [r for r in results if "breakdown_s" in r]
    if not rows:
        return ""
    steps = list(rows[0]["breakdown_s"])
    head = "| database | " + " | ".join(steps) + " |\n|---|" + "---:|" * len(steps) + "\n"
    return head + "".join(
        f"| {r['database']} | " + " | ".join(f"{r['breakdown_s'][k]:.2f}" for k in steps) + " |\n"
        for r in rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,mysql", help="sqlite, mysql or both")
    parser.add_argument("--formats", default="csv", help="comma list: csv,json,txt,yaml")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the scratch dirs and databases")
    args = parser.parse_args()
    exit_on_signals()  # SIGTERM/SIGHUP: clean up (gunicorn, scratch dir, database) and leave
    started, load = datetime.now().astimezone().isoformat(timespec="seconds"), os.getloadavg()
    code = snapshot()
    results = []
    for db in args.db.split(","):
        results += run_database(db.strip(), args.formats.split(","), args.repeats, args.keep)
    report = {
        "when": started,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        **code,
        "at_end": snapshot(),
        "loadavg_at_start": load,
        "results": results,
    }
    out = ROOT / "bench" / "results" / f"export-{datetime.now():%Y-%m-%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if report["at_end"]["source_digest"] != code["source_digest"]:
        print("WARNING: the app's sources changed during the run; rerun", file=sys.stderr)
    print()
    print(table(results))
    print("In-process breakdown, 10 years (s, median):\n")
    print(breakdown_table(results))
    print(f"results: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
