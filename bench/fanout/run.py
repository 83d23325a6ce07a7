"""Fan-out benchmark: POST /api/consultas/tiempo-real through gunicorn against fake upstreams.

Run:  python bench/fanout/run.py [--latency-ms 200] [--requests 40]
Prints markdown tables and writes bench/results/fanout-<date>.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: noise, procgroup
from app_server import AppServer
from client import Client, Sample, attach_logs, coordinates
from fake_providers import radius_for
from noise import CpuWatch
from procgroup import Group, exit_on_signals
from provenance import snapshot
from report import environment, markdown, summarise

from climaguru.provider_settings import DEFAULT_ORIGINS

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent / "results"
ALL = ("open_meteo", "openweathermap", "meteoblue", "meteosource", "ideam", "siata")
ORIGINS = tuple(DEFAULT_ORIGINS)  # every provider origin setting the app reads
SILENT_ORIGIN = {
    "open_meteo": "OPENMETEO_FORECAST_URL",
    "openweathermap": "OPENWEATHER_BASE_URL",
    "meteoblue": "METEOBLUE_BASE_URL",
    "meteosource": "METEOSOURCE_BASE_URL",
    "ideam": "IDEAM_BASE_URL",  # the silent port still answers IDEAM's catalogue
    "siata": "SIATA_BASE_URL",
}


@dataclass(frozen=True)
class Setup:
    """One gunicorn start: which providers are enabled, which one is silent, and its modes."""

    providers: tuple[str, ...]
    modes: tuple[str, ...] = ("cold", "cached")
    silent: str | None = None
    timeout: float | None = None  # PROVIDER_TIMEOUT; None: the default (8 s)
    deadline: float | None = None  # QUERY_DEADLINE; None: the default (20 s)
    label: str = ""  # shown next to N when N alone does not say which providers

    @property
    def slug(self) -> str:
        parts = (*self.modes, f"n{len(self.providers)}", self.silent, self.label)
        return "-".join(p.replace(" ", "-") for p in parts if p)


def setups(silent_timeout: float, silent_timeout_n6: float) -> tuple[Setup, ...]:
    """N = 1, 3, 4, 6 cold and cached; 5 = all but IDEAM (whose requests run in sequence);
    one provider silent: meteosource at N = 4 (as in earlier runs) and N = 6, where its timeout
    must exceed IDEAM's ~6 x L so that the silent one is the provider waited for; and IDEAM's
    datasets silent at N = 6 (its catalogue answered: loaded, as it is for a day)."""
    no_ideam = tuple(p for p in ALL if p != "ideam")

    def silent(providers, name, timeout):
        return Setup(providers, ("silent",), name, timeout, max(1.0, 2 * timeout))

    return (
        Setup(ALL[:1]),
        Setup(ALL[:3]),
        Setup(ALL[:4]),
        Setup(no_ideam, label="no ideam"),
        Setup(ALL),
        silent(ALL[:4], "meteosource", silent_timeout),
        silent(ALL, "meteosource", silent_timeout_n6),
        silent(ALL, "ideam", silent_timeout),
    )


def settings_for(setup: Setup, port: int, silent_port: int) -> dict[str, str]:
    values = {name: f"http://127.0.0.1:{port}" for name in ORIGINS}
    if setup.silent:
        values[SILENT_ORIGIN[setup.silent]] = f"http://127.0.0.1:{silent_port}"
    for key in ("OPENWEATHER_API_KEY", "METEOBLUE_API_KEY", "METEOSOURCE_API_KEY"):
        values[key] = "bench-fake-key"  # any non-empty key: the fake upstream ignores it
    values["PROVIDERS_ENABLED"] = ",".join(setup.providers)
    if setup.timeout is not None:
        values["PROVIDER_TIMEOUT"] = str(setup.timeout)
    if setup.deadline is not None:
        values["QUERY_DEADLINE"] = str(setup.deadline)
    return values


def run_mode(client: Client, mode: str, points: Iterator, requests: int, warmups: int):
    """Warm-ups (discarded) then `requests` sequential samples; cached repeats one point."""
    fixed = next(points) if mode == "cached" else None
    if fixed:
        client.query(*fixed)  # fills the provider cache
    samples: list[Sample] = []
    for i in range(warmups + requests):
        sample = client.query(*(fixed or next(points)))
        if i >= warmups:
            samples.append(sample)
    return samples


def points_needed(args) -> int:
    """Distinct points one setup asks for: boot, cold warm-ups and samples, the cached one."""
    return 2 * args.workers + args.warmups + args.requests + 1


def run_setup(setup: Setup, args, fake: Group, ports, scratch: Path) -> list:
    server = AppServer(scratch / setup.slug, settings_for(setup, *ports), workers=args.workers)
    server.start()
    points = coordinates(radius_for(points_needed(args)))  # fresh cache per setup: same points
    watch = CpuWatch(lambda: [os.getpid(), fake.pid, *server.pids()])
    rows = []
    try:
        client = Client(server.base, server.register(), server.error_log)
        boot = [client.query(*next(points)) for _ in range(2 * args.workers)]  # every worker
        attach_logs(boot, server.access_log, server.error_log)
        for mode in setup.modes:
            log_from = server.error_log.stat().st_size
            watch.start()
            samples = run_mode(client, mode, points, args.requests, args.warmups)
            others = watch.stop()
            time.sleep(0.3)  # let the last access-log lines reach the file
            pids = attach_logs(samples, server.access_log, server.error_log)
            log_text = server.error_log.read_bytes()[log_from:].decode(errors="replace")
            rows.append(summarise(setup, mode, samples, pids, log_text, args))
            rows[-1]["others_cpu_pct"] = others
    finally:
        server.stop()
    return rows


def start_fake(latency_ms: float, radius: int) -> tuple[Group, tuple[int, int]]:
    script = str(HERE / "fake_providers.py")
    fake = Group(
        [sys.executable, script, "--latency-ms", str(latency_ms), "--grid-radius", str(radius)],
        stdin=subprocess.PIPE,  # it stops when this pipe closes, even if we die
        stdout=subprocess.PIPE,
    )
    stdout = fake.proc.stdout
    assert stdout is not None
    ready, _, _ = select.select([stdout], [], [], 15)
    line = stdout.readline() if ready else b""
    if not line:
        fake.stop(grace=1)
        raise RuntimeError("fake_providers.py did not start")
    ports = json.loads(line)
    return fake, (ports["port"], ports["silent_port"])


def stop_fake(fake: Group) -> None:
    if fake.proc.stdin:
        fake.proc.stdin.close()  # its own signal to stop
    fake.stop(grace=5)  # SIGTERM (handled: it shuts down), SIGKILL if it lingers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=200.0, help="upstream latency L")
    parser.add_argument("--requests", type=int, default=40, help="measured requests per row")
    parser.add_argument("--warmups", type=int, default=3, help="discarded requests per row")
    parser.add_argument("--workers", type=int, default=2, help="GUNICORN_WORKERS")
    parser.add_argument(
        "--silent-timeout", type=float, default=1.0, help="PROVIDER_TIMEOUT (s), silent rows"
    )
    parser.add_argument(
        "--silent-timeout-n6",
        type=float,
        default=2.0,
        help="PROVIDER_TIMEOUT (s) of the N=6 meteosource-silent row; above IDEAM's ~6 x L",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch dir and its logs")
    args = parser.parse_args()
    exit_on_signals()  # SIGTERM/SIGHUP: stop gunicorn and the fake, remove the scratch dir
    scratch = Path(tempfile.mkdtemp(prefix="climaguru-fanout-"))
    started, env = time.monotonic(), environment(args)
    rows: list = []
    fake, ports = start_fake(args.latency_ms, radius_for(points_needed(args)))
    try:
        for setup in setups(args.silent_timeout, args.silent_timeout_n6):
            rows += run_setup(setup, args, fake, ports, scratch)
    finally:
        stop_fake(fake)
        if args.keep:
            print(f"scratch dir kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    doc = {"environment": env, "rows": rows}
    doc["environment"]["wall_s"] = round(time.monotonic() - started, 1)
    doc["environment"]["at_end"] = snapshot()
    if doc["environment"]["at_end"]["source_digest"] != env["source_digest"]:
        print("WARNING: the app's sources changed during the run; rerun", file=sys.stderr)
    print(markdown(rows, args))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"fanout-{time.strftime('%Y-%m-%d-%H%M%S')}.json"
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten: {out.relative_to(HERE.parents[1])}", file=sys.stderr)


if __name__ == "__main__":
    main()
