"""adapters/identity_memo: made once per live object, forgotten when the object goes."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

from adapters.identity_memo import IdentityMemo
from domain.model.queries import SeriesPoint

AT = datetime(2026, 12, 5, 18, tzinfo=UTC)


def test_one_make_per_live_object_and_none_kept_after_it():
    memo: IdentityMemo[str] = IdentityMemo()
    made = []

    def make(point):
        made.append(point)
        return f"fila {len(made)}"

    point, twin = SeriesPoint(AT, {}), SeriesPoint(AT, {})  # equal, not the same object
    assert memo.get(point, make) == memo.get(point, make) == "fila 1"
    assert memo.get(twin, make) == "fila 2"  # never another object's, even an equal one
    assert len(memo) == 2
    made.clear()
    del point, twin
    gc.collect()
    assert len(memo) == 0
    again = SeriesPoint(AT, {})  # may reuse a freed id: still made for itself
    assert memo.get(again, make) == "fila 1"
