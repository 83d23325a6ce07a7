"""Builds the provider adapters, the geocoder and the system credentials from settings."""

from __future__ import annotations

from typing import Any

from adapters.providers.http_client import ProviderHttp, make_session
from adapters.providers.ideam import IdeamProvider
from adapters.providers.meteoblue import MeteoblueProvider
from adapters.providers.meteosource import MeteosourceProvider
from adapters.providers.open_meteo import OpenMeteoGeocoder, OpenMeteoProvider
from adapters.providers.openweathermap import OpenWeatherMapProvider
from adapters.providers.redis_cache import RedisBreaker, ResilientRedisCache, redis_connection
from adapters.providers.siata import SiataProvider
from climaguru.provider_settings import ProviderSettings
from domain.model.readings import Credentials
from ports.providers import WeatherProvider


def _redis_backend(url: str, namespace: str) -> ResilientRedisCache:
    """One Redis client and breaker per process, shared by every provider's session."""
    if url not in _redis_clients:
        _redis_clients[url] = (redis_connection(url), RedisBreaker())
    connection, breaker = _redis_clients[url]
    return ResilientRedisCache(connection, namespace, breaker)


_redis_clients: dict[str, tuple[Any, RedisBreaker]] = {}


def _cache(settings: ProviderSettings) -> dict[str, Any] | None:
    if settings.cache_backend == "none":
        return None
    if settings.cache_backend == "memory":
        return {"backend": "memory"}
    if settings.cache_backend == "redis":
        assert settings.cache_url is not None
        return {"backend": _redis_backend(settings.cache_url, settings.cache_namespace)}
    settings.cache_path.parent.mkdir(parents=True, exist_ok=True)
    return {"backend": "sqlite", "cache_name": str(settings.cache_path), "wal": True}


def _http(settings: ProviderSettings, name: str, origin_var: str) -> ProviderHttp:
    return ProviderHttp(
        name,
        settings.origins[origin_var],
        timeout=settings.timeout,
        session=make_session(_cache(settings), pool_size=settings.pool_size),
        max_bytes=settings.max_response_bytes,
    )


def build_providers(settings: ProviderSettings) -> dict[str, WeatherProvider]:
    """The enabled providers, in the configured order."""
    makers = {
        "open_meteo": lambda: OpenMeteoProvider(
            _http(settings, "open_meteo", "OPENMETEO_FORECAST_URL"),
            _http(settings, "open_meteo", "OPENMETEO_ARCHIVE_URL"),
        ),
        "openweathermap": lambda: OpenWeatherMapProvider(
            _http(settings, "openweathermap", "OPENWEATHER_BASE_URL")
        ),
        "meteoblue": lambda: MeteoblueProvider(_http(settings, "meteoblue", "METEOBLUE_BASE_URL")),
        "meteosource": lambda: MeteosourceProvider(
            _http(settings, "meteosource", "METEOSOURCE_BASE_URL"), tier=settings.meteosource_tier
        ),
        "ideam": lambda: IdeamProvider(
            _http(settings, "ideam", "IDEAM_BASE_URL"),
            app_token=settings.ideam_app_token,
            radius_km=settings.ideam_radius_km,
            max_age_hours=settings.observation_max_age_hours,
        ),
        "siata": lambda: SiataProvider(
            _http(settings, "siata", "SIATA_BASE_URL"),
            radius_km=settings.siata_radius_km,
            max_age_hours=settings.observation_max_age_hours,
        ),
    }
    return {name: makers[name]() for name in settings.enabled}


def build_geocoder(settings: ProviderSettings) -> OpenMeteoGeocoder:
    return OpenMeteoGeocoder(_http(settings, "open_meteo_geocoding", "OPENMETEO_GEOCODING_URL"))


def system_credentials(settings: ProviderSettings) -> dict[str, Credentials]:
    """The keys from the environment, by provider (used when a user has none of their own)."""
    found = {}
    if settings.openweather_api_key:
        found["openweathermap"] = Credentials(settings.openweather_api_key)
    if settings.meteoblue_api_key:
        found["meteoblue"] = Credentials(settings.meteoblue_api_key, settings.meteoblue_api_secret)
    if settings.meteosource_api_key:
        found["meteosource"] = Credentials(settings.meteosource_api_key)
    return found
