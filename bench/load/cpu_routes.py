"""CPU per request of the two authenticated reads, in-process, without a profiler; trees A/B.

Run:  .venv/bin/python bench/load/cpu_routes.py [--rounds 15] [--requests 200] [--tree DIR]...
A throwaway MariaDB database (bench/load/target.py) with 200 stored queries of one user, made
through the API (open_meteo on a fake upstream, each on its own grid point, as the side-by-side
bench). One worker process per `--tree` (default: this checkout; e.g. a `git archive REV` copy)
imports the app from that tree (PYTHONPATH) and builds it on that database; then, round after
round, each worker answers `--requests` calls of each route in turn (trees and routes
alternated, so a busy moment of the host falls on all of them). A call is a plain WSGI call
of the app (a prebuilt environ, the body read), as gunicorn makes it, and the time is the
worker thread's CPU (`time.thread_time`): waits on MariaDB and the fake's thread are left
out. MariaDB's own CPU over the same calls is read beside it (the sum of its threads'
/proc/<pid>/task/*/schedstat, nanoseconds; only one worker runs at a time, so it is theirs).
Prints each tree's median and spread per route, and B / A. The app's JSON log lines go
to the worker's stderr: /dev/null unless --log.
`--profile ROUTE` runs a cProfile (CPU timer) of that route in the first tree instead.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUTES = {
    "GET /api/auth/me": "/api/auth/me",
    "GET mis-consultas?per_page=10": "/api/consultas/mis-consultas?per_page=10",
}


def _start_response(status: str, headers: list) -> None:
    if not status.startswith("2"):
        raise AssertionError(status)


def server_ns(pid: int | None) -> int | None:
    """CPU nanoseconds of every live thread of `pid` (schedstat's first field)."""
    if pid is None:
        return None
    total = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(stat.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended between the listing and the read
    return total


def call(app, environ: dict) -> None:
    env = dict(environ)
    env["wsgi.input"] = io.BytesIO()
    body = app(env, _start_response)
    for _ in body:
        pass
    if hasattr(body, "close"):
        body.close()


def worker(queries: int) -> None:
    """Build the app from PYTHONPATH's tree; answer commands on stdin, one JSON line each."""
    from falcon import testing

    import climaguru
    from climaguru.wsgi import build_app

    for _dir in (HERE.parent, HERE.parent / "export", HERE.parent / "fanout", HERE):
        sys.path.insert(0, str(_dir))
    from run import MEDELLIN
    from target import PASSWORD

    app = build_app()
    client = testing.TestClient(app)
    out = sys.stdout
    out.write(json.dumps({"code": str(Path(climaguru.__file__).parent.parent)}) + "\n")
    out.flush()
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["do"] == "seed":
            body = {"username": "bench.cpu", "email": "c@ejemplo.co", "password": PASSWORD}
            token = client.simulate_post("/api/auth/register", json=body).json["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            lat, lon = MEDELLIN
            for i in range(queries):
                doc = {"latitud": lat + i * 0.01, "longitud": lon, "proveedores": ["open_meteo"]}
                r = client.simulate_post("/api/consultas/tiempo-real", json=doc, headers=auth)
                assert r.status_code == 201, r.text[:300]
            listed = client.simulate_get("/api/consultas/mis-consultas", headers=auth).json
            assert listed["total"] == queries, listed["total"]
            reply: dict = {"token": token}
        elif cmd["do"] == "token":
            environs = {}
            for name, target in ROUTES.items():
                path, _, qs = target.partition("?")
                headers = {"Authorization": f"Bearer {cmd['token']}", "User-Agent": "wrk/4"}
                environs[name] = testing.create_environ(path=path, query_string=qs, headers=headers)
                for _ in range(50):  # warm: compiled statements, pool
                    call(app, environs[name])
            reply = {}
        elif cmd["do"] == "run":
            environ, n = environs[cmd["route"]], cmd["requests"]
            started = time.thread_time()
            for _ in range(n):
                call(app, environ)
            reply = {"ms": (time.thread_time() - started) / n * 1000}
        elif cmd["do"] == "profile":
            environ, n = environs[cmd["route"]], cmd["requests"]
            prof = cProfile.Profile(time.thread_time)
            prof.enable()
            for _ in range(n):
                call(app, environ)
            prof.disable()
            text = io.StringIO()
            pstats.Stats(prof, stream=text).sort_stats(cmd["sort"]).print_stats(cmd["top"])
            reply = {"text": text.getvalue()}
        out.write(json.dumps(reply) + "\n")
        out.flush()


class Worker:
    def __init__(self, tree: Path, env: dict, scratch: Path, log: bool, queries: int) -> None:
        self.tree = tree
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", "--queries", str(queries)],
            env=env | {"PYTHONPATH": str(tree)},
            cwd=scratch,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None if log else subprocess.DEVNULL,
            text=True,
        )
        self.code = self._read()["code"]

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker of {self.tree} died (run with --log)")
        return json.loads(line)

    def ask(self, **cmd) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def stop(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--tree", action="append", type=Path, help="repeat: A, B, ...")
    parser.add_argument("--profile", default="", choices=["", *ROUTES], help="cProfile it")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--log", action="store_true", help="the app's log lines to stderr")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.queries)
    for _dir in (HERE.parent, HERE.parent / "export", HERE.parent / "fanout", HERE):
        sys.path.insert(0, str(_dir))
    from counting_fake import CountingFake
    from fake_archive import FakeArchive
    from run import MYSQL_SERVER
    from target import database_pid, settings, throwaway_database

    trees = args.tree or [HERE.parent.parent]
    scratch = Path(tempfile.mkdtemp(prefix="climaguru-bench-cpu-"))
    workers: list[Worker] = []
    try:
        with (
            throwaway_database(MYSQL_SERVER) as url,
            CountingFake(0) as fake,
            FakeArchive() as archive,
        ):
            env = os.environ | settings(url, fake.origin, archive.origin)
            env |= {"CLIMAGURU_ENV": "testing", "CLIMAGURU_DATA_DIR": str(scratch)}
            migrate = [sys.executable, "-m", "climaguru", "db", "upgrade"]
            subprocess.run(
                migrate, cwd=scratch, env=env | {"PYTHONPATH": str(trees[-1])},
                check=True, capture_output=True, timeout=300,
            )  # fmt: skip
            for tree in trees:
                workers.append(Worker(tree, env, scratch, args.log, args.queries))
                print(f"tree {len(workers) - 1}: code imported from {workers[-1].code}")
            token = workers[0].ask(do="seed")["token"]
            for w in workers:
                w.ask(do="token", token=token)
            if args.profile:
                n = args.requests * args.rounds
                kw = {"route": args.profile, "requests": n, "sort": args.sort, "top": args.top}
                print(workers[0].ask(do="profile", **kw)["text"])
                return
            db_pid = database_pid(MYSQL_SERVER)
            per = {(i, r): [] for i in range(len(workers)) for r in ROUTES}
            db = {(i, r): [] for i in range(len(workers)) for r in ROUTES}
            for k in range(args.rounds):
                order = list(enumerate(workers))
                for i, w in order if k % 2 == 0 else reversed(order):
                    for route in ROUTES:
                        before = server_ns(db_pid)
                        ms = w.ask(do="run", route=route, requests=args.requests)["ms"]
                        after = server_ns(db_pid)
                        per[i, route].append(ms)
                        if before is not None and after is not None:
                            db[i, route].append((after - before) / 1e6 / args.requests)
            for route in ROUTES:
                base = statistics.median(per[0, route])
                db_base = statistics.median(db[0, route]) if db[0, route] else None
                for i in range(len(workers)):
                    ms = per[i, route]
                    med = statistics.median(ms)
                    print(
                        f"{route:30s} tree {i}: CPU ms/req median {med:.3f} "
                        f"(min {min(ms):.3f}, max {max(ms):.3f}; {args.rounds} x {args.requests})"
                        + (f"  {med / base:.2f}x tree 0" if i else "")
                    )
                    if db[i, route]:
                        dbm = statistics.median(db[i, route])
                        print(
                            f"{'':30s}         MariaDB CPU ms/req median {dbm:.3f} "
                            f"(min {min(db[i, route]):.3f}, max {max(db[i, route]):.3f})"
                            + (f"  {dbm / db_base:.2f}x tree 0" if i and db_base else "")
                        )
    finally:
        for w in workers:
            w.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
