"""Farm variables over HTTP (issue 14): derived consensus, daily summaries, per-request limits."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.fakes import FakeProvider
from tests.unit.http.test_current_queries import BOGOTA, build, post
from tests.unit.http.test_downloads import csv_table, download
from tests.unit.http.test_history_queries import _days_ago, _history

HOT = {"temperatura": 30.0, "humedad_relativa": 60.0}


def cold_night(instant):
    """-1 °C at 5 h local, 18 °C in the afternoon, dry and calm at dawn."""
    hour = instant.hour
    temperature = -1.0 if hour == 5 else 18.0 if 12 <= hour < 16 else 6.0
    return {"temperatura": temperature, "humedad_relativa": 60.0, "velocidad_viento": 2.0}


def test_current_ith_of_a_hot_humid_lowland_is_peligro_and_says_how_it_was_made(container):
    client, auth, _ = build(container, [FakeProvider(n, HOT) for n in ("a", "b", "c")])
    result = post(client, auth, **BOGOTA, parametros=["ith", "punto_de_rocio"])
    assert result.status_code == 201, result.json
    consensus = result.json["datos"]["consenso"]
    assert set(consensus) == {"ith", "punto_de_rocio"}  # the inputs are not shown
    ith = consensus["ith"]
    assert round(ith["valor"], 2) == 79.84 and ith["categoria"] == "peligro"
    assert ith["unidad"] == "" and ith["n_fuentes"] == 3
    assert ith["procedencia"][0] == {
        "fuente": "a",
        "tipo": "derivado",
        "metodo": "nrc_1971",
        "tipo_entradas": "modelo",
    }
    assert round(consensus["punto_de_rocio"]["valor"], 2) == 21.39
    assert consensus["punto_de_rocio"]["unidad"] == "°C"


def test_a_default_current_query_is_unchanged(container):
    client, auth, _ = build(container, [FakeProvider("a", HOT)])
    result = post(client, auth, **BOGOTA)
    assert result.status_code == 201
    assert not {"ith", "punto_de_rocio", "et0"} & set(result.json["datos"]["consenso"])


def test_daily_quantities_in_a_current_query_are_a_clear_400(container):
    client, auth, _ = build(container, [FakeProvider("a", HOT)])
    result = post(client, auth, **BOGOTA, parametros=["temperatura", "grados_dia"])
    assert result.status_code == 400
    assert result.json["error"] == "validacion"
    assert result.json["detalles"] == {"parametros": "solo_diarios"}


def test_hourly_history_carries_a_farm_day_per_local_day(container, clock):
    client, auth, _ = build(container, [FakeProvider("a", daily=cold_night)])
    day = _days_ago(clock, 2)
    result = _history(
        client, auth, fecha_inicio=day, fecha_fin=day, granularidad="horaria",
        parametros=["ith", "et0", "grados_dia", "riesgo_helada"],
    )  # fmt: skip
    assert result.status_code == 201, result.json
    body = result.json
    assert len(body["serie"]) == 24 and set(body["serie"][0]["consenso"]) == {"ith"}
    (farm_day,) = body["resumen_diario"]
    assert farm_day["fecha"] == day
    assert sum(farm_day["horas_ith"].values()) == 24 and farm_day["horas_ith"]["normal"] == 24
    assert farm_day["horas_alivio_nocturno"] == 12
    assert farm_day["grados_dia"] == 4.0  # (18 + max(-1, 10))/2 - 10
    assert farm_day["grados_dia_acumulados"] == 4.0
    assert farm_day["et0"] > 0
    assert farm_day["riesgo_helada"] == "alto"  # minimum -1 °C


def test_daily_history_has_et0_and_degree_days_per_day_and_no_daily_summary(container, clock):
    extremes = {"temperatura_max": 32.0, "temperatura_min": 18.0}
    client, auth, _ = build(container, [FakeProvider(n, extremes) for n in ("a", "b")])
    start, end = _days_ago(clock, 3), _days_ago(clock, 1)
    result = _history(
        client, auth, fecha_inicio=start, fecha_fin=end, granularidad="diaria",
        parametros=["et0", "grados_dia"],
    )  # fmt: skip
    assert result.status_code == 201, result.json
    body = result.json
    assert "resumen_diario" not in body
    for point in body["serie"]:
        assert point["consenso"]["grados_dia"]["valor"] == 14.0  # AGRO.md: 32 / 18 -> 14.0
        assert point["consenso"]["grados_dia"]["unidad"] == "°C·día"
        assert point["consenso"]["et0"]["unidad"] == "mm/día"
        assert point["consenso"]["et0"]["procedencia"][0]["metodo"] == "hargreaves_samani"
    assert body["resumen"]["grados_dia"]["promedio"] == 14.0


def test_degree_day_limits_can_be_chosen_per_request(container, clock):
    client, auth, _ = build(container, [FakeProvider("a", {"temperatura_max": 20.0,
                                                           "temperatura_min": 5.0})])  # fmt: skip
    day = _days_ago(clock, 2)
    result = _history(
        client, auth, fecha_inicio=day, fecha_fin=day, parametros=["grados_dia"],
        grados_dia_base=5, grados_dia_tope=25,
    )  # fmt: skip
    assert result.status_code == 201, result.json
    assert result.json["serie"][0]["consenso"]["grados_dia"]["valor"] == 7.5
    params = result.json["consulta"]["parametros_solicitados"]
    assert (params["grados_dia_base"], params["grados_dia_tope"]) == (5, 25)


@pytest.mark.parametrize(
    "limits", [{"grados_dia_base": 30, "grados_dia_tope": 20}, {"grados_dia_base": "diez"}]
)
def test_bad_degree_day_limits_are_a_400(container, clock, limits):
    client, auth, _ = build(container, [FakeProvider("a", {"temperatura_max": 20.0})])
    day = _days_ago(clock, 2)
    result = _history(client, auth, fecha_inicio=day, fecha_fin=day, parametros=["grados_dia"],
                      **limits)  # fmt: skip
    assert result.status_code == 400
    assert result.json["error"] == "validacion"


def _farm_history(client, auth, clock):
    extremes = {"temperatura_max": 32.0, "temperatura_min": 18.0, "temperatura": 25.0}
    build_result = _history(
        client, auth, fecha_inicio=_days_ago(clock, 3), fecha_fin=_days_ago(clock, 1),
        granularidad="diaria", parametros=["temperatura", "et0", "grados_dia"],
    )  # fmt: skip
    assert build_result.status_code == 201, build_result.json
    return build_result.json["consulta"]["id"], extremes


@pytest.mark.parametrize("fmt", ["json", "csv", "txt", "yaml"])
def test_past_daily_et0_and_degree_days_are_in_every_download_format(container, clock, fmt):
    extremes = {"temperatura_max": 32.0, "temperatura_min": 18.0, "temperatura": 25.0}
    client, auth, _ = build(container, [FakeProvider(n, extremes) for n in ("a", "b")])
    query_id, _ = _farm_history(client, auth, clock)
    result = download(client, auth, query_id, formato=fmt)
    assert result.status_code == 200, result.text
    body = result.text
    et0 = [f"{round(v, 4):g}" for v in stored_et0(client, auth, query_id)]
    if fmt in ("json", "yaml"):
        doc = json.loads(body) if fmt == "json" else yaml.safe_load(body)
        assert doc["exportacion"]["unidades"]["et0"] == "mm/día"
        assert doc["exportacion"]["unidades"]["grados_dia"] == "°C·día"
        methods = doc["exportacion"]["metodos"]
        assert "Hargreaves-Samani" in methods["et0"]
        assert "base 10 °C, tope 30 °C" in methods["grados_dia"]
        assert set(methods) == {"et0", "grados_dia"}  # temperature is not derived
        assert len(doc["serie"]) == 3
        for point in doc["serie"]:
            assert point["consenso"]["grados_dia"]["valor"] == 14.0
            assert point["consenso"]["et0"]["procedencia"][0]["tipo"] == "derivado"
    elif fmt == "csv":
        meta, table = csv_table(body)
        assert ["et0", "mm/día"] in meta["unidad"] and ["grados_dia", "°C·día"] in meta["unidad"]
        assert {m[0] for m in meta["metodo"]} == {"et0", "grados_dia"}
        assert table[0] == ["instante", "temperatura (°C)", "et0 (mm/día)", "grados_dia (°C·día)"]
        assert len(table) == 1 + 3
        assert [row[1:] for row in table[1:]] == [["25", e, "14"] for e in et0]
    else:
        assert "MÉTODOS" in body and "Hargreaves-Samani" in body
        assert "et0 (mm/día)" not in body  # TXT titles are names; units go in each cell
        rows = [line for line in body.splitlines() if line.startswith("20")]
        assert len(rows) == 3
        for row, e in zip(rows, et0, strict=True):
            assert row.split()[1:] == ["25", "°C", e, "mm/día", "14", "°C·día"]
        assert "Total: 3 instantes" in body


def stored_et0(client, auth, query_id) -> list[float]:
    stored = client.simulate_get(f"/api/consultas/{query_id}", headers=auth).json
    values = [p["consenso"]["et0"]["valor"] for p in stored["serie"]]
    assert len(set(values)) == 3 and min(values) > 0  # three days of the year, three Ra
    return values


def test_a_classic_download_has_no_methods_block(container, clock):
    client, auth, _ = build(container, [FakeProvider("a", {"temperatura": 12.0})])
    result = _history(client, auth, fecha_inicio=_days_ago(clock, 2), fecha_fin=_days_ago(clock, 1),
                      parametros=["temperatura"])  # fmt: skip
    meta, _ = csv_table(download(client, auth, result.json["consulta"]["id"], formato="csv").text)
    assert "metodo" not in meta
