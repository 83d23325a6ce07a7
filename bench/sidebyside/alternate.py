"""Alternating wrk runs A B A B against two servers, with each server's and MariaDB's CPU.

Per run: wrk's req/s, p50 and p99; the CPU ticks of the server's whole process tree (master,
workers, and via cutime/cstime the workers it recycled and reaped) and of the `mariadbd` that
serves the benchmark (utime + stime of /proc/<pid>/stat; tests start other mariadbd processes
on this machine, which must not count), both divided by the requests wrk counted; and the
share of the machine that other processes used meanwhile (bench/load's cpu.OtherWork).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlparse

from cpu import OtherWork, _stat, _table, tree_ticks_in
from wrk_run import Load, run_wrk

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
LOOPBACK = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class Side:
    """One server as wrk sees it: a label, its base URL, a bearer token, what to send, and the
    pid whose process tree is the server."""

    label: str
    base: str
    token: str
    load: Load
    root_pid: int


def tree_ticks(root: int) -> int:
    """utime + stime + cutime + cstime of `root` and every live descendant."""
    return tree_ticks_in(_table(), {root})


def database_ticks(pid: int | None) -> int | None:
    """utime + stime of the database server process, None without one (or if it is gone)."""
    fields = _stat(str(pid)) if pid else None
    return int(fields[11]) + int(fields[12]) if fields else None


def wait_idle(roots: list[int], limit: float = 10.0) -> None:
    """Until the servers use < 5 % of a CPU over 0.5 s (requests still queued from the last run
    would otherwise be booked to this one), at most `limit` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = sum(tree_ticks(r) for r in roots)
        time.sleep(0.5)
        if (sum(tree_ticks(r) for r in roots) - before) * TICK_MS < 25:
            return


def one_run(side: Side, seconds: int, connections: int, db_pid: int | None = None) -> dict:
    if urlparse(side.base).hostname not in LOOPBACK:
        raise ValueError(f"refusing a server that is not on loopback: {side.base}")
    other = OtherWork()
    server0, db0 = tree_ticks(side.root_pid), database_ticks(db_pid)
    other.start()
    result = run_wrk(side.base, side.load, side.token, connections, seconds)
    other_pct = other.stop()
    server, db1 = tree_ticks(side.root_pid) - server0, database_ticks(db_pid)
    n = max(result["requests"], 1)
    db = None if db0 is None or db1 is None else (db1 - db0) * TICK_MS / n
    return result | {
        "side": side.label,
        "server_cpu_ms_per_req": server * TICK_MS / n,
        "db_cpu_ms_per_req": db,
        "server_cpu_pct": server * TICK_MS / 10 / result["seconds"],
        "other_cpu_pct": other_pct,
    }


def alternate(
    route: str,
    a: Side,
    b: Side,
    seconds: int,
    rounds: int,
    warmup: int,
    connections: int = 16,
    db_pid: int | None = None,
    order: str = "abab",
) -> list[dict]:
    """A warm-up of each side (not kept), then `rounds` x (A, B); with order "abba" every
    second round runs B first, so that going first or second is no longer one side's lot."""
    roots = [a.root_pid, b.root_pid]
    for side in (a, b):
        if warmup:
            wait_idle(roots)
            run_wrk(side.base, side.load, side.token, connections, warmup)
    runs = []
    for number in range(1, rounds + 1):
        for side in (b, a) if order == "abba" and number % 2 == 0 else (a, b):
            wait_idle(roots)
            run = one_run(side, seconds, connections, db_pid) | {"route": route, "round": number}
            runs.append(run)
            print(f"  {route} r{number} {side.label}: {run['rps']:.0f} req/s, p50 "
                  f"{run['p50_ms']:.1f} ms, p99 {run['p99_ms']:.1f} ms, server "
                  f"{run['server_cpu_ms_per_req']:.2f} + db {run['db_cpu_ms_per_req'] or 0:.2f} ms "
                  f"CPU/req, other {run['other_cpu_pct']}%", file=sys.stderr)  # fmt: skip
    return runs


def summarise(runs: list[dict]) -> dict:
    """Medians of one side's runs (each run's p50/p99 is wrk's own)."""

    def med(key: str) -> float | None:
        values = [r[key] for r in runs if r[key] is not None]
        return statistics.median(values) if values else None

    others = [r["other_cpu_pct"] for r in runs if r["other_cpu_pct"] is not None]
    return {
        "runs": len(runs),
        "rps": med("rps"),
        "rps_min": min(r["rps"] for r in runs),
        "rps_max": max(r["rps"] for r in runs),
        "p50_ms": med("p50_ms"),
        "p99_ms": med("p99_ms"),
        "server_cpu_ms_per_req": med("server_cpu_ms_per_req"),
        "db_cpu_ms_per_req": med("db_cpu_ms_per_req"),
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "socket_errors": sum(r["socket_errors"] for r in runs),
        "other_cpu_max": max(others) if others else None,
    }


def compare(runs: list[dict], a: str, b: str) -> dict:
    """Each side's summary, and B over A for req/s, p50, p99 and both CPUs per request."""
    sa = summarise([r for r in runs if r["side"] == a])
    sb = summarise([r for r in runs if r["side"] == b])
    keys = ("rps", "p50_ms", "p99_ms", "server_cpu_ms_per_req", "db_cpu_ms_per_req")
    ratio = {k: (sb[k] / sa[k] if sa[k] and sb[k] is not None else None) for k in keys}
    return {"a": a, "b": b, a: sa, b: sb, "ratio_b_over_a": ratio}
