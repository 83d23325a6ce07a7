"""Helpers shared by the schema modules: $ref, nullable types, objects, pages."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **extra: Any) -> Schema:
    return {"type": [kind, "null"], **extra}


def obj(required: list[str], properties: dict[str, Schema], **extra: Any) -> Schema:
    return {"type": "object", "required": required, "properties": properties, **extra}


INSTANT = {"type": "string", "format": "date-time"}
INSTANT_OR_NULL = nullable("string", format="date-time")
ID = {"type": "integer", "minimum": 1}
NUMBER_OR_NULL = nullable("number")


def page_of(key: str, item: str, description: str) -> Schema:
    return obj(
        [key, "page", "per_page", "total", "pages"],
        {
            key: {"type": "array", "items": ref(item), "description": description},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
        },
    )
