"""Per-row statistics, the target each row is held to, and the markdown tables."""

from __future__ import annotations

import hashlib
import os
import platform
import re
import subprocess
import sys
import time
from collections import Counter
from importlib import metadata
from pathlib import Path

from client import Sample, median_or_none, percentiles

ROOT = Path(__file__).resolve().parents[2]
OVERHEAD_MS = 50  # the cold target: p50 <= L + 50 ms whatever N
CACHED_MS = 20
PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b|Traceback|WORKER TIMEOUT")
STAMP = re.compile(r"^(\d{4}-\d\d-\d\d[ T][\d:,.]+ |\[[^\]]+\] \[\d+\] )")
PENDING = "pending: IDEAM and SIATA adapters not written yet"
NOISY_PCT = 25  # other processes using more than this share of all CPUs: flag the row


def target(mode: str, setup, args) -> tuple[str, float]:
    if mode == "cold":
        return f"p50 ≤ L + {OVERHEAD_MS} = {args.latency_ms + OVERHEAD_MS:.0f}", (
            args.latency_ms + OVERHEAD_MS
        )
    if mode == "cached":
        return f"p50 ≤ {CACHED_MS}", CACHED_MS
    limit = setup.timeout * 1000 + OVERHEAD_MS
    return f"p50 ≤ timeout + {OVERHEAD_MS} = {limit:.0f}", limit


def summarise(setup, mode: str, samples: list[Sample], pids: set[str], log_text: str, args):
    client = [s.client_ms for s in samples]
    p50, p95 = percentiles(client)
    text, limit = target(mode, setup, args)
    slowest = [max(s.upstream_ms.values()) if s.upstream_ms else None for s in samples]
    outcomes = {
        name: dict(Counter(s.providers.get(name, "sin_respuesta_http") for s in samples))
        for name in setup.providers
    }
    problems = sorted(
        {STAMP.sub("", line)[:200] for line in log_text.splitlines() if PROBLEM.search(line)}
    )
    return {
        "n": len(setup.providers),
        "mode": mode,
        "providers": list(setup.providers),
        "silent": setup.silent,
        "provider_timeout_s": setup.timeout,
        "query_deadline_s": setup.deadline,
        "requests": len(samples),
        "http_status": dict(Counter(str(s.status) for s in samples)),
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "min_ms": round(min(client), 1),
        "max_ms": round(max(client), 1),
        "target": text,
        "met": p50 <= limit,
        "miss_ms": round(max(0.0, p50 - limit), 1),
        "median_gunicorn_ms": median_or_none([s.gunicorn_ms for s in samples]),
        "median_app_fanout_ms": median_or_none([s.app_ms for s in samples]),
        "median_slowest_upstream_ms": median_or_none(slowest),
        "median_upstream_ms": {
            name: median_or_none([s.upstream_ms.get(name) for s in samples])
            for name in setup.providers
        },
        "median_client_minus_slowest_upstream_ms": median_or_none(
            [
                s.client_ms - u if u is not None else None
                for s, u in zip(samples, slowest, strict=True)
            ]
        ),
        "provider_outcomes": outcomes,
        "upstream_calls": sum(len(s.from_cache) for s in samples),
        "upstream_calls_from_cache": sum(sum(s.from_cache.values()) for s in samples),
        "workers_answering": len(pids),
        "log_problems": problems[:20],
        "client_ms": [round(c, 1) for c in client],
    }


def _fmt(value: float | None) -> str:
    """Whole ms, but one decimal below 100 ms where a target is 20 ms."""
    if value is None:
        return "—"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _answering(row) -> str:
    ok = [n for n, seen in row["provider_outcomes"].items() if seen.get("ok") == row["requests"]]
    other = [f"{n}: {seen}" for n, seen in row["provider_outcomes"].items() if n not in ok]
    return f"{len(ok)}/{row['n']} ok" + (f" ({'; '.join(other)})" if other else "")


