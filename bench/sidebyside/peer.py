"""The peer (../shared/peers/flask-seed, the original guide's Flask app) under its run_peer.sh.

The shared copy may be read-only, and run_peer.sh writes `.venv/`, `instance/` and pid files
beside itself, so the peer runs from a writable copy in var/bench-peer/ (kept: its venv,
installed once from requirements.txt, is reused by later runs; the sources are re-copied each
time). run_peer.sh seeds its own database (the `bench` user and N_CONSULTAS queries) and then
execs gunicorn, so the process group's leader is the gunicorn master.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from procgroup import Group

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(os.environ.get("CLIMAGURU_BENCH_PEER", ROOT.parent / "shared/peers/flask-seed"))
HOME = ROOT / "var" / "bench-peer" / "flask-seed"
SKIP = {".venv", "instance", "__pycache__"}
USER = {"username": "bench", "password": "benchpass123"}  # run_peer.sh's seeded account
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def copy_sources(source: Path = SOURCE, home: Path = HOME) -> Path:
    """Copy the peer's files into `home`, writable (copytree would keep the read-only modes)."""
    if not (source / "run_peer.sh").is_file():
        raise SystemExit(f"no peer at {source} (set CLIMAGURU_BENCH_PEER)")
    for dirpath, dirnames, filenames in os.walk(source):
        dirnames[:] = [d for d in dirnames if d not in SKIP]
        target = home / Path(dirpath).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            if not name.endswith((".pid", ".log", ".db")):
                shutil.copyfile(Path(dirpath) / name, target / name)
    return home


def ensure_venv(home: Path = HOME) -> Path:
    """What run_peer.sh would do on its first start (python3 -m venv, pip install -r), but here,
    bounded, and before any server is measured."""
    if not (home / ".venv" / "bin" / "gunicorn").exists():
        print("  peer: installing its requirements into " + str(home / ".venv"), file=sys.stderr)
        subprocess.run(["python3", "-m", "venv", ".venv"], cwd=home, check=True, timeout=120)
        pip = [".venv/bin/pip", "install", "-q", "-r", "requirements.txt"]
        subprocess.run(pip, cwd=home, check=True, timeout=900)
    return home


class Peer:
    """`bash run_peer.sh PORT` with DATABASE_URL, WORKERS and N_CONSULTAS; a `with` block."""

    def __init__(self, port: int, database_url: str, workers: int, queries: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.port = port
        self.env = {k: os.environ[k] for k in INHERITED if k in os.environ}
        self.env |= {"DATABASE_URL": database_url, "WORKERS": str(workers),
                     "N_CONSULTAS": str(queries),
                     # gunicorn >= 25.1 would open ~/.gunicorn/gunicorn.ctl, shared by every
                     # gunicorn of this user (ClimaGuru's conf keeps its own in the scratch dir)
                     "GUNICORN_CMD_ARGS": "--no-control-socket"}  # fmt: skip
        self.workers = workers
        self._group: Group | None = None
        self.token = ""

    @property
    def master_pid(self) -> int:
        assert self._group is not None
        return self._group.pid

    def start(self, timeout: float = 600.0) -> Peer:
        if self._group is not None:
            raise RuntimeError("this peer is already running")
        bash = shutil.which("bash") or "/bin/bash"
        with (HOME / f"peer-{self.port}.log").open("ab") as log:
            self._group = Group([bash, "run_peer.sh", str(self.port)], cwd=HOME, env=self.env,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=log)  # fmt: skip
        deadline = time.monotonic() + timeout  # seeding 200 queries comes first
        while time.monotonic() < deadline and self._group.alive():
            try:
                resp = requests.post(self.base + "/api/auth/login", json=USER, timeout=5)
                if resp.status_code == 200 and self._group.alive():
                    self.token = resp.json()["access_token"]
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the peer did not start; see {HOME / f'peer-{self.port}.log'}")

    def stop(self) -> None:
        group, self._group = self._group, None
        if group is not None:
            group.stop(grace=10.0)

    def __enter__(self) -> Peer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
