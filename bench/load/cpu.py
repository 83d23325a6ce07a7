"""CPU of other work while a wrk run lasts, counting reaped children too (Linux /proc).

noise.CpuWatch counts the pids it is given, alive at start and at stop. Under load gunicorn
recycles workers (max_requests) and wrk exits before the run is read, so their CPU would be
booked as other work. Here "ours" is every process descending from the benchmark, each with
utime + stime + cutime + cstime: a child that exited and was reaped (a recycled worker, wrk)
is still counted, in its parent's cutime/cstime. The database server counts as ours too: it
serves the benchmark (and, unavoidably, anyone else's tests on this MariaDB).
"""

from __future__ import annotations

import os
from pathlib import Path

from noise import PROC, _machine, database_pids


def _stat(pid: str) -> list[str] | None:
    try:
        text = (PROC / pid / "stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()  # state, ppid, pgrp, ... (field 3 onwards)


def _table() -> dict[int, tuple[int, int]]:
    """pid -> (ppid, utime + stime + cutime + cstime) for every process (zombies too: a child
    that died unreaped keeps its times until it is waited for)."""
    table = {}
    for entry in PROC.glob("[0-9]*"):
        fields = _stat(entry.name)
        if fields and fields[0] != "X":
            table[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    return table


def _ours(table: dict[int, tuple[int, int]], root: int) -> int:
    """Ticks of `root`, its live descendants and (via cutime) their reaped children, plus the
    database server."""
    return tree_ticks_in(table, {root, *database_pids()})


def tree_ticks_in(table: dict[int, tuple[int, int]], roots: set[int]) -> int:
    """Ticks in `table` of the `roots` and every live descendant of theirs."""
    tree, grew = set(roots), True
    while grew:
        grew = False
        for pid, (ppid, _) in table.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(table[pid][1] for pid in tree if pid in table)


class OtherWork:
    """start() ... stop() -> percent of all CPUs busy with processes that are not ours."""

    def __init__(self, root: int | None = None) -> None:
        self.root = root or os.getpid()
        self._start: tuple[int, int, int] | None = None

    def start(self) -> None:
        if not Path("/proc/stat").exists():
            return
        busy, total = _machine()
        self._start = (busy, total, _ours(_table(), self.root))

    def stop(self) -> float | None:
        if self._start is None:
            return None
        busy0, total0, ours0 = self._start
        busy, total = _machine()
        ours = _ours(_table(), self.root)
        elapsed = total - total0
        if not elapsed:
            return None
        return round(max(0.0, (busy - busy0 - (ours - ours0)) / elapsed * 100), 1)
