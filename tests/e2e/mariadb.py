"""A private MariaDB server for fault tests: own datadir, port and socket; stop and start at will.

Never touches the shared server on 3306. Root has no password and listens on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pymysql

from climaguru.migrations import upgrade
from tests.conftest import require_tool


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MariaDB:
    """mariadbd --no-defaults on `root`/data; `start()` and `stop()` can alternate."""

    def __init__(self, root: Path) -> None:
        self._mariadbd = require_tool("mariadbd")
        self._install = require_tool("mariadb-install-db")
        self.root = root
        self.datadir = root / "data"
        self.port = _free_port()  # kept across restarts: clients reconnect to the same address
        self.socket = Path(f"/tmp/climaguru-e2e-mariadb-{self.port}.sock")  # noqa: S108 (< 108 chars)
        self.log = root / "mariadb.err"
        self.proc: subprocess.Popen[bytes] | None = None
        self.server_url = f"mysql+pymysql://root:@127.0.0.1:{self.port}"

    def start(self, wait_s: float = 30.0) -> MariaDB:
        if not self.datadir.exists():
            self._initialise()
        argv = [
            self._mariadbd,
            "--no-defaults",
            f"--datadir={self.datadir}",
            f"--port={self.port}",
            f"--socket={self.socket}",
            "--bind-address=127.0.0.1",
            f"--pid-file={self.root / 'mariadb.pid'}",
            f"--log-error={self.log}",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=32M",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
        ]
        if os.geteuid() == 0:
            argv.append("--user=root")
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                pymysql.connect(host="127.0.0.1", port=self.port, user="root", connect_timeout=1)
                return self
            except pymysql.err.OperationalError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"mariadbd did not start:\n{self.log.read_text()[-2000:]}")

    def stop(self, wait_s: float = 30.0) -> None:
        """SIGTERM (a clean shutdown) and wait; SIGKILL only if it does not finish in time."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGCONT)  # a paused server would never see the SIGTERM
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def pause(self) -> None:
        """SIGSTOP: the kernel still accepts connections, the server answers nothing."""
        assert self.proc is not None and self.proc.poll() is None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT after pause(); harmless when not paused."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)

    def create_database(self, name: str = "climaguru") -> str:
        """A utf8mb4 database migrated to head; returns its SQLAlchemy URL."""
        conn = pymysql.connect(host="127.0.0.1", port=self.port, user="root", connect_timeout=3)
        with conn.cursor() as cur:
            cur.execute(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
        conn.close()
        url = f"{self.server_url}/{name}?charset=utf8mb4"
        upgrade(url)
        return url

    def _initialise(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        argv = [self._install, "--no-defaults", f"--datadir={self.datadir}"]
        argv += ["--auth-root-authentication-method=normal", "--skip-test-db"]
        if os.geteuid() == 0:
            argv.append("--user=root")
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"mariadb-install-db failed:\n{done.stdout}\n{done.stderr}")

    def __enter__(self) -> MariaDB:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class SilentListener:
    """Accepts TCP connections on 127.0.0.1 and never answers: a database that stalls."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(128)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._held: list[socket.socket] = []  # kept open, so clients see silence, not EOF
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def accepted(self) -> int:
        return len(self._held)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _addr = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._held.append(conn)

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=2)
        self._sock.close()
        for conn in self._held:
            conn.close()

    def __enter__(self) -> SilentListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
