"""ClimaGuru under gunicorn (deploy/gunicorn.conf.py) in a scratch dir, and its worker's memory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from procgroup import Group

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "gunicorn.conf.py"
APP = "climaguru.wsgi:build_app()"
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listening_inodes(port: int) -> set[str]:
    """`socket:[inode]` of the TCP sockets listening on `port` (state 0A in /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                found.add(f"socket:[{fields[9]}]")
    return found


def proc_kib(pid: int, field: str) -> int:
    """A VmRSS / VmHWM style line of /proc/<pid>/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


class Gunicorn:
    """One gunicorn master with ONE gthread worker, so the worker measured is the one serving.

    Use it as `with Gunicorn(...) as server:` (that starts it) or call start()/stop(); starting
    a running instance is refused. The master leads its own process group (procgroup.Group):
    stop() ends the whole group and checks nothing is left, and any group still running when
    the benchmark exits (error, Ctrl-C, SIGTERM) is stopped by procgroup's atexit hook.
    """

    def __init__(
        self,
        workdir: Path,
        settings: dict[str, str],
        conf: Path = CONF,
        args: tuple[str, ...] = (),
    ) -> None:
        self.workdir = workdir
        self.conf = conf  # another tree's deploy/gunicorn.conf.py (bench/sidebyside's "before")
        self.args = args  # command-line settings, which override the conf file's
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
        self._group: Group | None = None

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
        # A second start() used to overwrite the first master's handle (`with server.start():`
        # started two: __enter__ starts again), so stop() never reached the first one, which
        # outlived the run. Refuse it instead.
        if self._group is not None:
            raise RuntimeError("this gunicorn is already running")
        with (self.workdir / "gunicorn.log").open("ab") as log:
            self._group = Group(
                [sys.executable, "-m", "gunicorn", "-c", str(self.conf), *self.args, APP],
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self._group.alive():
            try:
                health = requests.get(self.base + "/api/health", timeout=1)
                if health.status_code == 200 and self.listening():  # ours, not another's
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        report = self.post_mortem()
        self.stop()
        raise RuntimeError(f"gunicorn did not start on {self.base}: {report}")

    def listening(self) -> bool:
        """Whether a process of this gunicorn's group holds the socket listening on self.port
        (a 200 from another server that took the port meanwhile does not count)."""
        if self._group is None or not self._group.alive():
            return False
        inodes = _listening_inodes(self.port)
        if not inodes:
            return not Path("/proc/net/tcp").exists()  # not Linux: the 200 has to do
        for pid in self._group.members():
            try:
                fds = list(Path(f"/proc/{pid}/fd").iterdir())
            except OSError:
                continue
            for fd in fds:
                try:
                    if os.readlink(fd) in inodes:
                        return True
                except OSError:
                    continue
        return False

    def post_mortem(self, lines: int = 25) -> str:
        """For an error message: is the master running, and the end of its log."""
        if self._group is None:
            state = "stopped"
        elif (code := self._group.proc.poll()) is None:
            state = f"master {self._group.pid} running, listening: {self.listening()}"
        else:
            state = f"master {self._group.pid} exited with {code}"
        log = self.workdir / "gunicorn.log"
        try:
            tail = log.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            tail = ["(no log)"]
        return f"{state}; the end of {log}:\n" + "\n".join(tail)

    @property
    def master_pid(self) -> int:
        assert self._group is not None
        return self._group.pid

    @property
    def worker_pid(self) -> int:
        assert self._group is not None
        pid = self._group.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text()
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

    def stop(self, grace: float = 30.0) -> None:
        """The master and its worker: SIGTERM, `grace` s to leave, then SIGKILL to the group."""
        group, self._group = self._group, None
        if group is None:
            return
        killed = group.stop(grace=grace)
        if killed:
            print(f"  gunicorn {group.pid}: killed {killed} after {grace:g} s", file=sys.stderr)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, exc_type: object, *exc: object) -> None:
        # On an error or Ctrl-C, do not wait for an in-flight request (a 10-year seed takes a
        # minute and gunicorn's graceful timeout is GUNICORN_TIMEOUT): 3 s, then SIGKILL.
        self.stop(grace=3.0 if exc_type else 30.0)
