"""cProfile of a benchmark's call, CPU time: top frames by cumulative, then by own time."""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Callable


def print_profile(call: Callable[[], object], times: int, top: int) -> None:
    prof = cProfile.Profile(time.process_time)
    prof.enable()
    for _ in range(times):
        call()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    out.write("\n")
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    print(out.getvalue())
