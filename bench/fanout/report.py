"""Per-row statistics, the target each row is held to, and the markdown tables."""

from __future__ import annotations

import os
import platform
import re
import sys
import time
from collections import Counter
from importlib import metadata

from client import DAILY_PATHS, Sample, median_or_none, percentiles
from provenance import snapshot

OVERHEAD_MS = 50  # the cold target: p50 <= L + 50 ms whatever N
CACHED_MS = 20
PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b|Traceback|WORKER TIMEOUT")
STAMP = re.compile(r"^(\d{4}-\d\d-\d\d[ T][\d:,.]+ |\[[^\]]+\] \[\d+\] )")
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


def _per_provider(samples: list[Sample], name: str) -> dict:
    """Medians of one provider over a row: its call as the fan-out timed it (the answer's
    latencia_ms), its upstream requests added up, and how many requests it made per call."""
    calls = [s.calls.get(name, []) for s in samples]
    return {
        "call_ms": median_or_none([s.provider_ms.get(name) for s in samples]),
        "upstream_ms": median_or_none([s.upstream_ms.get(name) for s in samples]),
        "network_requests": median_or_none([sum(not c.cached for c in cs) for cs in calls]),
        "cached_requests": median_or_none([sum(c.cached for c in cs) for cs in calls]),
        "paths": sorted({c.path.split("?")[0] for cs in calls for c in cs}),
    }


def _unexpected_cache_use(mode: str, samples: list[Sample]) -> tuple[int, int]:
    """(requests, of which unexpected): a cold row expects every request missed except the
    day-long lists (DAILY_PATHS); a cached row expects every request hit."""
    total = bad = 0
    for sample in samples:
        for calls in sample.calls.values():
            for call in calls:
                total += 1
                if mode == "cached":
                    bad += not call.cached
                else:
                    bad += call.cached and call.path not in DAILY_PATHS
    return total, bad


