"""Builds the provider adapters, the geocoder and the system credentials from settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from adapters.providers import registry
from adapters.providers.adapter import Forecasting
from adapters.providers.http_client import ProviderHttp, make_session
from adapters.providers.open_meteo_geocoding import OpenMeteoGeocoder
from adapters.providers.redis_cache import RedisBreaker, ResilientRedisCache, redis_connection
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


def _build(
    settings: ProviderSettings,
    spec: registry.ProviderSpec,
    clock: Callable[[], datetime] | None,
) -> WeatherProvider:
    def http(origin: registry.Origin) -> ProviderHttp:
        return _http(settings, spec.name, origin.setting)

    options = settings.options[spec.name]
    provider = spec.build(http, {**options, "clock": clock} if clock else options)
    if isinstance(provider, Forecasting):
        provider.forecast_ttl = settings.forecast_ttl
    return provider


def build_providers(
    settings: ProviderSettings, clock: Callable[[], datetime] | None = None
) -> dict[str, WeatherProvider]:
    """The enabled providers, in the configured order; `clock` (the container's) is their
    "now" too (today's offset, recent days, horizons), so a fixed clock fixes all of them."""
    return {name: _build(settings, registry.spec_of(name), clock) for name in settings.enabled}


def build_geocoder(settings: ProviderSettings) -> OpenMeteoGeocoder:
    return OpenMeteoGeocoder(_http(settings, "open_meteo_geocoding", registry.GEOCODING.setting))


def system_credentials(settings: ProviderSettings) -> dict[str, Credentials]:
    """The keys from the environment, by provider (used when a user has none of their own)."""
    return {name: Credentials(key, secret) for name, (key, secret) in settings.system_keys.items()}
