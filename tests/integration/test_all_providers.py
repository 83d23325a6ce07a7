"""With keys, all four providers answer from a loopback server (their real sample payloads)
and the consensus shows each one's part."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from dependency_injector import providers
from falcon import testing

from adapters.providers.http_client import ProviderHttp
from adapters.providers.meteoblue import MeteoblueProvider
from adapters.providers.meteosource import MeteosourceProvider
from adapters.providers.open_meteo import OpenMeteoProvider
from adapters.providers.openweathermap import OpenWeatherMapProvider
from climaguru.app import create_app
from tests.conftest import app_env, container_of, serve_samples
from tests.unit.http.helpers import bearer, register

SERVED = {
    "/v1/forecast": "open-meteo/public-forecast-current-meteofrance-kmh.json",
    "/data/2.5/weather": "openweathermap/current-2.5-zocca-docs-example.json",
    "/packages/basic-1h": "meteoblue/packages-basic-1h-forecast_days1-minsk-timestamp_ms.json",
    "/api/v1/flexi/point": "meteosource/point-flexi-all-sections-london.json",
}
# The samples were recorded at different moments; Meteoblue picks the row of "now".
MINSK_SAMPLE_NOW = datetime(2025, 10, 14, 9, 26, tzinfo=UTC)


@pytest.fixture
def client(httpserver, tmp_path):
    serve_samples(httpserver, SERVED)
    env = app_env(
        CLIMAGURU_DATA_DIR=str(tmp_path),
        OPENWEATHER_API_KEY="sistema-owm-1234",
        METEOBLUE_API_KEY="sistema-mb-5678",
        METEOSOURCE_API_KEY="sistema-ms-9012",
        METEOSOURCE_TIER="flexi",
    )
    container = container_of(env)
    from climaguru.container import use_memory

    use_memory(container)
    origin = httpserver.url_for("").rstrip("/")

    def http(name: str) -> ProviderHttp:
        return ProviderHttp(name, origin, timeout=3.0)

    container.weather_providers.override(
        providers.Object(
            {
                "open_meteo": OpenMeteoProvider(http("open_meteo"), http("open_meteo")),
                # The OWM docs sample is in Kelvin (units=standard).
                "openweathermap": OpenWeatherMapProvider(http("owm"), units="standard"),
                "meteoblue": MeteoblueProvider(http("meteoblue"), clock=lambda: MINSK_SAMPLE_NOW),
                "meteosource": MeteosourceProvider(http("meteosource"), tier="flexi"),
            }
        )
    )
    return testing.TestClient(create_app(container)), httpserver


def test_all_four_providers_contribute_with_system_keys(client):
    app, server = client
    auth = bearer(register(app, "con_claves")["access_token"])
    result = app.simulate_post(
        "/api/consultas/tiempo-real", json={"latitud": 4.61, "longitud": -74.08}, headers=auth
    )
    assert result.status_code == 201, result.json
    datos = result.json["datos"]
    assert {n: p["estado"] for n, p in datos["proveedores"].items()} == dict.fromkeys(
        ("open_meteo", "openweathermap", "meteoblue", "meteosource"), "ok"
    )
    temp = datos["consenso"]["temperatura"]
    assert temp["fuentes"] == ["meteoblue", "meteosource", "open_meteo", "openweathermap"]
    readings = [8.8, 298.48 - 273.15, 5.29, 19.8]
    assert (temp["min"], temp["max"]) == (
        pytest.approx(min(readings)),
        pytest.approx(max(readings)),
    )
    assert temp["valor"] == pytest.approx(sum(readings) / 4)
    assert datos["proveedores"]["openweathermap"]["valores"]["temperatura"] == pytest.approx(25.33)
    pressure = datos["consenso"]["presion_atmosferica"]
    assert pressure["fuentes"] == ["meteoblue", "meteosource", "openweathermap"]
    assert {"fuente": "open_meteo", "motivo": "sin_dato"} in pressure["descartadas"]
    keys_sent = {
        r.path: r.args.get("appid") or r.args.get("apikey") or r.args.get("key")
        for r, _ in server.log
    }
    assert keys_sent["/data/2.5/weather"] == "sistema-owm-1234"
    assert keys_sent["/packages/basic-1h"] == "sistema-mb-5678"
    assert keys_sent["/api/v1/flexi/point"] == "sistema-ms-9012"
    assert "sistema-" not in result.text
