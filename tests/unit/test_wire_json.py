"""adapters/wire_json: a step's consensus JSON is wire.consensus_map's, reused only when exact."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import orjson
import pytest

from adapters import wire, wire_json
from adapters.sql import stored
from domain.model.consensus import ConsensusValue, Discarded, Reason
from domain.model.queries import SeriesPoint

AT = datetime(2026, 12, 5, 18, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh():
    wire_json.clear()
    yield
    wire_json.clear()


def _values() -> dict[str, ConsensusValue]:
    lost = (Discarded("meteosource", Reason.OUT_OF_HORIZON),)
    cv = ConsensusValue
    return {
        "temperatura": cv("temperatura", 21.5, "°C", 21.0, 22.0, 0.5, 2, ("a", "b"), lost),
        "descripcion_clima": cv("descripcion_clima", 61, "", None, None, None, 1, ("a",), ()),
        "indice_ith": cv("indice_ith", 70.1, "", 70.1, 70.1, 0.0, 1, ("b",), (), "normal"),
    }


def _origins(model: str = "icon_seamless") -> dict:
    a, b = {"tipo": "modelo", "modelo": model}, {"tipo": "modelo", "emitido_en": "2026-12-05T12Z"}
    return {"temperatura": {"a": a, "b": b}, "descripcion_clima": {"a": a}, "indice_ith": {"b": b}}


def test_a_step_is_the_wire_document_and_the_stored_one():
    point = SeriesPoint(AT, _values(), {}, _origins())
    encoded = wire_json.consensus_map_json(point)
    assert encoded == orjson.dumps(wire.consensus_map(point.consensus, point.origins))
    assert json.loads(encoded) == stored.consensus_map_doc(point.consensus, point.origins)
    assert json.loads(encoded)["descripcion_clima"]["descripcion"]  # the code's text


def test_the_same_values_again_reuse_the_json_a_changed_origin_does_not():
    values = _values()
    first = wire_json.consensus_map_json(SeriesPoint(AT, values, {}, _origins()))
    # A cached forecast: the same ConsensusValue objects, fresh dicts of equal origins.
    again = wire_json.consensus_map_json(SeriesPoint(AT, dict(values), {}, _origins()))
    assert again is first
    moved = wire_json.consensus_map_json(SeriesPoint(AT, dict(values), {}, _origins("gfs")))
    assert b'"gfs"' in moved and moved != first
    fewer = {k: v for k, v in values.items() if k != "indice_ith"}
    less = wire_json.consensus_map_json(SeriesPoint(AT, fewer, {}, _origins()))
    assert b"indice_ith" not in less


def test_equal_but_new_values_are_encoded_alike():
    first = wire_json.consensus_map_json(SeriesPoint(AT, _values(), {}, _origins()))
    second = wire_json.consensus_map_json(SeriesPoint(AT, _values(), {}, _origins()))
    assert second == first


def test_the_kept_json_stays_within_its_budget(monkeypatch):
    monkeypatch.setattr(wire_json, "BUDGET", 4000)
    for _ in range(50):
        wire_json.consensus_map_json(SeriesPoint(AT, _values(), {}, _origins()))
    assert 0 < wire_json._size <= 4000
