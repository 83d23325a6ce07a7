"""The per-process memo of each forecast step's consensus: same answers, bounded, exact keys."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.model.consensus import Reason
from domain.model.forecast import StepMemo
from domain.model.queries import combine_readings
from domain.model.readings import Reading

AT = datetime(2026, 12, 5, 15, tzinfo=UTC)
VARIABLES = ("temperatura", "humedad_relativa")
KINDS = {"a": "modelo", "b": "modelo", "c": "modelo"}


def _row(a: float, b: float, c: float = 20.0) -> dict[str, Reading]:
    origin = {"modelo": "best_match"}
    return {
        "a": Reading(AT, {"temperatura": a, "humedad_relativa": 80.0}, {"temperatura": origin}),
        "b": Reading(AT, {"temperatura": b, "humedad_relativa": 70.0}),
        "c": Reading(
            AT, {"temperatura": c}, missing_reasons={"humedad_relativa": "desactualizado"}
        ),
    }


def _same(memo: StepMemo, row, lost=None, elevation=None):
    lost = lost or {}
    got = memo.combine(row, lost, VARIABLES, KINDS, elevation)
    assert got == combine_readings(row, lost, VARIABLES, KINDS, elevation)
    return got


def test_a_repeat_answers_what_combining_again_answers():
    memo = StepMemo()
    first = _same(memo, _row(20.0, 21.0))
    again = _same(memo, _row(20.0, 21.0))
    assert again == first
    again[0].pop("temperatura")  # a caller changing its copy does not change the memo
    again[1].clear()
    assert _same(memo, _row(20.0, 21.0)) == first


def test_any_different_input_is_a_different_answer():
    memo = StepMemo()
    base = _same(memo, _row(20.0, 21.0))
    assert _same(memo, _row(20.0, 22.0)) != base
    assert _same(memo, _row(20.0, 21.0), {"d": Reason.TIMEOUT}) != base
    assert _same(memo, _row(20.0, 21.0), {"d": "sin_clave"})[0]["temperatura"].discarded
    # an int and a float hash alike but render apart: never served for one another
    as_int = memo.combine(_row(20, 21), {}, VARIABLES, KINDS, None)
    assert type(as_int[0]["temperatura"].minimum) is type(
        combine_readings(_row(20, 21), {}, VARIABLES, KINDS, None)[0]["temperatura"].minimum
    )
    changed = _row(20.0, 21.0)
    changed["a"] = Reading(AT, changed["a"].values, {"temperatura": {"modelo": "icon"}})
    assert _same(memo, changed)[1] != base[1]


def test_nested_or_unhashable_provenance_still_combines():
    memo = StepMemo()
    row = _row(20.0, 21.0)
    row["a"] = Reading(AT, row["a"].values, {"temperatura": {"modelos": ["a", "b"], "x": {}}})
    _same(memo, row)
    _same(memo, row)


def test_the_memo_keeps_at_most_its_size():
    memo = StepMemo(size=3)
    for k in range(10):
        _same(memo, _row(float(k), 21.0))
    assert len(memo._entries) == 3
