"""How busy the machine was with other work while a benchmark row ran (Linux /proc; None
elsewhere). Shared by bench/fanout and bench/export."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

PROC = Path("/proc")


def children(pid: int) -> list[int]:
    """Direct children of `pid` (gunicorn's workers), from /proc/<n>/stat."""
    found = []
    for entry in PROC.glob("[0-9]*/stat"):
        fields = _fields(entry)
        if fields and fields[1] == str(pid):
            found.append(int(entry.parent.name))
    return found


def database_pids() -> list[int]:
    """The local MariaDB/MySQL server: it serves the benchmark, so its CPU is not other work."""
    found = []
    for comm in PROC.glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() in ("mariadbd", "mysqld"):
                found.append(int(comm.parent.name))
        except OSError:
            continue
    return found


def _fields(stat: Path) -> list[str] | None:
    try:
        text = stat.read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()  # after "pid (comm) ": state, ppid, ...


def _ticks(pid: int) -> int:
    fields = _fields(PROC / str(pid) / "stat")
    return int(fields[11]) + int(fields[12]) if fields else 0  # utime + stime


def _machine() -> tuple[int, int]:
    """(busy, total) jiffies over every CPU since boot."""
    values = [int(v) for v in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values[:8]) - idle, sum(values[:8])


class CpuWatch:
    """Share of the machine's CPU used by processes other than ours between start() and stop()."""

    def __init__(self, our_pids: Callable[[], Iterable[int]]) -> None:
        self._our_pids = our_pids
        self._start: tuple[int, int, dict[int, int]] | None = None

    def start(self) -> None:
        if not (PROC / "stat").exists():
            return
        busy, total = _machine()
        self._start = (busy, total, {pid: _ticks(pid) for pid in self._our_pids()})

    def stop(self) -> float | None:
        """Percent of all CPUs busy with other work (0-100), or None without /proc."""
        if self._start is None:
            return None
        busy0, total0, ours0 = self._start
        busy, total = _machine()
        ours = 0
        for pid, before in ours0.items():
            after = _ticks(pid)
            ours += after - before if after >= before else 0  # 0: it exited meanwhile
        elapsed = total - total0
        return round(max(0.0, (busy - busy0 - ours) / elapsed * 100), 1) if elapsed else None
