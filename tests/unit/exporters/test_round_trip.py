"""Property: every stored result exported as CSV (both separators), JSON and YAML reads back
to the same numbers at the stated precision, with zero and missing kept apart."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.exporters import CsvExporter, JsonExporter, YamlExporter
from adapters.exporters.csv_exporter import FORMULA_START
from domain.model.queries import QueryType
from domain.model.variables import ALL_VARIABLE_NAMES, VARIABLES
from ports.exporters import DECIMALS
from tests.unit.exporters.helpers import (
    START,
    document,
    make_query,
    number,
    read_csv,
    stored_form,
)

TOLERANCE = 0.5 * 10**-DECIMALS

values = st.one_of(
    st.none(),
    st.just(0.0),
    st.just(0),
    st.integers(-1_000_000, 1_000_000),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)
names = st.lists(st.sampled_from(ALL_VARIABLE_NAMES), min_size=1, max_size=5, unique=True)
providers = st.lists(st.sampled_from(["a", "b", "open_meteo", "=malo", "+uno"]), unique=True)
cities = st.none() | st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@st.composite
def consensus(draw, variable: str) -> dict:
    sources = draw(st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3))
    return {
        "valor": draw(values),
        "unidad": VARIABLES[variable].unit,
        "min": draw(values),
        "max": draw(values),
        "desviacion": draw(values),
        "n_fuentes": len(sources),
        "fuentes": sorted(sources),
        "descartadas": [],
    }


@st.composite
def current_case(draw):
    variables = draw(names)
    present = draw(st.lists(st.sampled_from(variables), unique=True))
    consenso = stored_form({v: draw(consensus(v)) for v in present})
    result = {"fuentes_utilizadas": ["a"], "consenso": consenso}
    query = make_query(QueryType.CURRENT, variables, draw(providers), draw(cities))
    return query, result


@st.composite
def history_case(draw):
    variables = draw(names)
    asked = draw(providers)
    rows = []
    for i in range(draw(st.integers(0, 30))):
        present = draw(st.lists(st.sampled_from(variables), unique=True))
        datos = stored_form({v: draw(consensus(v)) for v in present})
        lecturas = {p: {v: draw(values) for v in variables} for p in asked}
        rows.append({"instante": START + timedelta(hours=i), "datos": datos, "lecturas": lecturas})
    result = {"fuentes_utilizadas": asked[:1], "resumen": {}}
    query = make_query(QueryType.HISTORY, variables, asked, draw(cities))
    return query, result, rows


def same_number(cell: str, expected, separator: str) -> None:
    got = number(cell, separator)
    if expected is None:
        assert cell == "", (cell, expected)
        return
    assert got is not None, (cell, expected)
    if expected == 0:
        assert cell == "0"
    assert abs(got - expected) <= TOLERANCE + 1e-12 * abs(expected), (cell, expected)


def unescape(cell: str) -> str:
    """The exporter's rule reversed: a leading apostrophe is always its escape."""
    assert not cell.startswith(FORMULA_START), cell  # never a formula to a spreadsheet
    return cell[1:] if cell.startswith("'") else cell


def export(exporter, *args, **options) -> str:
    return "".join(exporter.export(document(*args, **options)))


def check_header(meta: list[list[str]], query, separator: str) -> None:
    by_key = {r[0]: r[1:] for r in meta}
    assert unescape(by_key["ciudad"][0]) == (query.location.city or "")
    assert number(by_key["latitud"][0], separator) == pytest.approx(query.location.latitude)
    assert by_key["decimales"][0] == str(DECIMALS)
    widths = {len(r) for r in meta}
    assert len(widths) == 1


@settings(max_examples=150, deadline=None)
@given(current_case(), st.sampled_from([",", ";"]))
def test_current_csv_reads_back(case, separator):
    query, result = case
    meta, table = read_csv(export(CsvExporter(), query, result, separator=separator), separator)
    check_header(meta, query, separator)
    assert len({len(r) for r in [*meta, *table]}) == 1  # RFC 4180: one width throughout
    assert [r[0] for r in table[1:]] == list(query.parameters.variables)
    for row in table[1:]:
        stored = result["consenso"].get(row[0], {})
        for column, key in ((1, "valor"), (3, "min"), (4, "max"), (5, "desviacion")):
            same_number(row[column], stored.get(key), separator)
        same_number(row[6], stored.get("n_fuentes"), separator)


@settings(max_examples=150, deadline=None)
@given(history_case(), st.sampled_from([",", ";"]))
def test_history_csv_reads_back(case, separator):
    query, result, rows = case
    text = export(CsvExporter(), query, result, rows, separator=separator, by_provider=True)
    meta, table = read_csv(text, separator)
    check_header(meta, query, separator)
    variables = list(query.parameters.variables)
    asked = list(query.parameters.providers)
    assert len(table) == 1 + len(rows)
    titles = [t for t in table[0] if t]  # records are padded to the header block's width
    assert len(titles) - 1 == len(variables) * (1 + len(asked))
    for line, stored in zip(table[1:], rows, strict=True):
        assert datetime.fromisoformat(line[0]) == stored["instante"]
        cells = iter(line[1:])
        for v in variables:
            same_number(next(cells), stored["datos"].get(v, {}).get("valor"), separator)
        for p in asked:
            for v in variables:
                same_number(next(cells), stored["lecturas"][p][v], separator)


@settings(max_examples=100, deadline=None)
@given(current_case())
def test_current_json_and_yaml_read_back_exactly(case):
    query, result = case
    doc = json.loads(export(JsonExporter(), query, result))
    assert doc["datos"]["consenso"] == result["consenso"]
    assert doc["consulta"]["ciudad"] == query.location.city
    assert doc["exportacion"]["ciudad"] == query.location.city
    assert yaml.safe_load(export(YamlExporter(), query, result)) == doc


@settings(max_examples=100, deadline=None)
@given(history_case())
def test_history_json_and_yaml_read_back_exactly(case):
    query, result, rows = case
    doc = json.loads(export(JsonExporter(), query, result, rows, by_provider=True))
    assert doc["serie_total"] == len(rows) and doc["serie_truncada"] is False
    assert [p["consenso"] for p in doc["serie"]] == [r["datos"] for r in rows]
    assert [p["lecturas"] for p in doc["serie"]] == [r["lecturas"] for r in rows]
    assert [datetime.fromisoformat(p["instante"]) for p in doc["serie"]] == [
        r["instante"] for r in rows
    ]
    assert yaml.safe_load(export(YamlExporter(), query, result, rows, by_provider=True)) == doc
