"""The document says what the app refuses: control characters in body texts, strict dates.

Patterns are read as JSON Schema specifies (ECMA-262, `$` = end of the text) with jsonschema_rs,
the validator schemathesis judges with; Python's `re` would let one trailing LF through `$`.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import timedelta

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.http.converter import CONTROL, OPAQUE
from adapters.http.json_schema import PY_SPACE, name_of
from adapters.http.openapi import build_document
from adapters.http.openapi.build import LOGIN
from adapters.http.schemas.requests import BODIES, TEXT_SPACE
from domain.errors import ValidationError
from domain.model.query_input import HISTORY_START, parse_date
from tests.unit.http.helpers import PASSWORD, bearer, register
from tests.unit.http.test_current_queries import build, three_models

DOCUMENT = build_document(65536, ["open_meteo", "openweathermap"], ["openweathermap"])
SCHEMAS = DOCUMENT["components"]["schemas"]
CONTROLS = [chr(c) for c in range(sys.maxunicode + 1) if CONTROL.match(chr(c))]


def _admits_text(schema: dict) -> bool:
    if "enum" in schema or "const" in schema:
        return False
    kinds = schema.get("type", ["string"])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    branches = schema.get("oneOf", [])
    return "string" in kinds or any(_admits_text(b) for b in branches)


def _patterns(schema: dict) -> list[str]:
    own = [schema["pattern"]] if "pattern" in schema else []
    return own + [p for b in schema.get("oneOf", []) for p in _patterns(b)]


TEXT_FIELDS = sorted(
    (name, field, schema)
    for name in sorted({name_of(cls) for cls in (*BODIES, *LOGIN)})
    for field, schema in SCHEMAS[name]["properties"].items()
    if field not in OPAQUE and _admits_text(schema)
)
ANNOTATIONS = ("description", "examples")
# Fields that share one rule are tried once: {rule as JSON: "Component.field, ..."}
RULES: dict[str, str] = {}
for _name, _field, _schema in TEXT_FIELDS:
    _rule = json.dumps({k: v for k, v in _schema.items() if k not in ANNOTATIONS}, sort_keys=True)
    RULES[_rule] = ", ".join(filter(None, [RULES.get(_rule), f"{_name}.{_field}"]))


def test_every_text_field_of_a_body_has_a_pattern():
    """The converter refuses control characters in every body text but passwords: each such
    field's schema carries a pattern (a new field without one fails here)."""
    assert len(TEXT_FIELDS) > 30
    assert [(n, f) for n, f, schema in TEXT_FIELDS if not _patterns(schema)] == []
    assert {"username", "email", "ciudad", "nombre_ciudad", "descripcion", "pais"} <= {
        f for _, f, _ in TEXT_FIELDS
    }


@pytest.mark.parametrize("rule", list(RULES), ids=list(RULES.values()))
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_control_character_anywhere_breaks_the_schema(rule, data):
    """A text the schema takes, with one control character put anywhere, no longer fits it."""
    schema = json.loads(rule)
    validator = jsonschema_rs.validator_for(schema)
    pattern = data.draw(st.sampled_from(_patterns(schema)))
    # Hypothesis draws a lookahead's text as if it were consumed; the validator judges it.
    text = data.draw(
        st.from_regex(re.sub(r"\(\?=[^()]*\)", "", pattern)).filter(validator.is_valid)
    )
    assert not CONTROL.search(text)
    where = data.draw(st.integers(0, len(text)))
    spoiled = text[:where] + data.draw(st.sampled_from(CONTROLS)) + text[where:]
    assert not validator.is_valid(spoiled), (RULES[rule], spoiled)


def test_the_spaces_a_text_may_carry_are_the_stripped_ones_without_controls():
    characters = [chr(c) for c in range(sys.maxunicode + 1)]
    spaces = re.compile(f"[{TEXT_SPACE}]")
    stripped = re.compile(f"[{PY_SPACE}]")
    assert [c for c in characters if stripped.match(c)] == [c for c in characters if c.isspace()]
    assert [c for c in characters if spaces.match(c)] == [
        c for c in characters if c.isspace() and not CONTROL.match(c)
    ]


def _valid(schema: dict, value: str) -> bool:
    """As a validator that asserts formats (schemathesis does, when it generates) reads it."""
    return jsonschema_rs.validator_for(schema, validate_formats=True).is_valid(value)


