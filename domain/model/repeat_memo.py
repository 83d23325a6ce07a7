"""A per-process memo of a pure computation by the exact text of its inputs (repeated queries).

A repeated forecast (the providers' answers from the provider cache) asks again for what an
earlier request computed from the very same inputs: the derived variables, one consensus per
step, the farm days and the alerts. `fingerprint` turns the inputs into a key that differs
whenever any of them would make the result differ: their pickle (every field of an attrs
value, a float's exact bits, so 1, 1.0 and True stay apart; objects shared twice are written
once and referenced, so inputs alike but shared differently only miss), hashed with
BLAKE2b-256; inputs that do not pickle have no key and are computed. The memo holds at most
`size` results (least recently used out): each entry is a whole series.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping
from datetime import UTC
from operator import attrgetter
from typing import Any, Generic, TypeVar

import attrs

from domain.model.agro.plan import SeriesPlan
from domain.model.agro.settings import AgroSettings
from domain.model.forecast import ForecastWindow
from domain.model.horizon import Horizon
from domain.model.location import Location
from domain.model.lru import MISSING, Lru
from domain.model.queries import ProviderOutcome
from domain.model.readings import Reading

T = TypeVar("T")

# Every field of a reading; of an outcome, all but `meta` (latency and cache flags, per call)
# and its readings (given apart, as plain tuples: their repr is C code, attrs' is not).
_READING = attrgetter(*(f.name for f in attrs.fields(Reading)))
_OUTCOME = attrgetter(
    *(f.name for f in attrs.fields(ProviderOutcome) if f.name not in ("meta", "readings"))
)


def outcomes_part(outcomes: Mapping[str, ProviderOutcome]) -> list[Any]:
    """The providers' outcomes as plain tuples (every reading's every field), meta left out."""
    return [(name, _OUTCOME(o), [_READING(r) for r in o.readings]) for name, o in outcomes.items()]


def fingerprint(*parts: Any) -> bytes | None:
    """BLAKE2b-256 of the parts' pickle (a third of the time of their repr), or None."""
    try:
        data = pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.blake2b(data, digest_size=32).digest()


def forecast_fingerprint(
    window: ForecastWindow,
    location: Location,
    plan: SeriesPlan,
    horizons: Mapping[str, Horizon],
    agro: AgroSettings,
    outcomes: Mapping[str, ProviderOutcome],
) -> bytes | None:
    """What a forecast's derived series is made of: the window within the same issue hour
    (hourly steps and hour horizons start at the UTC hour of issue, day horizons and daily
    steps at its local day), the place, the series plan, the horizons, the farm settings and
    every provider's readings."""
    hour = window.issued.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    when = (hour, window.first_day, window.days, window.granularity, window.timezone)
    asked = (location, plan, sorted(horizons.items()), agro)
    return fingerprint(when, asked, outcomes_part(outcomes))


class RepeatMemo(Generic[T]):
    """Results by fingerprint, at most `size`, shared by a worker's threads."""

    def __init__(self, size: int = 8) -> None:
        self._entries: Lru[bytes, T] = Lru(size)

    def get(self, key: bytes | None, build: Callable[[], T]) -> T:
        if key is None:
            return build()
        hit = self._entries.get(key, MISSING)
        if hit is not MISSING:
            return hit
        made = build()
        self._entries.put(key, made)
        return made

    def clear(self) -> None:
        self._entries.clear()
