"""No keys configured: current and historical queries against Open-Meteo-shaped answers served
from a loopback HTTP server, through the real adapters and the app, on SQLite and MariaDB."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from falcon import testing

from adapters.sql.tables import consultas, datos_clima, series_clima
from climaguru.app import create_app
from tests.conftest import app_env, container_of, open_meteo_at
from tests.unit.http.helpers import bearer, register

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "provider-samples" / "open-meteo"


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def app_client(sql_url, httpserver, tmp_path):
    origin = httpserver.url_for("").rstrip("/")
    env = app_env(
        DATABASE_URL=sql_url,
        CLIMAGURU_DATA_DIR=str(tmp_path),
        **open_meteo_at(origin),
        PROVIDER_CACHE="sqlite",
        PROVIDER_TIMEOUT="2",
        QUERY_DEADLINE="4",
    )
    container = container_of(env)
    client = testing.TestClient(create_app(container))
    yield client, container, sa.create_engine(sql_url)
    container.engine().dispose()


def _json(httpserver, path: str, sample: str) -> None:
    httpserver.expect_request(path).respond_with_data(
        _sample(sample), content_type="application/json"
    )


def test_current_query_by_city_with_no_keys(app_client, httpserver):
    client, _, engine = app_client
    _json(httpserver, "/v1/search", "frenck-geocoding-enschede.json")
    _json(httpserver, "/v1/forecast", "public-forecast-current-meteofrance-kmh.json")
    auth = bearer(register(client, "sin_claves")["access_token"])
    result = client.simulate_post(
        "/api/consultas/tiempo-real", json={"ciudad": "Enschede"}, headers=auth
    )
    assert result.status_code == 201, result.json
    body = result.json
    assert body["ubicacion"]["ciudad"] == "Enschede"
    consensus = body["datos"]["consenso"]
    assert consensus["temperatura"]["valor"] == 8.8
    assert consensus["temperatura"]["fuentes"] == ["open_meteo"]
    assert consensus["humedad_relativa"]["valor"] == 87
    assert consensus["precipitacion"]["valor"] == 0.3
    assert consensus["velocidad_viento"]["valor"] == 28.8
    assert consensus["descripcion_clima"]["valor"] == 63
    providers = body["datos"]["proveedores"]
    for keyed in ("openweathermap", "meteoblue", "meteosource"):
        assert providers[keyed] == {"estado": "error", "motivo": "sin_clave", "codigo": "sin_clave"}
    assert {"fuente": "meteoblue", "motivo": "sin_clave"} in consensus["temperatura"]["descartadas"]
    with engine.connect() as conn:
        row = conn.execute(sa.select(consultas)).one()
        assert row.estado == "completada" and row.ciudad == "Enschede"
        assert row.respuesta_api["open_meteo"]["valores"]["temperatura"] == 8.8
        assert (
            float(conn.execute(sa.select(datos_clima.c.temperatura_promedio)).scalar_one()) == 8.8
        )
    forecast = [r for r, _ in httpserver.log if r.path == "/v1/forecast"]
    assert len(forecast) == 1
    assert forecast[0].args["latitude"] == "52.22"


def test_historical_daily_query_with_no_keys(app_client, httpserver):
    client, _, engine = app_client
    _json(httpserver, "/v1/archive", "frenck-archive-historical_weather.json")
    auth = bearer(register(client, "historiadora")["access_token"])
    result = client.simulate_post(
        "/api/consultas/historico",
        json={
            "latitud": 52.26713,
            "longitud": 6.820702,
            "ciudad": "Enschede",
            "fecha_inicio": "1953-01-31",
            "fecha_fin": "1953-02-01",
            "granularidad": "diaria",
            "zona_horaria": "Europe/Amsterdam",
            "parametros": ["rafaga_viento", "precipitacion"],
        },
        headers=auth,
    )
    assert result.status_code == 201, result.json
    body = result.json
    assert [p["instante"] for p in body["serie"]] == [
        "1953-01-31T00:00:00+01:00",
        "1953-02-01T00:00:00+01:00",
    ]
    gusts = [p["consenso"]["rafaga_viento"]["valor"] for p in body["serie"]]
    assert gusts == [89.6, 84.2]
    assert body["resumen"]["rafaga_viento"]["max"] == 89.6
    assert body["proveedores"]["open_meteo"]["tipo"] == "reanalisis"
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(series_clima)).scalar() == 2
    detail = client.simulate_get(f"/api/consultas/{body['consulta']['id']}", headers=auth).json
    assert detail["serie"] == body["serie"]