def summarise(setup, mode: str, samples: list[Sample], pids: set[str], log_text: str, args):
    client = [s.client_ms for s in samples]
    p50, p95 = percentiles(client)
    text, limit = target(mode, setup, args)
    slowest = [max(s.provider_ms.values()) if s.provider_ms else None for s in samples]
    outcomes = {
        name: dict(Counter(s.providers.get(name, "sin_respuesta_http") for s in samples))
        for name in setup.providers
    }
    problems = sorted(
        {STAMP.sub("", line)[:200] for line in log_text.splitlines() if PROBLEM.search(line)}
    )
    requests_seen, unexpected = _unexpected_cache_use(mode, samples)
    return {
        "n": len(setup.providers),
        "mode": mode,
        "label": setup.label,
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
        "median_slowest_provider_ms": median_or_none(slowest),
        "per_provider": {name: _per_provider(samples, name) for name in setup.providers},
        "median_client_minus_slowest_provider_ms": median_or_none(
            [
                s.client_ms - u if u is not None else None
                for s, u in zip(samples, slowest, strict=True)
            ]
        ),
        "provider_outcomes": outcomes,
        "upstream_requests": requests_seen,
        "upstream_requests_unexpected_cache_use": unexpected,
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


def _case(row) -> str:
    if row["mode"] != "silent":
        return row["mode"]
    what = "datasets" if row["silent"] == "ideam" else ""
    return f"cold, {row['silent']} {what} silent".replace("  ", " ")


def _n(row) -> str:
    return f"{row['n']} ({row['label']})" if row["label"] else str(row["n"])


def _request_counts(info: dict) -> str:
    net, hit = info["network_requests"] or 0, info["cached_requests"] or 0
    parts = ([f"{net:g}"] if net else []) + ([f"{hit:g}c"] if hit else [])
    return "+".join(parts) or "0"


def markdown(rows: list[dict], args) -> str:
    lat = f"{args.latency_ms:.0f}"
    out = [
        f"L = {lat} ms per upstream request, {args.requests} sequential requests per row after "
        f"{args.warmups} warm-ups; times in ms, measured by the client.",
        "",
        "| Case | N | p50 | p95 | Target | Met | Providers in each answer |",
        "|---|---|---|---|---|---|---|",
    ]
    for mode in ("cold", "cached", "silent"):
        for row in (r for r in rows if r["mode"] == mode):
            met = "yes" if row["met"] else f"**no** (+{row['miss_ms']:.1f})"
            out.append(
                f"| {_case(row)} | {_n(row)} | {_fmt(row['p50_ms'])} | {_fmt(row['p95_ms'])} "
                f"| {row['target']} | {met} | {_answering(row)} |"
            )
    out += [
        "",
        "Where the time goes (medians, ms): gunicorn = the access log's request time; fan-out ="
        " `tiempo_respuesta_ms`, the app's own timer from the stored query to the result"
        " (credential look-ups, provider calls, consensus); slowest provider = the slowest"
        " adapter call as the fan-out timed it (`latencia_ms` in the answer: its requests,"
        " JSON decoding and parsing).",
        "",
        "| Case | N | client | gunicorn | fan-out | slowest provider | client − slowest provider "
        "| other work on the host |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [_case(row), _n(row), _fmt(row["p50_ms"])]
        cells += [_fmt(row[k]) for k in ("median_gunicorn_ms", "median_app_fanout_ms")]
        cells += [
            _fmt(row[k])
            for k in ("median_slowest_provider_ms", "median_client_minus_slowest_provider_ms")
        ]
        others = row.get("others_cpu_pct")
        cells.append("—" if others is None else f"{others:.0f}% CPU")
        out.append("| " + " | ".join(cells) + " |")
    widest = max((row["providers"] for row in rows), key=len, default=[])
    names = list(dict.fromkeys([*widest, *(n for row in rows for n in row["providers"])]))
    out += [
        "",
        "Per provider (medians): the adapter call in ms, and [upstream requests per call: over"
        " the network + `c` from the cache]. Silent rows: requests still running after the"
        " answer are logged into the next request's span, so their counts are approximate.",
        "",
        "| Case | N | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for row in rows:
        cells = [_case(row), _n(row)]
        for name in names:
            info = row["per_provider"].get(name)
            cells.append(
                "—" if info is None else f"{_fmt(info['call_ms'])} [{_request_counts(info)}]"
            )
        out.append("| " + " | ".join(cells) + " |")
    out += _notes(rows)
    problems = sorted({p for row in rows for p in row["log_problems"]})
    if problems:
        out += ["", "Warnings and errors in the app log:", *[f"- `{p}`" for p in problems]]
    return "\n".join(out)


def _notes(rows: list[dict]) -> list[str]:
    notes = []
    for row in rows:
        seen, bad = row["upstream_requests"], row["upstream_requests_unexpected_cache_use"]
        if bad and row["mode"] == "cached":
            notes.append(f"- cached N={_n(row)}: {bad}/{seen} upstream requests missed the cache")
        elif bad:
            notes.append(f"- {_case(row)} N={_n(row)}: {bad}/{seen} upstream requests from cache")
    noisy = [r for r in rows if (r.get("others_cpu_pct") or 0) > NOISY_PCT]
    if noisy:
        names = ", ".join(f"{_case(r)} N={_n(r)} ({r['others_cpu_pct']:.0f}%)" for r in noisy)
        notes.append(f"- other work used > {NOISY_PCT}% of the CPUs during: {names}; rerun")
    for silent in (r for r in rows if r["mode"] == "silent"):
        same = next(
            (r for r in rows if r["mode"] == "cold" and r["providers"] == silent["providers"]),
            None,
        )
        if same:
            extra = silent["p50_ms"] - same["p50_ms"]
            notes.append(
                f"- {_case(silent)}: p50 {silent['p50_ms']:.0f} ms against "
                f"{same['p50_ms']:.0f} ms with all {same['n']} answering ({extra:+.0f} ms), "
                f"PROVIDER_TIMEOUT = {silent['provider_timeout_s'] * 1000:.0f} ms, "
                f"QUERY_DEADLINE = {silent['query_deadline_s'] * 1000:.0f} ms"
            )
    return ["", "Checks:", *notes] if notes else []


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
        **snapshot(),
        "latency_ms": args.latency_ms,
        "requests": args.requests,
        "warmups": args.warmups,
        "gunicorn_workers": args.workers,
        "gunicorn_threads": 4,
        "provider_cache": "sqlite",
    }
