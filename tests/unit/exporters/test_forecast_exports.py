"""Forecast downloads: one row per step, a header saying it is a forecast, issued when, and
each provider's horizon; streamed like history's (a 16-day hourly CSV in flat memory)."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc

import attrs
import pytest
import yaml

from adapters.exporters import CsvExporter, JsonExporter, TxtExporter, YamlExporter
from adapters.sql import stored
from domain.model.queries import QueryType
from domain.model.readings import Granularity
from tests.unit.exporters.helpers import document, hourly_rows, make_query

VARIABLES = ("temperatura", "probabilidad_precipitacion")
SIXTEEN_DAYS = 16 * 24
FACTS = {
    "emitido_en": "2026-03-01T12:00:00+00:00",
    "horizonte_efectivo": "2026-03-17T04:00:00+00:00",
    "horizontes": {
        "open_meteo": {"limite": "2026-03-17T05:00:00+00:00", "cantidad": 16, "unidad": "dias",
                       "modelo": "best_match"},
        "openweathermap": {"limite": "2026-03-03T12:00:00+00:00", "cantidad": 48,
                           "unidad": "horas"},
    },
}  # fmt: skip


def forecast_document(rows: int = 30):
    query = make_query(QueryType.FORECAST, VARIABLES, ("open_meteo", "openweathermap"))
    params = attrs.evolve(
        query.parameters, granularity=Granularity.HOURLY, timezone="America/Bogota",
        extra={"dias": 16},
    )  # fmt: skip
    query = attrs.evolve(query, parameters=params)
    result = {"fuentes_utilizadas": ["open_meteo", "openweathermap"], "pronostico": FACTS}
    return document(query, result, hourly_rows(rows, VARIABLES))


def text(exporter, rows: int = 30) -> str:
    return "".join(exporter.export(forecast_document(rows)))


def test_csv_header_says_forecast_issue_time_and_each_horizon_then_a_row_per_step():
    records = [[c for c in r if c] for r in csv.reader(io.StringIO(text(CsvExporter(), 384)))]
    assert ["tipo_consulta", "pronostico"] in records and ["pronostico", "si"] in records
    assert ["emitido_en", "2026-03-01T12:00:00Z"] in records
    assert ["horizonte", "open_meteo", "2026-03-17T05:00:00Z"] in records
    assert ["horizonte", "openweathermap", "2026-03-03T12:00:00Z"] in records
    table = records[next(i for i, r in enumerate(records) if r and r[0] == "instante") :]
    assert len(table) == 1 + SIXTEEN_DAYS


def test_json_and_yaml_carry_the_forecast_block_and_the_series():
    body = json.loads(text(JsonExporter()))
    assert body["exportacion"]["pronostico"] == "si"
    assert body["pronostico"]["horizontes"]["openweathermap"]["horizonte"] == {
        "cantidad": 48, "unidad": "horas",
    }  # fmt: skip
    assert body["pronostico"]["dias"] == 16 and body["serie_total"] == 30
    loaded = yaml.safe_load(text(YamlExporter()))
    assert loaded["exportacion"]["horizontes"]["open_meteo"] == "2026-03-17T05:00:00Z"
    assert len(loaded["serie"]) == 30


def test_txt_names_the_forecast_and_its_horizons():
    report = text(TxtExporter())
    assert "(pronóstico)" in report and "Horizonte openweathermap" in report
    assert "Total: 30 instantes" in report


@pytest.mark.parametrize("exporter", [CsvExporter(), JsonExporter()], ids=type)
def test_a_sixteen_day_hourly_forecast_streams_in_flat_memory(exporter):
    def peak(rows: int) -> int:
        doc = forecast_document(rows)
        tracemalloc.start()
        try:
            for _ in exporter.export(doc):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert peak(SIXTEEN_DAYS) < peak(30) + 256 * 1024
    assert peak(10 * SIXTEEN_DAYS) < peak(30) + 1024 * 1024


def test_stored_facts_round_trip():
    facts = stored.forecast_of(FACTS)
    assert stored.forecast_doc(facts) == {
        **FACTS,
        "horizontes": {
            name: {"modelo": None, "emitido_en": None, **h}
            for name, h in FACTS["horizontes"].items()
        },
    }
