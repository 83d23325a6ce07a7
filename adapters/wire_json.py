"""Series steps' consensus documents (adapters/wire.py) as JSON text, each encoded once.

A stored series row (series_clima.datos) and a response's step (serie[].consenso) are the same
document, `wire.consensus_map(point.consensus, point.origins)`. It is encoded once per point
and kept while the point lives (adapters/identity_memo): the response of the request that
stored the row splices the same text in (orjson.Fragment), and a repeated forecast, whose
points the domain keeps (its memo of repeated series), encodes nothing again. orjson, as the
responses (adapters/http/media.py): NaN and infinities are null.
"""

from __future__ import annotations

from typing import Any

import orjson

from adapters import wire
from adapters.identity_memo import IdentityMemo
from domain.model.queries import SeriesPoint


def _encoded(point: SeriesPoint) -> str:
    doc = wire.consensus_map(point.consensus, point.origins)
    return orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS).decode()


_TEXT: IdentityMemo[str] = IdentityMemo()
_SHOWN: IdentityMemo[list] = IdentityMemo()  # per point: [(zone, step document)]


def consensus_map_json(point: SeriesPoint) -> str:
    """`wire.consensus_map(point.consensus, point.origins)` as JSON text."""
    return _TEXT.get(point, _encoded)


def series_point(point: SeriesPoint, zone=None) -> dict[str, Any]:
    """`wire.series_point(point, zone)` for an orjson response: the consensus spliced in as
    its JSON (orjson.Fragment). The document is kept per point and zone; nobody changes it."""
    shown = _SHOWN.get(point, lambda _: [])
    for kept_zone, doc in shown:
        if kept_zone == zone:
            return doc
    instant = point.instant.astimezone(zone) if zone else point.instant
    fragment = orjson.Fragment(consensus_map_json(point))
    doc = {"instante": instant.isoformat(), "consenso": fragment}
    shown.append((zone, doc))
    return doc
