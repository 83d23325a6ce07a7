"""The generic JSON Schema generator over attrs classes (adapters.http.json_schema)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, Literal

import pytest
from attrs import field, frozen
from jsonschema import Draft202012Validator

from adapters.http.json_schema import Components, meta, named, parameters


class Colour(enum.Enum):
    RED = "rojo"
    BLUE = "azul"


@frozen
@named("Punto", "un punto")
class Point:
    x: float = field(metadata=meta("abscisa", minimum=0))
    label: str | None


@frozen
@named("Cosa", closed=True)
class Thing:
    name: str
    when: datetime | None
    day: date
    colour: Colour | None
    kind: Literal["a", "b"]
    fixed: Literal["solo"]
    points: list[Point]
    by_name: dict[str, Point]
    anything: Any
    note: str = field(default="", metadata=meta(required=True))
    secret: str = field(default="", metadata={"hidden": True})
    shaped: Any = field(default=None, metadata={"of": int | None})


def test_an_attrs_class_becomes_a_named_component_with_refs():
    components = Components()
    assert components.ref(Thing) == {"$ref": "#/components/schemas/Cosa"}
    thing, point = components.schemas["Cosa"], components.schemas["Punto"]
    assert thing["additionalProperties"] is False and "additionalProperties" not in point
    assert point == {
        "type": "object",
        "required": ["x", "label"],
        "properties": {
            "x": {"type": "number", "minimum": 0, "description": "abscisa"},
            "label": {"type": ["string", "null"]},
        },
        "description": "un punto",
    }
    fields = thing["properties"]
    assert fields["when"] == {"type": ["string", "null"], "format": "date-time"}
    assert fields["day"] == {"type": "string", "format": "date"}
    assert fields["colour"] == {"enum": ["rojo", "azul", None]}
    assert fields["kind"] == {"enum": ["a", "b"]} and fields["fixed"] == {"const": "solo"}
    assert fields["points"] == {"type": "array", "items": {"$ref": "#/components/schemas/Punto"}}
    assert fields["by_name"]["additionalProperties"] == {"$ref": "#/components/schemas/Punto"}
    assert fields["anything"] == {} and fields["shaped"] == {"type": ["integer", "null"]}
    assert "secret" not in fields
    assert "note" in thing["required"] and "shaped" not in thing["required"]


def test_generated_schemas_validate_what_they_describe():
    components = Components()
    schema = {**components.ref(Point), "components": {"schemas": components.schemas}}
    validator = Draft202012Validator(schema)
    assert validator.is_valid({"x": 1.5, "label": None})
    assert not validator.is_valid({"x": -1, "label": "a"})
    assert not validator.is_valid({"x": 1})


def test_fields_become_parameters_with_their_description_outside_the_schema():
    found = parameters(Point, Components())
    assert found[0] == {
        "name": "x",
        "in": "query",
        "required": True,
        "schema": {"type": "number", "minimum": 0},
        "description": "abscisa",
    }


def test_a_type_without_a_schema_is_refused():
    @frozen
    class Odd:
        value: complex

    with pytest.raises(TypeError):
        Components().ref(Odd)