REGISTRATIONS = [
    ("username", "ana_gomez"),
    ("username", " ana_gomez\u3000"),
    ("username", "ana_gomez\t"),
    ("username", "\x1cana_gomez"),
    ("username", "ana_gomez\n"),
    ("email", "ana@ejemplo.co"),
    ("email", "\xa0ana@ejemplo.co "),
    ("email", "ana\x90@ejemplo.co"),
    ("email", "ana@ejemplo.co\r\n"),
    ("email", "ana\u2028@ejemplo.co"),
    ("nombre_completo", "Ana Gómez – Ñuñoa 😀"),
    ("nombre_completo", "Ana\x00Gómez"),
    ("nombre_completo", "Ana Gómez\n"),
    ("nombre_completo", "Ana\x7f"),
]


@pytest.mark.parametrize(("field", "text"), REGISTRATIONS)
def test_registration_fields_say_what_the_app_accepts(client, field, text):
    body = {"username": "ana_gomez", "email": "ana@ejemplo.co", "password": PASSWORD}
    result = client.simulate_post("/api/auth/register", json={**body, field: text})
    assert result.status_code in (201, 400), result.json
    schema = SCHEMAS["Registro"]["properties"][field]
    assert _valid(schema, text) == (result.status_code == 201), result.json


HISTORY_DATES = [
    "1940-01-01",
    "2024-02-29",
    "2023-02-29",
    "1939-12-31",
    "0001-01-01",
    "1000-01-01",
    "20240101",
    "2024-W01-1",
    "2024-001",
    "2024-01-02T00:00",
    "2024-01-02\n",
    "٢٠٢٤-٠١-٠١",
]


@pytest.mark.parametrize("text", HISTORY_DATES)
def test_history_date_schemas_say_what_the_app_accepts(text):
    """Shape and the 1940 floor from the pattern; real calendar days from format: date."""
    try:
        accepted = parse_date(text, "fecha_inicio", HISTORY_START) is not None
    except ValidationError:
        accepted = False
    for field in ("fecha_inicio", "fecha_fin"):
        assert _valid(SCHEMAS["ConsultaHistorica"]["properties"][field], text) == accepted, field


def test_the_history_floor_in_the_pattern_is_the_domains():
    pattern = SCHEMAS["ConsultaHistorica"]["properties"]["fecha_inicio"]["pattern"]
    assert re.search(pattern, HISTORY_START.isoformat())
    assert not re.search(pattern, (HISTORY_START - timedelta(days=1)).isoformat())
    assert "1940-01-01" in SCHEMAS["ConsultaHistorica"]["properties"]["fecha_fin"]["description"]


def _param(path: str, name: str) -> dict:
    params = DOCUMENT["paths"][path]["get"]["parameters"]
    return next(p for p in params if p["name"] == name)


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-01",
        "0001-01-01",
        "0000-01-01",
        "2023-02-29",
        "20240101",
        "2024-W01-1",
        "٢٠٢٤-٠١-٠١",
    ],
)
def test_listing_date_filters_say_what_the_app_accepts(client, text):
    auth = bearer(register(client, "filtradora")["access_token"])
    result = client.simulate_get(
        "/api/consultas/mis-consultas", params={"desde": text}, headers=auth
    )
    assert result.status_code in (200, 400), result.json
    param = _param("/api/consultas/mis-consultas", "desde")
    assert param["schema"]["format"] == "date" and "AAAA-MM-DD" in param["description"]
    assert _valid(param["schema"], text) == (result.status_code == 200), result.json


PLACES = [
    {"ciudad": "\u2006\u2003"},
    {"ciudad": " ", "latitud": None, "longitud": None},
    {"ciudad": "Bogotá"},
    {"ciudad": "\u2006", "latitud": 4.61, "longitud": -74.08},
]


@pytest.mark.parametrize("body", PLACES)
def test_a_blank_ciudad_is_refused_only_when_it_is_geocoded(container, body):
    """Without coordinates the ciudad is geocoded, and a blank one is 400 formato_invalido."""
    client, auth, _ = build(container, three_models())
    result = client.simulate_post("/api/consultas/tiempo-real", json=body, headers=auth)
    refused = result.status_code == 400
    assert refused == (result.json.get("detalles") == {"ciudad": "formato_invalido"})
    days = {"fecha_inicio": "2024-01-01", "fecha_fin": "2024-01-02"}
    for name, whole in (("ConsultaTiempoReal", body), ("ConsultaHistorica", {**body, **days})):
        schema = {**SCHEMAS[name], "components": DOCUMENT["components"]}
        assert jsonschema_rs.validator_for(schema).is_valid(whole) != refused, (name, result.json)
