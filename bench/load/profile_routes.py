"""cProfile of the measured routes in one process (no gunicorn, no wrk) on a throwaway MariaDB.

Run:  .venv/bin/python -m bench.load.profile_routes [--requests 300] [--top 18]
Same settings as bench/load/run.py (fake upstreams on loopback, LOG_LEVEL=INFO: the app logs
its JSON lines to stderr, so add 2>/dev/null). falcon's TestClient calls the app directly, so
the profile shows where one request's time goes, and how many MariaDB round trips it makes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
for _dir in (HERE.parent, HERE.parent / "export", HERE.parent / "fanout", HERE):
    sys.path.insert(0, str(_dir))

import sqlalchemy as sa  # noqa: E402
from counting_fake import CountingFake  # noqa: E402
from fake_archive import FakeArchive  # noqa: E402
from falcon import testing  # noqa: E402
from run import ALL_PROVIDERS, MEDELLIN, MYSQL_SERVER  # noqa: E402
from target import PASSWORD, settings, throwaway_database  # noqa: E402

STATEMENTS: Counter[str] = Counter()
TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE)\s+`?(\w+)", re.IGNORECASE)


@sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
def _count(conn, cursor, statement: str, parameters, context, executemany) -> None:
    """SQL statements sent, by verb and first table (pings, commits, rollbacks are not here)."""
    table = TABLE.search(statement)
    STATEMENTS[f"{statement.split(None, 1)[0].upper()} {table[1] if table else ''}".strip()] += 1


N_REQUESTS = 1
# pymysql Connection methods that send a command (a round trip) besides cursor statements.
DRIVER_CALLS = ("_execute_command", "ping", "commit", "rollback", "begin", "select_db")


TIMERS = {"wall": time.perf_counter, "cpu": time.process_time}  # cpu: waits on MariaDB vanish


def profile(
    client: testing.TestClient, method: str, path: str, n: int, timer: str = "wall", **kw
) -> tuple:
    client.simulate_request(method, path, **kw)  # warm: compiled statements, pools
    STATEMENTS.clear()
    prof = cProfile.Profile(TIMERS[timer])
    started = time.perf_counter()
    prof.enable()
    for _ in range(n):
        result = client.simulate_request(method, path, **kw)
        assert result.status_code < 300, (path, result.status_code, result.text[:200])
    prof.disable()
    return (time.perf_counter() - started) / n * 1000, prof


def report(
    title: str, ms: float, prof: cProfile.Profile, top: int, sort: str, callers: str = ""
) -> str:
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats(sort).print_stats(top)
    if callers:  # who calls the functions matching this regex
        stats.print_callers(callers)
    per = {k: round(v / N_REQUESTS, 2) for k, v in STATEMENTS.most_common()}
    driver: Counter[str] = Counter()
    for (file, _, name), (_, n, *_) in stats.stats.items():  # type: ignore[attr-defined]
        if file.endswith("pymysql/connections.py") and name in DRIVER_CALLS:
            driver[name] += n
    commands = driver.pop("_execute_command", 0) / N_REQUESTS
    calls = {k: round(v / N_REQUESTS, 2) for k, v in sorted(driver.items())}
    return (
        f"\n=== {title}: {ms:.2f} ms per request, wall clock (under cProfile) ===\n"
        f"MariaDB commands per request: {commands:.1f}, among them driver calls {calls}\n"
        f"SQL statements per request: {per}\n{out.getvalue()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=18)
    parser.add_argument("--sort", default="tottime", help="pstats key: tottime, cumulative")
    parser.add_argument("--callers", default="", help="regex: print who calls these")
    parser.add_argument(
        "--timer", choices=sorted(TIMERS), default="wall", help="cpu: this process's CPU only"
    )
    args = parser.parse_args()
    global N_REQUESTS
    N_REQUESTS = args.requests
    scratch = Path(tempfile.mkdtemp(prefix="climaguru-bench-load-profile-"))
    try:
        with (
            throwaway_database(MYSQL_SERVER) as url,
            CountingFake(0) as fake,
            FakeArchive() as archive,
        ):
            env = settings(url, fake.origin, archive.origin) | {
                "CLIMAGURU_ENV": "testing",
                "CLIMAGURU_DATA_DIR": str(scratch),
            }
            os.environ.update(env)
            migrate = [sys.executable, "-m", "climaguru", "db", "upgrade"]
            subprocess.run(migrate, cwd=scratch, check=True, capture_output=True, timeout=300)
            import climaguru
            from climaguru.wsgi import build_app

            print(f"code profiled: {Path(climaguru.__file__).parent.parent}")  # PYTHONPATH wins

            client = testing.TestClient(build_app())
            body = {"username": "bench.perfil", "email": "p@ejemplo.co", "password": PASSWORD}
            token = client.simulate_post("/api/auth/register", json=body).json["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            lat, lon = MEDELLIN
            current = {"latitud": lat, "longitud": lon, "proveedores": ["open_meteo"]}
            for _ in range(20):  # a few stored queries for the list
                client.simulate_post("/api/consultas/tiempo-real", json=current, headers=auth)
            before = fake.total()
            cases = [
                ("GET /api/auth/me", "GET", "/api/auth/me", {}),
                ("GET /api/consultas/mis-consultas", "GET", "/api/consultas/mis-consultas", {}),
                ("POST tiempo-real cached (open_meteo)", "POST", "/api/consultas/tiempo-real",
                 {"json": current}),
            ]  # fmt: skip
            for title, method, path, kw in cases:
                ms, prof = profile(
                    client, method, path, args.requests, args.timer, headers=auth, **kw
                )
                print(report(title, ms, prof, args.top, args.sort, args.callers))
            print(f"upstream requests while profiling: {fake.total() - before}")
            six = current | {"proveedores": ALL_PROVIDERS}
            client.simulate_post("/api/consultas/tiempo-real", json=six, headers=auth)
            print("stored bytes of respuesta_api (what the list reads and decodes per row):")
            engine = sa.create_engine(url)
            with engine.connect() as conn:
                sizes = conn.exec_driver_sql(
                    "SELECT JSON_LENGTH(parametros_solicitados, '$.proveedores'), "
                    "MIN(LENGTH(respuesta_api)), MAX(LENGTH(respuesta_api)), COUNT(*) "
                    "FROM consultas GROUP BY 1"
                )
                for providers, low, high, count in sizes:
                    print(f"  {providers} provider(s): {low}-{high} bytes ({count} queries)")
            engine.dispose()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
