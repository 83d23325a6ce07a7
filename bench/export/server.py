"""ClimaGuru under gunicorn (deploy/gunicorn.conf.py) in a scratch dir, and its worker's memory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "gunicorn.conf.py"
APP = "climaguru.wsgi:build_app()"
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_kib(pid: int, field: str) -> int:
    """A VmRSS / VmHWM style line of /proc/<pid>/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


class Gunicorn:
    """One gunicorn master with ONE gthread worker, so the worker measured is the one serving."""

    def __init__(self, workdir: Path, settings: dict[str, str]) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {k: os.environ[k] for k in INHERITED if k in os.environ}
        self.env |= {
            "CLIMAGURU_ENV": "testing",  # every provider origin not set here is 127.0.0.1:9
            "CLIMAGURU_DATA_DIR": str(workdir),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "1",
            "RUNTIME_DIRECTORY": str(workdir),  # gunicorn's control socket stays in here
            "LOG_LEVEL": "WARNING",
            **settings,
        }
        self._proc: subprocess.Popen[bytes] | None = None

    def migrate(self) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "climaguru", "db", "upgrade"],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError("db upgrade failed:\n" + done.stderr.decode()[-3000:])

    def start(self) -> Gunicorn:
        log = (self.workdir / "gunicorn.log").open("ab")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(CONF), APP],
            cwd=self.workdir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/api/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start; see " + str(self.workdir / "gunicorn.log"))

    @property
    def worker_pid(self) -> int:
        assert self._proc is not None
        children = Path(f"/proc/{self._proc.pid}/task/{self._proc.pid}/children").read_text()
        pids = [int(p) for p in children.split()]
        if len(pids) != 1:
            raise RuntimeError(f"expected one worker, found {pids}")
        return pids[0]

    def reset_peak(self) -> bool:
        """Reset the worker's VmHWM to its current RSS (Linux clear_refs 5); False if refused."""
        try:
            Path(f"/proc/{self.worker_pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    def stop(self) -> None:
        if self._proc is None:
            return
        os.killpg(self._proc.pid, signal.SIGTERM)
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
        self._proc = None

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
