"""Farm indices in forecasts (issue 14, Done when): heat-stress and frost alerts end to end."""

from __future__ import annotations

import json

import pytest
import yaml

from domain.model.horizon import Horizon
from tests.fakes import FakeForecaster
from tests.unit.http.test_current_queries import BOGOTA, build
from tests.unit.http.test_downloads import csv_table, download

PATH = "/api/consultas/pronostico"
HOT = {"temperatura": 30.0, "humedad_relativa": 60.0}
FROST = {"temperatura": -1.0, "humedad_relativa": 90.0, "velocidad_viento": 3.0}


def pinned(clock, values, daily_values=None):
    """Every forecasting provider pinned to the same values, 16 days hourly and daily."""
    return [
        FakeForecaster(n, values, clock, Horizon(16, "dias"), Horizon(16, "dias"), daily_values)
        for n in ("open_meteo", "openweathermap", "meteoblue")
    ]


def forecast(client, auth, **body):
    result = client.simulate_post(PATH, json={**BOGOTA, "dias": 2, **body}, headers=auth)
    assert result.status_code == 201, result.json
    return result.json


def test_a_hot_humid_lowland_forecast_is_ith_79_84_peligro_with_an_alert(container, clock):
    client, auth, _ = build(container, pinned(clock, HOT))
    body = forecast(client, auth, parametros=["temperatura", "humedad_relativa", "ith"])
    for step in body["serie"]:
        ith = step["consenso"]["ith"]
        assert round(ith["valor"], 2) == 79.84 and ith["categoria"] == "peligro"
        assert ith["n_fuentes"] == 3 and ith["procedencia"][0]["tipo"] == "derivado"
    (alert,) = body["alertas"]
    assert (alert["tipo"], alert["nivel"], alert["variable"]) == (
        "estres_calorico",
        "peligro",
        "ith",
    )
    assert round(alert["pico"], 2) == 79.84
    assert alert["desde"] == body["serie"][0]["instante"]
    last = body["serie"][-1]["instante"]
    assert alert["hasta"] > last and "Estrés calórico" in alert["mensaje"]
    assert "resumen_diario" in body  # an hourly forecast that names ith has its farm days
    assert all(d["horas_ith"]["peligro"] > 0 for d in body["resumen_diario"])


def test_the_heat_alert_comes_even_when_no_farm_variable_is_asked(container, clock):
    client, auth, _ = build(container, pinned(clock, HOT))
    body = forecast(client, auth, parametros=["temperatura"])
    assert set(body["serie"][0]["consenso"]) == {"temperatura"}  # the ITH is not shown
    assert [a["nivel"] for a in body["alertas"]] == ["peligro"]
    assert "resumen_diario" not in body


def test_a_cold_high_plains_night_is_frost_risk_alto_with_an_alert(container, clock):
    client, auth, _ = build(container, pinned(clock, FROST))
    body = forecast(client, auth, parametros=["temperatura", "riesgo_helada"])
    complete = [d for d in body["resumen_diario"] if d["riesgo_helada"] is not None]
    assert complete and {d["riesgo_helada"] for d in complete} == {"alto"}
    (alert,) = body["alertas"]
    assert (alert["tipo"], alert["nivel"], alert["variable"]) == ("helada", "alto", "riesgo_helada")
    assert "no es un aviso oficial" in alert["mensaje"]
    assert alert["desde"] == f"{complete[0]['fecha']}T00:00:00-05:00"


def test_a_daily_forecast_of_a_freezing_minimum_is_alto_with_an_alert(container, clock):
    days = {"temperatura_min": -0.5, "temperatura_max": 12.0}
    client, auth, _ = build(container, pinned(clock, FROST, days))
    body = forecast(client, auth, granularidad="diaria", parametros=["riesgo_helada", "et0"])
    for step in body["serie"]:
        risk = step["consenso"]["riesgo_helada"]
        assert (risk["valor"], risk["categoria"], risk["unidad"]) == (3, "alto", "nivel")
        assert step["consenso"]["et0"]["valor"] > 0
    (alert,) = body["alertas"]
    assert alert["tipo"] == "helada" and alert["nivel"] == "alto" and alert["pico"] == 3.0
    assert alert["desde"] == body["serie"][0]["instante"]


def test_a_mild_forecast_has_no_alert(container, clock):
    client, auth, _ = build(
        container, pinned(clock, {"temperatura": 20.0, "humedad_relativa": 70.0})
    )
    assert forecast(client, auth)["alertas"] == []


def test_the_alerts_are_kept_with_the_stored_forecast(container, clock):
    client, auth, _ = build(container, pinned(clock, HOT))
    body = forecast(client, auth, parametros=["ith"])
    stored = client.simulate_get(f"/api/consultas/{body['consulta']['id']}", headers=auth).json
    assert stored["alertas"] == body["alertas"]


@pytest.mark.parametrize("fmt", ["json", "csv", "txt", "yaml"])
def test_every_download_format_lists_the_alerts_in_its_header(container, clock, fmt):
    client, auth, _ = build(container, pinned(clock, HOT))
    body = forecast(client, auth, parametros=["temperatura", "ith"])
    (alert,) = body["alertas"]
    text = download(client, auth, body["consulta"]["id"], formato=fmt).text
    line = f"peligro {alert['desde']}..{alert['hasta']} pico 79.84"
    if fmt == "csv":
        meta, table = csv_table(text)
        assert meta["alerta"] == [["estres_calorico", line]]
        assert [t for t in table[0] if t] == ["instante", "temperatura (°C)", "ith"]
        assert {m[0] for m in meta["metodo"]} == {"ith"}
    elif fmt == "txt":
        assert "ALERTAS" in text and line in text and "MÉTODOS" in text
    else:
        doc = json.loads(text) if fmt == "json" else yaml.safe_load(text)
        assert doc["exportacion"]["alertas"] == body["alertas"]
        assert "nrc_1971" not in doc["exportacion"]["metodos"]["ith"]  # said for people
        assert "NRC (1971)" in doc["exportacion"]["metodos"]["ith"]
