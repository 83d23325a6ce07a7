"""GET /api/consultas/{id}/descargar over the in-memory container: formats, headers, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from domain.model.consensus import Reason
from domain.model.users import Role
from tests.fakes import FakeProvider
from tests.unit.http.helpers import bearer, register, register_as
from tests.unit.http.test_current_queries import BOGOTA, build, three_models
from tests.unit.http.test_history_queries import _days_ago, _history

VARIABLES = ["temperatura", "precipitacion", "direccion_viento"]
TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
}


def download(client, auth, query_id, **params):
    return client.simulate_get(f"/api/consultas/{query_id}/descargar", params=params, headers=auth)


def current_query(client, auth, **body) -> int:
    result = client.simulate_post(
        "/api/consultas/tiempo-real", json={**BOGOTA, "parametros": VARIABLES, **body}, headers=auth
    )
    assert result.status_code == 201, result.json
    return result.json["consulta"]["id"]


def history_query(client, auth, clock, days: int = 3, **body) -> int:
    start, end = _days_ago(clock, days), _days_ago(clock, 1)
    result = _history(client, auth, fecha_inicio=start, fecha_fin=end, parametros=VARIABLES, **body)
    assert result.status_code == 201, result.json
    return result.json["consulta"]["id"]


def csv_table(text: str, separator: str = ",") -> tuple[dict[str, list[str]], list[list[str]]]:
    """(header block by key, data table with its title row first)."""
    records = list(
        csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=separator)
    )
    blank = next(i for i, r in enumerate(records) if not any(r))
    meta = {}
    for record in records[:blank]:
        meta.setdefault(record[0], []).append([c for c in record[1:] if c])
    return meta, [r for r in records[blank + 1 :]]


@pytest.mark.parametrize("fmt", ["json", "csv", "txt", "yaml"])
def test_every_format_downloads_for_a_current_query(container, fmt):
    client, auth, _ = build(container, three_models())
    query_id = current_query(client, auth)
    result = download(client, auth, query_id, formato=fmt)
    assert result.status_code == 200, result.text
    assert result.headers["content-type"] == TYPES[fmt]
    assert (
        result.headers["content-disposition"] == f"attachment; filename=consulta_{query_id}.{fmt}"
    )
    assert "14.2" in result.text or "14,2" in result.text


@pytest.mark.parametrize("fmt", ["json", "csv", "txt", "yaml"])
def test_every_format_downloads_for_a_historical_query(container, clock, fmt):
    client, auth, _ = build(container, three_models())
    query_id = history_query(client, auth, clock, granularidad="horaria")
    result = download(client, auth, query_id, formato=fmt)
    assert result.status_code == 200, result.text
    assert result.headers["content-type"] == TYPES[fmt]
    assert result.headers["content-disposition"].endswith(f"consulta_{query_id}.{fmt}")
    body = result.text
    if fmt == "json":
        assert len(json.loads(body)["serie"]) == 72
    elif fmt == "yaml":
        assert yaml.safe_load(body)["serie_total"] == 72
    elif fmt == "csv":
        assert len(csv_table(body)[1]) == 1 + 72
    else:
        assert "Total: 72 instantes" in body


def test_the_query_format_is_the_default_and_formato_overrides_it(container):
    client, auth, _ = build(container, three_models())
    query_id = current_query(client, auth, formato="yaml")
    default = download(client, auth, query_id)
    assert default.headers["content-type"].startswith("application/yaml")
    assert default.headers["content-disposition"].endswith(".yaml")
    assert yaml.safe_load(default.text)["exportacion"]["consulta_id"] == query_id
    override = download(client, auth, query_id, formato="csv")
    assert override.headers["content-disposition"].endswith(f"consulta_{query_id}.csv")


def test_current_csv_has_header_block_and_one_row_per_variable(container):
    fakes = [*three_models(), FakeProvider("roto", fail=(Reason.ERROR, "http_500"))]
    client, auth, _ = build(container, fakes)
    query_id = current_query(client, auth, formato="csv")
    meta, table = csv_table(download(client, auth, query_id).text)
    assert meta["consulta_id"] == [[str(query_id)]]
    assert meta["tipo_consulta"] == [["tiempo_real"]]
    assert meta["latitud"] == [["4.61"]] and meta["longitud"] == [["-74.08"]]
    assert ["temperatura", "°C"] in meta["unidad"] and ["precipitacion", "mm"] in meta["unidad"]
    assert meta["fuentes_utilizadas"] == [["a", "b", "c"]]
    assert meta["fuente_rechazada"] == [["roto", "error (http_500)"]]
    assert {"zona_horaria", "instante_datos", "generado_en", "decimales"} <= set(meta)
    assert table[0] == [
        "variable",
        "valor",
        "unidad",
        "min",
        "max",
        "desviacion",
        "n_fuentes",
        "fuentes",
    ]
    rows = {r[0]: r for r in table[1:]}
    assert list(rows) == ["temperatura", "direccion_viento", "precipitacion"]
    assert rows["temperatura"] == [
        "temperatura",
        "14.2",
        "°C",
        "14",
        "14.4",
        "0.1633",
        "3",
        "a (modelo), b (modelo), c (modelo)",  # each source says what it is
    ]
    assert rows["precipitacion"][1] == "0"  # zero is 0, not empty
    assert (
        len({len(r) for r in csv.reader(io.StringIO(download(client, auth, query_id).text))}) == 1
    )


def test_semicolon_csv_uses_decimal_commas_and_a_bom(container):
    client, auth, _ = build(container, three_models())
    query_id = current_query(client, auth)
    result = download(client, auth, query_id, formato="csv", separador=";")
    assert result.status_code == 200
    assert result.content.startswith("\ufeff".encode())
    meta, table = csv_table(result.text, ";")
    assert meta["longitud"] == [["-74,08"]]
    temperature = next(r for r in table if r[0] == "temperatura")
    assert temperature[1:6] == ["14,2", "°C", "14", "14,4", "0,1633"]


def test_history_csv_rows_are_local_instants_with_units_in_titles(container, clock):
    client, auth, _ = build(container, three_models())
    query_id = history_query(client, auth, clock, days=2, granularidad="horaria")
    meta, table = csv_table(download(client, auth, query_id, formato="csv").text)
    assert meta["zona_horaria"] == [["America/Bogota"]]
    assert meta["granularidad"] == [["horaria"]]
    assert table[0] == [
        "instante",
        "temperatura (°C)",
        "direccion_viento (°)",
        "precipitacion (mm)",
    ]
    assert table[1][0] == f"{_days_ago(clock, 2)}T00:00:00-05:00"
    assert table[1][1:] == ["14.2", "0", "0"]
    assert len(table) == 1 + 48


def test_detalle_fuentes_adds_a_column_per_provider_and_variable(container, clock):
    client, auth, _ = build(container, three_models())
    query_id = history_query(client, auth, clock, days=1)
    _, table = csv_table(download(client, auth, query_id, formato="csv", detalle="fuentes").text)
    titles = table[0]
    assert len(titles) == 1 + 3 + 3 * 3
    assert "temperatura [a] (°C)" in titles and "direccion_viento [c] (°)" in titles
    row = dict(zip(titles, table[1], strict=True))
    assert (row["temperatura [a] (°C)"], row["temperatura [b] (°C)"]) == ("14", "14.4")
    assert row["direccion_viento [c] (°)"] == ""  # c had no direction: missing, not 0
    doc = json.loads(download(client, auth, query_id, formato="json", detalle="fuentes").text)
    assert doc["serie"][0]["lecturas"]["b"]["temperatura"] == 14.4


def test_json_export_is_the_api_document_with_the_whole_series(container, clock):
    client, auth, _ = build(container, three_models())
    query_id = history_query(client, auth, clock, days=4)
    api = client.simulate_get(f"/api/consultas/{query_id}", headers=auth).json
    exported = json.loads(download(client, auth, query_id, formato="json").text)
    header = exported.pop("exportacion")
    assert exported == api
    assert header["consulta_id"] == query_id and header["unidades"]["temperatura"] == "°C"
    exported_yaml = yaml.safe_load(download(client, auth, query_id, formato="yaml").text)
    assert exported_yaml == {"exportacion": header, **api}


def test_txt_is_a_spanish_report_with_units_and_sin_dato(container):
    client, auth, _ = build(container, three_models())
    query_id = current_query(client, auth, formato="txt", parametros=[*VARIABLES, "nubosidad"])
    text = download(client, auth, query_id).text
    assert "REPORTE DE CONSULTA METEOROLÓGICA" in text and "Fuentes utilizadas" not in text
    assert "Utilizadas            a (modelo), b (modelo), c (modelo)" in text
    assert "valor                 14.2 °C" in text
    assert "valor                 0 mm" in text  # zero is a value
    assert "valor                 sin dato" in text  # nubosidad: nobody reported it
    assert "c: sin_dato" in text


def test_another_users_query_is_404_like_a_missing_one(container):
    client, auth, _ = build(container, three_models())
    query_id = current_query(client, auth)
    other = bearer(register(client, "otra")["access_token"])
    hidden = download(client, other, query_id)
    missing = download(client, other, 999_999)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json == {**missing.json, "request_id": hidden.json["request_id"]}
    assert hidden.json["error"] == "consulta_no_encontrada"
    assert "content-disposition" not in hidden.headers


def test_a_consultor_downloads_completed_queries_of_others(container):
    client, auth, _ = build(container, three_models())
    query_id = current_query(client, auth)
    viewer = register_as(client, container, "consultora", Role.VIEWER)
    result = download(client, bearer(viewer["access_token"]), query_id, formato="csv")
    assert result.status_code == 200


def test_a_query_that_is_not_completed_is_409(container):
    fakes = [FakeProvider("x", fail=(Reason.ERROR, "http_500"))]
    client, auth, _ = build(container, fakes)
    assert (
        client.simulate_post("/api/consultas/tiempo-real", json=BOGOTA, headers=auth).status_code
        == 502
    )
    query_id = client.simulate_get("/api/consultas/mis-consultas", headers=auth).json["consultas"][
        0
    ]["id"]
    result = download(client, auth, query_id)
    assert result.status_code == 409
    assert result.json["error"] == "consulta_no_completada"
    assert result.json["detalles"] == {"estado": "error"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"formato": "xml"}, "formato"),
        ({"formato": "JSON"}, "formato"),
        ({"separador": "|"}, "separador"),
        ({"separador": "\t"}, "separador"),
        ({"detalle": "todo"}, "detalle"),
    ],
)
def test_bad_options_are_400(container, params, field):
    client, auth, _ = build(container, three_models())
    query_id = current_query(client, auth)
    result = download(client, auth, query_id, **params)
    assert result.status_code == 400
    assert result.json["error"] == "validacion"
    assert field in result.json["detalles"]


def test_download_needs_a_token(container):
    client, auth, _ = build(container, three_models())
    query_id = current_query(client, auth)
    assert download(client, {}, query_id).status_code == 401


def test_formula_like_city_is_escaped_in_csv(container):
    client, auth, _ = build(container, three_models())
    query_id = current_query(client, auth, ciudad='=HYPERLINK("http://x")', formato="csv")
    meta, _ = csv_table(download(client, auth, query_id).text)
    assert meta["ciudad"] == [['\'=HYPERLINK("http://x")']]
    assert (
        json.loads(download(client, auth, query_id, formato="json").text)["consulta"]["ciudad"]
        == '=HYPERLINK("http://x")'
    )
