"""Side by side on one MariaDB: the guide's Flask peer against ClimaGuru, and ClimaGuru before
(a git revision) against after (this checkout), in alternating wrk runs A B A B.

Run:  .venv/bin/python bench/sidebyside/compare.py            # 10 s x 5 rounds (~20 min)
      .venv/bin/python bench/sidebyside/compare.py --quick    # 3 s x 2 rounds
Phases (--only): `equal` (2 sync workers each), `documented` (peer -w 4; ClimaGuru's
deploy/gunicorn.conf.py), `before-after` (both trees with their own conf). See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
for _dir in (HERE.parent, HERE.parent / "export", HERE.parent / "fanout", HERE.parent / "load"):
    sys.path.insert(0, str(_dir))
sys.path.insert(0, str(HERE))

import requests  # noqa: E402
from alternate import Side, alternate, compare  # noqa: E402
from counting_fake import CountingFake  # noqa: E402
from fake_archive import FakeArchive  # noqa: E402
from fake_providers import radius_for  # noqa: E402
from noise import children  # noqa: E402
from peer import Peer, copy_sources, ensure_venv  # noqa: E402
from procgroup import exit_on_signals  # noqa: E402
from provenance import ROOT, environment, scratch_dir, snapshot  # noqa: E402
from report import table  # noqa: E402
from run import MYSQL_SERVER, current_body, seed, warm_cache  # noqa: E402
from server import Gunicorn, free_port  # noqa: E402
from target import Seeder, database_pid, settings, throwaway_database  # noqa: E402
from trees import CONF, ISSUE_15_START, archive, dependencies_match, resolve, working_tree  # noqa: E402
from wrk_run import Load, wrk_version  # noqa: E402

PHASES = ("equal", "documented", "before-after")
# Over the conf file's sizing. `--threads 1` too: gunicorn silently runs the gthread worker
# instead of sync when threads > 1, and the conf file asks for 4 (until 2026-12-05 this row
# measured 2 gthread workers x 4 threads against the peer's 2 sync workers).
EQUAL = ("--workers", "2", "--worker-class", "sync", "--threads", "1")
READS = {"GET /api/auth/me": "/api/auth/me",
         "GET mis-consultas?per_page=10": "/api/consultas/mis-consultas?per_page=10"}  # fmt: skip


class Tree:
    """One ClimaGuru tree on its own throwaway database, seeded once through its API."""

    def __init__(self, name: str, code: Path, url: str, fake, history, scratch: Path) -> None:
        self.name, self.code, self.scratch = name, code, scratch
        self.settings = settings(url, fake.origin, history.origin, code)  # one ENCRYPTION_KEY
        self.accounts: dict | None = None
        self.started = 0

    def server(self, args: tuple[str, ...] = ()) -> Gunicorn:
        self.started += 1
        workdir = self.scratch / f"{self.name}-{self.started}"
        workdir.mkdir()
        server = Gunicorn(workdir, self.settings, conf=self.code / CONF, args=args)
        if self.started == 1:
            server.migrate()
        return server

    def ready(self, server: Gunicorn, queries: int) -> dict:
        """Check the server imports this tree; seed the database on first use."""
        probe = [sys.executable, "-c", "import climaguru; print(climaguru.__file__)"]
        done = subprocess.run(probe, env=server.env, cwd=server.workdir, capture_output=True,
                              timeout=60, check=True)  # fmt: skip
        if not done.stdout.decode().startswith(str(self.code)):
            raise RuntimeError(f"{self.name} imports {done.stdout.decode()!r}, not {self.code}")
        if self.accounts is None:
            with self.reporting(server, "seeding"):
                seeder = Seeder(server.base)
                token, history_id, steps = seed(seeder, queries)
                self.accounts = {"token": token, "history_id": history_id, "steps": steps,
                                 "cache_token": seeder.register("bench.cache")}  # fmt: skip
        workers = len(children(server.master_pid))
        print(f"  {self.name}: {workers} workers, code {self.code}", file=sys.stderr)
        return self.accounts

    @contextmanager
    def reporting(self, server: Gunicorn, step: str) -> Iterator[None]:
        """A request that fails says what became of the server: running or not, its log."""
        try:
            yield
        except (requests.RequestException, RuntimeError) as exc:
            raise RuntimeError(f"{self.name}, {step} on {server.base}: {exc}\n"
                               f"{server.post_mortem()}") from exc  # fmt: skip


def check_peer(peer: Peer, queries: int) -> None:
    resp = requests.get(peer.base + READS["GET mis-consultas?per_page=10"],
                        headers={"Authorization": f"Bearer {peer.token}"}, timeout=30)  # fmt: skip
    if resp.status_code != 200 or resp.json()["total"] != queries:
        raise RuntimeError(f"peer mis-consultas: {resp.status_code} {resp.text[:200]}")


def peer_phase(config: str, peer_workers: int, cg_args: tuple, after: Tree, peer_url, args):
    with Peer(free_port(), peer_url, peer_workers, args.queries) as peer:
        check_peer(peer, args.queries)
        with after.server(cg_args) as cg:
            acc = after.ready(cg, args.queries)
            out = []
            for route, path in READS.items():
                a = Side("peer", peer.base, peer.token, Load(path), peer.master_pid)
                b = Side("climaguru", cg.base, acc["token"], Load(path), cg.master_pid)
                runs = alternate(
                    route,
                    a,
                    b,
                    args.duration,
                    args.rounds,
                    args.warmup,
                    args.connections,
                    args.db_pid,
                    args.order,
                )
                out.append({"config": config, "connections": args.connections, "route": route,
                            "runs": runs, **compare(runs, "peer", "climaguru")})  # fmt: skip
            return out


def before_after_phase(before: Tree, after: Tree, fake: CountingFake, args) -> list[dict]:
    body = current_body(["open_meteo"])
    with before.server() as old, after.server() as new:
        sides = []
        for tree, server in ((before, old), (after, new)):
            acc = tree.ready(server, args.queries)
            with tree.reporting(server, "cache warm-up"):
                outcome = warm_cache(Seeder(server.base), acc["cache_token"], ["open_meteo"])
            if outcome != {"open_meteo": "ok"}:
                raise RuntimeError(f"{tree.name}: the cache warm-up answered {outcome}")
            sides.append((tree.name, server, acc))
        routes = {
            "POST tiempo-real cached (open_meteo)": lambda acc: (
                Load("/api/consultas/tiempo-real", "post_json.lua", body), acc["cache_token"]),
            "GET descargar csv (1 year hourly)": lambda acc: (
                Load(f"/api/consultas/{acc['history_id']}/descargar?formato=csv"), acc["token"]),
        }  # fmt: skip
        out = []
        for route, make in routes.items():
            a, b = (
                Side(n, s.base, make(acc)[1], make(acc)[0], s.master_pid) for n, s, acc in sides
            )
            conns = args.csv_connections if "csv" in route else args.connections
            upstream = fake.total()
            runs = alternate(
                route, a, b, args.duration, args.rounds, args.warmup, conns, args.db_pid, args.order
            )
            missed = fake.total() - upstream  # 0: every tiempo-real came from the cache
            if missed:
                print(f"  warning: {route} sent {missed} requests upstream", file=sys.stderr)
            out.append({"config": "before → after (documented conf each)", "route": route,
                        "connections": conns, "runs": runs, "upstream_requests": missed,
                        **compare(runs, before.name, after.name)})  # fmt: skip
        return out


def profile(code: Path, label: str, out_dir: Path) -> Path:
    """bench/load/profile_routes.py (in-process cProfile) with `code` first on PYTHONPATH."""
    env = os.environ | {"PYTHONPATH": str(code)}
    argv = [sys.executable, str(HERE.parent / "load" / "profile_routes.py"), "--top", "15"]
    done = subprocess.run(argv, env=env, capture_output=True, timeout=900, check=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"profile-{label}-{time.strftime('%Y-%m-%d-%H%M%S')}.txt"
    out.write_text(done.stdout.decode())
    return out


def run(args, scratch: Path) -> dict:
    doc: dict = {"comparisons": []}
    before_rev = resolve(args.before)
    args.db_pid = database_pid(MYSQL_SERVER)
    if args.db_pid is None:
        print("  the MariaDB server's pid is not readable here: no database CPU", file=sys.stderr)
    doc["before"] = before_rev
    radius = radius_for(args.queries - 1)
    with (
        throwaway_database(MYSQL_SERVER) as peer_url,
        throwaway_database(MYSQL_SERVER) as after_url,
        throwaway_database(MYSQL_SERVER) as before_url,
        CountingFake(radius) as fake,
        FakeArchive() as history,
    ):
        after = Tree("after", working_tree(scratch / "after-code"), after_url, fake, history,
                     scratch)  # fmt: skip
        before_code = archive(before_rev, scratch / "before-code")
        before = Tree("before", before_code, before_url, fake, history, scratch)
        if "equal" in args.only:
            doc["comparisons"] += peer_phase("equal: 2 sync workers each", 2, EQUAL, after,
                                             peer_url, args)  # fmt: skip
        if "documented" in args.only:
            doc["comparisons"] += peer_phase("as documented: peer -w 4, ClimaGuru conf", 4, (),
                                             after, peer_url, args)  # fmt: skip
        if "before-after" in args.only:
            doc["comparisons"] += before_after_phase(before, after, fake, args)
        if args.profile:
            doc["profiles"] = [str(profile(t.code, t.name, args.results)) for t in (before, after)]
        doc["upstream_counts_total"] = fake.samples.counts()
    return doc


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of one wrk run")
    parser.add_argument("--rounds", type=int, default=5, help="A B pairs per route")
    parser.add_argument("--warmup", type=int, default=3, help="unrecorded seconds per side")
    parser.add_argument("--quick", action="store_true", help="3 s x 2 rounds, 1 s warm-up")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c (the issue's 16)")
    parser.add_argument(
        "--csv-connections",
        type=int,
        default=4,
        help="wrk -c of the CSV download (0.5 MB each; 16 at once take > 3 s)",
    )
    parser.add_argument("--order", choices=("abab", "abba"), default="abab",
                        help="abba: B first in every second round")  # fmt: skip
    parser.add_argument("--queries", type=int, default=200, help="stored queries per database")
    parser.add_argument("--before", default=ISSUE_15_START, help="git revision of 'before'")
    parser.add_argument("--only", default=",".join(PHASES), help="comma list of phases")
    parser.add_argument("--profile", action="store_true", help="cProfile both trees afterwards")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--keep", action="store_true", help="keep the scratch dir (logs)")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.rounds, args.warmup = 3, 2, 1
    args.only = [p.strip() for p in args.only.split(",") if p.strip()]
    if unknown := set(args.only) - set(PHASES):
        parser.error(f"unknown phases {sorted(unknown)}; known: {', '.join(PHASES)}")
    return args


def main() -> None:
    args = parse()
    exit_on_signals()  # SIGTERM/SIGHUP: stop the servers, drop the databases, remove the scratch
    if "before-after" in args.only and not dependencies_match(resolve(args.before)):
        raise SystemExit(f"{args.before} declares dependencies this venv lacks: its tree "
                         "would run on the wrong packages")  # fmt: skip
    if {"equal", "documented"} & set(args.only):
        ensure_venv(copy_sources())
    env = environment(args, wrk_version())
    with scratch_dir("climaguru-bench-sidebyside-", args.keep) as scratch:
        doc = {"environment": env, **run(args, scratch)}
    doc["environment"]["at_end"] = snapshot()
    label = "quick" if args.quick else f"{args.duration} s x {args.rounds} rounds"
    print(f"\n{label}, wrk -t2 -c16, medians; before = {doc['before'][:10]}\n")
    print(table(doc["comparisons"]))
    for path in doc.get("profiles", []):
        print(f"profile: {path}")
    out = args.results / f"sidebyside-{time.strftime('%Y-%m-%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
