"""adapters/wire_json: a step's consensus JSON is wire.consensus_map's, encoded once per point."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import orjson

from adapters import wire, wire_json
from adapters.sql import stored
from domain.model.consensus import ConsensusValue, Discarded, Reason
from domain.model.queries import SeriesPoint

AT = datetime(2026, 12, 5, 18, tzinfo=UTC)


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
    assert encoded.encode() == orjson.dumps(wire.consensus_map(point.consensus, point.origins))
    assert json.loads(encoded) == stored.consensus_map_doc(point.consensus, point.origins)
    assert json.loads(encoded)["descripcion_clima"]["descripcion"]  # the code's text


def test_a_point_is_encoded_once_and_only_for_itself():
    values = _values()
    point = SeriesPoint(AT, values, {}, _origins())
    assert wire_json.consensus_map_json(point) is wire_json.consensus_map_json(point)
    moved = SeriesPoint(AT, dict(values), {}, _origins("gfs"))  # same values, other origins
    assert '"gfs"' in wire_json.consensus_map_json(moved)
    assert '"gfs"' not in wire_json.consensus_map_json(point)


def test_a_shown_step_is_wire_series_point_in_each_zone():
    point = SeriesPoint(AT, _values(), {}, _origins())
    for zone in (ZoneInfo("America/Bogota"), ZoneInfo("Asia/Kolkata"), None):
        shown = wire_json.series_point(point, zone)
        assert shown is wire_json.series_point(point, zone)
        assert orjson.dumps(shown) == orjson.dumps(wire.series_point(point, zone))
