"""JSON Schema 2020-12 (the dialect of OpenAPI 3.1) from attrs classes, their types, metadata.

Generic: it knows attrs, typing and a few keywords, nothing of ClimaGuru. A field's metadata
(`meta(...)`) adds keywords (minimum, pattern, description, examples…); a class's (`named(...)`)
gives its component name, whether unknown fields are refused, and class-level keywords.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

import attrs

Schema = dict[str, Any]
C = TypeVar("C", bound=type)
SCALARS: dict[Any, Schema] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    datetime: {"type": "string", "format": "date-time"},
    date: {"type": "string", "format": "date"},
}
KEY = "json_schema"
# The characters of Python's str.isspace()/strip() and re's \s, spelled for an ECMA-262 class
# (whose own \s differs: no U+001C-U+001F or U+0085, but U+FEFF).
PY_SPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def meta(description: str | None = None, *, required: bool | None = None, **keywords: Any) -> dict:
    """Field metadata: JSON Schema keywords; `required` overrides "has no default"."""
    schema = {**keywords, **({"description": description} if description else {})}
    return {KEY: schema, **({} if required is None else {"required": required})}


def named(name: str, description: str | None = None, *, closed: bool = False, **keywords: Any):
    """Class decorator: component name, description, `closed` (additionalProperties false)."""

    def apply(cls: C) -> C:
        extra = {**({"additionalProperties": False} if closed else {}), **keywords}
        cls.__json_schema__ = (
            name,
            {**extra, **({"description": description} if description else {})},
        )
        return cls

    return apply


def name_of(cls: type) -> str:
    return getattr(cls, "__json_schema__", (cls.__name__, {}))[0]


def hidden(field: attrs.Attribute) -> bool:
    """A field the code accepts but the document does not show (e.g. refused by the use case)."""
    return bool(field.metadata.get("hidden"))


class Components:
    """Named schemas gathered while generating; `$ref`s point at `prefix + name`."""

    def __init__(self, prefix: str = "#/components/schemas/") -> None:
        self.prefix = prefix
        self.schemas: dict[str, Schema] = {}

    def ref(self, cls: type) -> Schema:
        name = name_of(cls)
        if name not in self.schemas:
            self.schemas[name] = {}  # a placeholder, so a recursive type stops here
            self.schemas[name] = self.object(cls)
        return {"$ref": self.prefix + name}

    def add(self, name: str, schema: Schema) -> Schema:
        self.schemas[name] = schema
        return {"$ref": self.prefix + name}

    def fields(self, cls: type) -> list[tuple[attrs.Attribute, Schema, bool]]:
        """(field, schema, required) for each documented field, in declaration order."""
        hints = typing.get_type_hints(cls)
        return [
            (f, {**self.of(_type(f, hints)), **f.metadata.get(KEY, {})}, _required(f))
            for f in attrs.fields(cls)
            if not hidden(f)
        ]

    def object(self, cls: type) -> Schema:
        listed = self.fields(cls)
        return {
            "type": "object",
            "required": [f.name for f, _, required in listed if required],
            "properties": {f.name: schema for f, schema, _ in listed},
            **getattr(cls, "__json_schema__", ("", {}))[1],
        }

    def of(self, tp: Any) -> Schema:
        origin, args = get_origin(tp), get_args(tp)
        if tp in SCALARS:
            return dict(SCALARS[tp])
        if tp is object or tp is Any:
            return {}
        if origin is Literal:
            return {"const": args[0]} if len(args) == 1 else {"enum": list(args)}
        if origin in (Union, types.UnionType):
            return self._union(args)
        if origin in (list, tuple, Sequence):
            return {"type": "array", "items": self.of(args[0]) if args else {}}
        if origin in (dict, Mapping):
            value = self.of(args[1]) if args else {}
            return {"type": "object", **({"additionalProperties": value} if value else {})}
        if tp in (dict, Mapping):
            return {"type": "object"}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"enum": [m.value for m in tp]}
        if attrs.has(tp):
            return self.ref(tp)
        raise TypeError(f"no JSON Schema for {tp!r}")

    def _union(self, args: tuple[Any, ...]) -> Schema:
        options = [a for a in args if a is not type(None)]
        inner = (
            self.of(options[0]) if len(options) == 1 else {"anyOf": [self.of(a) for a in options]}
        )
        if len(options) == len(args):
            return inner
        if isinstance(inner.get("type"), str):
            return {**inner, "type": [inner["type"], "null"]}
        if "enum" in inner:
            return {**inner, "enum": [*inner["enum"], None]}
        return {"anyOf": [inner, {"type": "null"}]}


def _type(field: attrs.Attribute, hints: dict[str, Any]) -> Any:
    """The documented type: metadata `of` (the value arrives already shaped), else the hint."""
    return field.metadata.get("of", hints.get(field.name, field.type))


def _required(field: attrs.Attribute) -> bool:
    return field.metadata.get("required", field.default is attrs.NOTHING)


def parameters(cls: type, components: Components, where: str = "query") -> list[Schema]:
    """Each field of `cls` as an OpenAPI parameter (its description moved out of the schema)."""
    out = []
    for field, schema, required in components.fields(cls):
        schema = dict(schema)
        description = schema.pop("description", None)
        param = {"name": field.name, "in": where, "required": required or where == "path"}
        out.append(
            {**param, "schema": schema, **({"description": description} if description else {})}
        )
    return out