def markdown(rows: list[dict], args) -> str:
    lat = f"{args.latency_ms:.0f}"
    out = [
        f"L = {lat} ms, {args.requests} sequential requests per row after {args.warmups} "
        "warm-ups; times in ms, measured by the client.",
        "",
        "| Case | N | p50 | p95 | Target | Met | Providers in each answer |",
        "|---|---|---|---|---|---|---|",
    ]
    for mode in ("cold", "cached", "silent"):
        for row in (r for r in rows if r["mode"] == mode):
            met = "yes" if row["met"] else f"**no** (+{row['miss_ms']:.1f})"
            case = mode if mode != "silent" else f"cold, {row['silent']} silent"
            out.append(
                f"| {case} | {row['n']} | {_fmt(row['p50_ms'])} | {_fmt(row['p95_ms'])} "
                f"| {row['target']} | {met} | {_answering(row)} |"
            )
        if mode != "silent":
            out.append(f"| {mode} | 6 | — | — | — | — | {PENDING} |")
    out += [
        "",
        "Where the time goes (medians, ms): gunicorn = the access log's request time; fan-out ="
        " `tiempo_respuesta_ms`, the app's own timer from the stored query to the result"
        " (credential look-ups, provider calls, consensus); slowest upstream = the slowest"
        " provider call the app logged (cache lookup, network and body read; JSON decoding and"
        " parsing come after it).",
        "",
        "| Case | N | client | gunicorn | fan-out | slowest upstream | client − slowest upstream "
        "| other work on the host |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [row["mode"], str(row["n"]), _fmt(row["p50_ms"])]
        cells += [_fmt(row[k]) for k in ("median_gunicorn_ms", "median_app_fanout_ms")]
        cells += [
            _fmt(row[k])
            for k in ("median_slowest_upstream_ms", "median_client_minus_slowest_upstream_ms")
        ]
        others = row.get("others_cpu_pct")
        cells.append("—" if others is None else f"{others:.0f}% CPU")
        out.append("| " + " | ".join(cells) + " |")
    out += _notes(rows)
    problems = sorted({p for row in rows for p in row["log_problems"]})
    if problems:
        out += ["", "Warnings and errors in the app log:", *[f"- `{p}`" for p in problems]]
    return "\n".join(out)


def _notes(rows: list[dict]) -> list[str]:
    notes = []
    for row in rows:
        calls, hits = row["upstream_calls"], row["upstream_calls_from_cache"]
        if (row["mode"] == "cached" and hits < calls) or (row["mode"] != "cached" and hits):
            notes.append(f"- {row['mode']} N={row['n']}: {hits}/{calls} upstream calls from cache")
    noisy = [r for r in rows if (r.get("others_cpu_pct") or 0) > NOISY_PCT]
    if noisy:
        names = ", ".join(f"{r['mode']} N={r['n']} ({r['others_cpu_pct']:.0f}%)" for r in noisy)
        notes.append(f"- other work used > {NOISY_PCT}% of the CPUs during: {names}; rerun")
    silent = next((r for r in rows if r["mode"] == "silent"), None)
    same = silent and next(
        (r for r in rows if r["mode"] == "cold" and r["providers"] == silent["providers"]), None
    )
    if silent and same:
        extra = silent["p50_ms"] - same["p50_ms"]
        notes.append(
            f"- silent {silent['silent']}: p50 {silent['p50_ms']:.0f} ms against "
            f"{same['p50_ms']:.0f} ms with all {same['n']} answering: it costs {extra:+.0f} ms "
            f"with PROVIDER_TIMEOUT = {silent['provider_timeout_s'] * 1000:.0f} ms"
        )
    return ["", "Checks:", *notes] if notes else []


def _git_head() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode().strip() or None


def source_digest() -> str:
    """sha256 of the app's .py files as they are on disk: the tree changes under concurrent edits,
    so HEAD alone does not say which code was measured."""
    digest = hashlib.sha256()
    for package in ("climaguru", "adapters", "domain", "ports"):
        for path in sorted((ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def environment(args) -> dict:
    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cpus": len(os.sched_getaffinity(0)),
        "loadavg_at_start": os.getloadavg(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "packages": {p: version(p) for p in ("gunicorn", "falcon", "requests", "requests-cache")},
        "git_head": _git_head(),
        "source_digest": source_digest(),
        "latency_ms": args.latency_ms,
        "requests": args.requests,
        "warmups": args.warmups,
        "gunicorn_workers": args.workers,
        "gunicorn_threads": 4,
        "provider_cache": "sqlite",
    }
