"""ClimaGuru on 127.0.0.1 for the browser tests, its providers served from recorded samples.

Open-Meteo answers geocoding (Enschede) and its ERA5 archive (1953-01-31, three hours) byte for
byte. Meteosource answers `time_machine` with its recorded Prague day whose `date` stamps are
moved by whole days onto the asked `date=` (values unchanged, as bench/fanout/fake_providers.py
moves Meteoblue's), so two providers overlap on three hours and the consensus has a spread.
Forecasts (Open-Meteo, OpenWeatherMap One Call, Meteosource `point`) come from
tests/e2e/console_forecast.py: a hot lowland week, each provider within its own horizon.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from climaguru.app import create_app
from climaguru.container import Container, use_memory
from climaguru.settings import load_settings
from domain.model.users import Role
from tests.conftest import app_env, serve_samples
from tests.e2e import console_forecast
from tests.e2e.loopback import serving

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "provider-samples"
PASSWORD = "Lluvia-en-Medellin-77"


def _time_machine(request: Request) -> Response:
    day = request.args.get("date", "2020-10-01")
    body = json.loads((SAMPLES / "meteosource/time_machine-prague-2020-10-01.json").read_text())
    for item in body["data"]:
        item["date"] = item["date"].replace("2020-10-01", day)
    return Response(json.dumps(body), content_type="application/json")


def _upstream() -> HTTPServer:
    server = HTTPServer(host="127.0.0.1", port=0)
    fixed = {
        "/v1/search": "open-meteo/frenck-geocoding-enschede.json",
        "/v1/archive": "open-meteo/frenck-archive-historical_weather.json",
    }
    serve_samples(server, fixed)
    current = (SAMPLES / "open-meteo/public-forecast-current-meteofrance-kmh.json").read_bytes()
    server.expect_request("/v1/forecast").respond_with_handler(
        lambda request: console_forecast.open_meteo(request, current)
    )
    server.expect_request("/api/v1/standard/time_machine").respond_with_handler(_time_machine)
    server.expect_request("/api/v1/standard/point").respond_with_handler(
        console_forecast.meteosource
    )
    server.expect_request("/data/3.0/onecall").respond_with_handler(console_forecast.openweathermap)
    server.start()
    return server


@contextmanager
def console_server(data_dir: Path, **extra: str) -> Iterator[tuple[str, Container]]:
    """(base URL, container) of a ClimaGuru serving /consola and /api on a loopback port."""
    upstream = _upstream()
    origin = upstream.url_for("").rstrip("/")
    env = app_env(
        CLIMAGURU_DATA_DIR=str(data_dir),
        PROVIDERS_ENABLED="open_meteo,openweathermap,meteosource",
        OPENMETEO_FORECAST_URL=origin,
        OPENWEATHER_BASE_URL=origin,
        OPENWEATHER_API_KEY="clave-de-prueba-openweathermap",
        OPENMETEO_ARCHIVE_URL=origin,
        OPENMETEO_GEOCODING_URL=origin,
        METEOSOURCE_BASE_URL=origin,
        METEOSOURCE_TIER="standard",
        METEOSOURCE_API_KEY="clave-de-prueba-meteosource",
        PROVIDER_CACHE="memory",
        PROVIDER_TIMEOUT="2",
        QUERY_DEADLINE="4",
        **extra,
    )
    container = Container(settings=load_settings(env, env_file=None))
    use_memory(container)
    try:
        with serving(create_app(container)) as base:
            yield base, container
    finally:
        upstream.clear()
        upstream.stop()


def register_user(base: str, username: str) -> int:
    """A new operario registered through the API; its id."""
    body = {"username": username, "email": f"{username}@ejemplo.co", "password": PASSWORD}
    answer = requests.post(f"{base}/api/auth/register", json=body, timeout=10)
    answer.raise_for_status()
    return answer.json()["usuario"]["id"]


def register_admin(base: str, container: Container, username: str) -> None:
    """Register through the API, then make the account an admin in the store (as the CLI's
    create-admin would on a database)."""
    user_id = register_user(base, username)
    with container.uow() as uow:
        uow._store.users[user_id].role = Role.ADMIN
        uow.commit()
