"""Series steps' consensus documents (adapters/wire.py) as JSON, each encoded once.

A stored series row (series_clima.datos) and a response's step (serie[].consenso) are the same
document, `wire.consensus_map(point.consensus, point.origins)`. It is encoded once per step and
kept: the response of the request that stored the row reuses it, and so does a repeated
forecast, whose steps hold the very same ConsensusValue objects (the domain's StepMemo), so a
cached request encodes nothing again. orjson, as the responses (adapters/http/media.py): NaN
and infinities are null.
"""

from __future__ import annotations

from typing import Any

import orjson

from adapters import wire
from domain.model.queries import SeriesPoint

BUDGET = 16 << 20  # bytes of JSON kept per process (a 7-day hourly forecast: ~0.5 MiB)


class _Kept:
    """One step's consensus document as JSON, and what it was encoded from."""

    __slots__ = ("json", "names", "origins", "values")

    def __init__(self, names: tuple, values: tuple, origins: dict, json: bytes) -> None:
        self.names, self.values, self.origins, self.json = names, values, origins, json


# Keyed by the ids of the step's ConsensusValue objects. An entry holds those objects, so
# while it lives no other object has their ids: a key found is the very same values. The
# names and the origins (compared by value) complete what the document is built from.
_kept: dict[tuple[int, ...], _Kept] = {}
_size = 0


def consensus_map_json(point: SeriesPoint) -> bytes:
    """`wire.consensus_map(point.consensus, point.origins)` as JSON."""
    global _size
    consensus, origins = point.consensus, point.origins
    values = tuple(consensus.values())
    key = tuple(map(id, values))
    hit = _kept.get(key)
    if hit is not None and hit.origins == origins and hit.names == tuple(consensus):
        return hit.json
    encoded = orjson.dumps(wire.consensus_map(consensus, origins), option=orjson.OPT_NON_STR_KEYS)
    if _size + len(encoded) > BUDGET:
        clear()  # a forecast's worth is rebuilt in one request: no LRU needed
    # The origins as the domain's StepMemo hands them out: a copy of each variable's mapping.
    kept = {n: dict(per) for n, per in origins.items()}
    _kept[key] = _Kept(tuple(consensus), values, kept, encoded)
    _size += len(encoded)
    return encoded


def series_point(point: SeriesPoint, zone=None) -> dict[str, Any]:
    """`wire.series_point(point, zone)` for an orjson response: the consensus spliced in as
    its JSON (orjson.Fragment)."""
    instant = point.instant.astimezone(zone) if zone else point.instant
    return {"instante": instant.isoformat(), "consenso": orjson.Fragment(consensus_map_json(point))}


def clear() -> None:
    global _size
    _kept.clear()
    _size = 0
