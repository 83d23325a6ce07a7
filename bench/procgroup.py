"""Child processes a benchmark always stops, whatever way the run ends.

Each child (gunicorn: a master and its workers) starts in its own session, hence its own
process group, and is stopped as a group: SIGTERM to the leader, a grace period, then SIGKILL
to every process still in the group, and a check that none is left. Every group is registered
until stopped, so:
- a normal end, an exception or Ctrl-C (KeyboardInterrupt) stops it through the caller's
  `finally`/`with`, and `atexit` stops whatever is still registered;
- SIGTERM and SIGHUP to the benchmark become SystemExit (`exit_on_signals()`), so the same
  cleanup runs instead of Python dying silently;
- SIGKILL of the benchmark cannot be caught: on Linux the leader is started with
  PR_SET_PDEATHSIG=SIGINT, so the kernel signals it when the benchmark dies. For gunicorn
  SIGINT is the quick shutdown (workers get SIGQUIT and leave at once); SIGTERM would be the
  graceful one, which waits up to GUNICORN_TIMEOUT for a request in flight.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PROC = Path("/proc")
# Run as `python -c LAUNCH <benchmark pid> <argv...>`: ask the kernel for SIGINT when the parent
# dies (prctl 1 = PR_SET_PDEATHSIG; kept across exec), give up if it already died, then exec.
LAUNCH = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGINT)\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    sys.exit(1)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)
_LIVE: dict[int, Group] = {}


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes whose process group is `pgid`, from /proc/<pid>/stat."""
    found = []
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2 :].split()  # state, ppid, pgrp, ...
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            found.append(int(stat.parent.name))
    return found


class Group:
    """One child process started as the leader of a new process group (its own session)."""

    def __init__(self, argv: Sequence[str], **popen: Any) -> None:
        argv = list(argv)
        if sys.platform.startswith("linux") and PROC.is_dir():
            argv = [sys.executable, "-c", LAUNCH, str(os.getpid()), *argv]
        self.proc: subprocess.Popen[bytes] = subprocess.Popen(argv, start_new_session=True, **popen)
        self.pid = self.proc.pid  # == the process group id
        _LIVE[self.pid] = self

    def alive(self) -> bool:
        return self.proc.poll() is None

    def members(self) -> list[int]:
        return group_members(self.pid)

    def stop(self, grace: float = 15.0) -> list[int]:
        """SIGTERM to the leader, up to `grace` s for the whole group to leave, then SIGKILL to
        the group. Returns the pids that had to be killed (empty when all left on SIGTERM)."""
        killed: list[int] = []
        try:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                if self.proc.poll() is not None and not self.members():
                    break
                time.sleep(0.05)
            killed = self.members()
            if killed or self.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            deadline = time.monotonic() + 10
            while self.members() and time.monotonic() < deadline:
                time.sleep(0.05)
            left = self.members()
            if left:
                raise RuntimeError(f"process group {self.pid} still has {left} after SIGKILL")
        finally:
            _LIVE.pop(self.pid, None)
        return killed


def stop_all(grace: float = 10.0) -> None:
    """Stop every group not stopped yet (atexit, and the signal path through SystemExit)."""
    for group in list(_LIVE.values()):
        try:
            group.stop(grace)
        except Exception as exc:  # keep stopping the others
            print(f"procgroup: could not stop {group.pid}: {exc}", file=sys.stderr)


def exit_on_signals() -> None:
    """SIGTERM and SIGHUP raise SystemExit in the main thread, so finally/with/atexit run."""

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, leave)


atexit.register(stop_all)
