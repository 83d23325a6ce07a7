"""The weather upstream on 127.0.0.1 (real provider samples) and the app wired to it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from dependency_injector import providers
from falcon import testing
from pytest_httpserver import HTTPServer

from climaguru.app import create_app
from climaguru.container import Container, use_memory
from tests.conftest import FakeClock, app_env, container_of, open_meteo_at, serve_samples

ROUTES = {
    "/v1/search": "open-meteo/frenck-geocoding-enschede.json",
    "/v1/forecast": "open-meteo/public-forecast-current-meteofrance-kmh.json",
    "/v1/archive": "open-meteo/frenck-archive-historical_weather.json",
    "/data/2.5/weather": "openweathermap/current-2.5-zocca-docs-example.json",
    "/data/3.0/onecall/day_summary": "openweathermap/public-onecall-3.0-day_summary-2024-09-26-standard.json",  # noqa: E501
    "/data/3.0/onecall/timemachine": "openweathermap/public-onecall-3.0-timemachine-paris-2023-03-21.json",  # noqa: E501
}
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
# Tokens are checked by PyJWT against the real time: long lives keep the fixed-clock ones valid.
TWENTY_YEARS = str(20 * 365 * 86400)


@contextmanager
def golden_app(
    data_dir: Path, database_url: str | None = None
) -> Iterator[tuple[testing.TestClient, Container, FakeClock]]:
    """The app on memory adapters (or on `database_url`, already migrated), a fixed clock;
    Open-Meteo and OpenWeatherMap served here."""
    upstream = HTTPServer(host="127.0.0.1", port=0)
    serve_samples(upstream, ROUTES)
    upstream.start()
    container = None
    try:
        origin = upstream.url_for("").rstrip("/")
        env = app_env(
            CLIMAGURU_DATA_DIR=str(data_dir),
            PROVIDERS_ENABLED="open_meteo,openweathermap",
            OPENWEATHER_BASE_URL=origin,
            **open_meteo_at(origin),
            PROVIDER_CACHE="memory",
            PROVIDER_TIMEOUT="2",
            QUERY_DEADLINE="4",
            LOGIN_MAX_FAILURES="3",
            MAX_BODY_BYTES="4096",
            JWT_ACCESS_TOKEN_EXPIRES=TWENTY_YEARS,
            JWT_REFRESH_TOKEN_EXPIRES=TWENTY_YEARS,
            **({"DATABASE_URL": database_url} if database_url else {}),
        )
        container = container_of(env)
        if database_url is None:
            use_memory(container)
        clock = FakeClock(START)
        container.clock.override(providers.Object(clock))
        yield testing.TestClient(create_app(container)), container, clock
    finally:
        if container is not None and database_url is not None:
            container.engine().dispose()
        upstream.clear()
        upstream.stop()
