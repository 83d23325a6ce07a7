"""bench/sidebyside keeps working: it alternates A B A B and reports both sides and B / A.

No speed is asserted. The first test drives two real server processes (python's http.server
on 127.0.0.1) for about a second per run; the second runs the whole before → after phase on
MariaDB (HEAD against HEAD, 3 stored queries, 2 s per side) when a test server is configured.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MYSQL_URL, require_tool

BENCH = Path(__file__).resolve().parents[2] / "bench"
for _dir in (BENCH, BENCH / "load", BENCH / "sidebyside"):
    sys.path.append(str(_dir))  # after the project: no bench module shadows another

import alternate  # noqa: E402
from wrk_run import Load  # noqa: E402


def _serve(directory: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)]
    proc = subprocess.Popen(argv, cwd=directory, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("http.server did not start")


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[alternate.Side, alternate.Side]]:
    require_tool("wrk")
    (tmp_path / "me.json").write_text('{"usuario": "x"}')
    started = [_serve(tmp_path) for _ in range(2)]
    try:
        yield tuple(  # type: ignore[misc]
            alternate.Side(label, base, "t", Load("/me.json"), proc.pid)
            for label, (proc, base) in zip(("A", "B"), started, strict=True)
        )
    finally:
        for proc, _ in started:
            proc.terminate()
            proc.wait(timeout=10)


def test_runs_alternate_and_both_sides_are_measured(two_servers) -> None:
    a, b = two_servers

    runs = alternate.alternate("GET /me.json", a, b, seconds=1, rounds=2, warmup=0, connections=2)

    assert [r["side"] for r in runs] == ["A", "B", "A", "B"]
    assert [r["round"] for r in runs] == [1, 1, 2, 2]
    assert all(r["requests"] > 0 and r["non_2xx"] == 0 for r in runs)
    # each server's CPU is read from its own process tree; no database pid given, no DB CPU
    assert all(r["server_cpu_ms_per_req"] >= 0 for r in runs)
    assert sum(r["server_cpu_ms_per_req"] for r in runs) > 0
    assert all(r["db_cpu_ms_per_req"] is None for r in runs)
    result = alternate.compare(runs, "A", "B")
    assert result["A"]["runs"] == result["B"]["runs"] == 2
    expected = result["B"]["rps"] / result["A"]["rps"]
    assert result["ratio_b_over_a"]["rps"] == pytest.approx(expected)


def test_abba_order_runs_b_first_in_every_second_round(two_servers) -> None:
    a, b = two_servers

    runs = alternate.alternate("GET /me.json", a, b, 1, 2, 0, connections=2, order="abba")

    assert [(r["round"], r["side"]) for r in runs] == [(1, "A"), (1, "B"), (2, "B"), (2, "A")]


def test_a_server_off_loopback_is_refused() -> None:
    side = alternate.Side("far", "http://192.0.2.1:80", "t", Load("/"), os.getpid())

    with pytest.raises(ValueError, match="loopback"):
        alternate.one_run(side, 1, 1)


@pytest.mark.skipif(not MYSQL_URL, reason="CLIMAGURU_TEST_MYSQL_URL not set")
def test_before_after_phase_runs_end_to_end(tmp_path: Path) -> None:
    require_tool("wrk")
    argv = [sys.executable, str(BENCH / "sidebyside" / "compare.py"), "--only", "before-after",
            "--before", "HEAD", "--duration", "2", "--rounds", "1", "--warmup", "0",
            "--queries", "3", "--results", str(tmp_path)]  # fmt: skip

    done = subprocess.run(argv, capture_output=True, timeout=600)

    assert done.returncode == 0, done.stderr.decode()[-3000:]
    doc = json.loads(next(tmp_path.glob("sidebyside-*.json")).read_text())
    routes = [c["route"] for c in doc["comparisons"]]
    assert routes == ["POST tiempo-real cached (open_meteo)", "GET descargar csv (1 year hourly)"]
    for comparison in doc["comparisons"]:
        assert [r["side"] for r in comparison["runs"]] == ["before", "after"]
        assert all(r["requests"] > 0 and r["non_2xx"] == 0 for r in comparison["runs"])
    assert "| **after / before** |" in done.stdout.decode()


def test_a_server_that_dies_is_reported_with_its_log(tmp_path: Path) -> None:
    """A benchmark whose gunicorn went away says so (exit status, log), not only "refused"."""
    sys.path.append(str(BENCH / "export"))
    from server import Gunicorn
    from target import settings

    values = settings(f"sqlite:///{tmp_path / 'bench.db'}", "http://127.0.0.1:9",
                      "http://127.0.0.1:9")  # fmt: skip
    server = Gunicorn(tmp_path, values)
    server.migrate()
    with server:
        assert server.listening()
        assert "running, listening: True" in server.post_mortem()
        os.killpg(server.master_pid, signal.SIGKILL)
        server._group.proc.wait(timeout=10)  # type: ignore[union-attr]

        assert not server.listening()
        report = server.post_mortem()
        assert f"master {server.master_pid} exited with -9" in report
        assert "Booting worker" in report  # the end of gunicorn.log
