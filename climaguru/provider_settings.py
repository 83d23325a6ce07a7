"""Provider settings (origins, keys, timeouts, cache, limits), parsed from the settings mapping.

Only climaguru.settings passes values in; this module never reads the environment itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

# Real origins; tests and benchmarks point these at 127.0.0.1.
DEFAULT_ORIGINS = {
    "OPENMETEO_FORECAST_URL": "https://api.open-meteo.com",
    "OPENMETEO_ARCHIVE_URL": "https://archive-api.open-meteo.com",
    "OPENMETEO_GEOCODING_URL": "https://geocoding-api.open-meteo.com",
    "OPENWEATHER_BASE_URL": "https://api.openweathermap.org",
    "METEOBLUE_BASE_URL": "https://my.meteoblue.com",
    "METEOSOURCE_BASE_URL": "https://www.meteosource.com",
    "IDEAM_BASE_URL": "https://www.datos.gov.co",
    "SIATA_BASE_URL": "https://siata.gov.co",
}
# In CLIMAGURU_ENV=testing an unset origin points at the discard port: nothing leaves the host.
TESTING_ORIGIN = "http://127.0.0.1:9"
PROVIDER_NAMES = ("open_meteo", "openweathermap", "meteoblue", "meteosource", "ideam", "siata")


class ProviderSettingsError(ValueError):
    """A provider setting is malformed; the message names the variable."""


@attrs.frozen
class ProviderSettings:
    """Everything the provider adapters and the query engine are configured with."""

    origins: Mapping[str, str]
    openweather_api_key: str | None
    meteoblue_api_key: str | None
    meteoblue_api_secret: str | None
    meteosource_api_key: str | None
    meteosource_tier: str
    ideam_app_token: str | None
    ideam_radius_km: float
    siata_radius_km: float
    observation_max_age_hours: float
    enabled: tuple[str, ...]
    timeout: float
    deadline: float
    pool_size: int
    cache_backend: str
    cache_path: Path
    cache_url: str | None
    cache_namespace: str
    max_days_hourly: int
    max_days_daily: int
    inline_series: int
    quota_timezone: str
    max_response_bytes: int


def parse_provider_settings(
    values: Mapping[str, str], env: str, data_dir: Path
) -> ProviderSettings:
    origins = {}
    for name, default in DEFAULT_ORIGINS.items():
        raw = values.get(name, "").strip() or (TESTING_ORIGIN if env == "testing" else default)
        parts = urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ProviderSettingsError(f"{name} debe ser un origen scheme://host[:puerto]")
        origins[name] = raw.rstrip("/")
    enabled = tuple(p.strip() for p in values.get("PROVIDERS_ENABLED", "").split(",") if p.strip())
    unknown = set(enabled) - set(PROVIDER_NAMES)
    if unknown:
        raise ProviderSettingsError(f"PROVIDERS_ENABLED tiene proveedores desconocidos: {unknown}")
    timeout = _float(values, "PROVIDER_TIMEOUT", 8.0)
    deadline = _float(values, "QUERY_DEADLINE", 20.0)
    if deadline < timeout:
        raise ProviderSettingsError("QUERY_DEADLINE debe ser mayor o igual que PROVIDER_TIMEOUT")
    worker_timeout = _float(values, "GUNICORN_TIMEOUT", 30.0)
    if deadline >= worker_timeout:
        # gunicorn would kill the worker before the query could answer (and store its outcome).
        raise ProviderSettingsError("QUERY_DEADLINE debe ser menor que GUNICORN_TIMEOUT")
    backend = values.get("PROVIDER_CACHE", "sqlite").strip() or "sqlite"
    if backend not in ("sqlite", "memory", "redis", "none"):
        raise ProviderSettingsError("PROVIDER_CACHE debe ser sqlite, memory, redis o none")
    cache_path = Path(values.get("PROVIDER_CACHE_PATH", "") or data_dir / "provider-cache.sqlite")
    return ProviderSettings(
        origins=origins,
        openweather_api_key=values.get("OPENWEATHER_API_KEY", "").strip() or None,
        meteoblue_api_key=values.get("METEOBLUE_API_KEY", "").strip() or None,
        meteoblue_api_secret=values.get("METEOBLUE_API_SECRET", "").strip() or None,
        meteosource_api_key=values.get("METEOSOURCE_API_KEY", "").strip() or None,
        meteosource_tier=values.get("METEOSOURCE_TIER", "free").strip() or "free",
        ideam_app_token=values.get("IDEAM_APP_TOKEN", "").strip() or None,
        ideam_radius_km=_float(values, "IDEAM_RADIUS_KM", 25.0),
        siata_radius_km=_float(values, "SIATA_RADIUS_KM", 10.0),
        observation_max_age_hours=_float(values, "OBSERVATION_MAX_AGE_HOURS", 3.0),
        enabled=enabled or PROVIDER_NAMES,
        timeout=timeout,
        deadline=deadline,
        pool_size=_int(values, "PROVIDER_POOL_SIZE", 48),  # 6 providers x 8 threads
        cache_backend=backend,
        cache_path=cache_path,
        cache_url=_redis_url(values) if backend == "redis" else None,
        cache_namespace=_namespace(values),
        max_days_hourly=_int(values, "HISTORY_MAX_DAYS_HOURLY", 366),
        max_days_daily=_int(values, "HISTORY_MAX_DAYS_DAILY", 7305),
        inline_series=_int(values, "HISTORY_INLINE_POINTS", 200),
        quota_timezone=_zone(values.get("QUOTA_TIMEZONE", "").strip() or "America/Bogota"),
        max_response_bytes=_int(values, "PROVIDER_MAX_RESPONSE_BYTES", 8 * 1024 * 1024),
    )


def _redis_url(values: Mapping[str, str]) -> str:
    """redis[s]://[[user]:password@]host[:port][/db]; the message never repeats the URL."""
    raw = values.get("PROVIDER_CACHE_URL", "").strip()
    if not raw:
        raise ProviderSettingsError(
            "PROVIDER_CACHE_URL es obligatoria con PROVIDER_CACHE=redis "
            "(p. ej. redis://127.0.0.1:6379/0)"
        )
    shape = "PROVIDER_CACHE_URL debe tener la forma redis://[:clave@]host[:puerto][/bd]"
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ProviderSettingsError(shape) from None
    db = parts.path.strip("/")
    if (
        parts.scheme not in ("redis", "rediss")
        or not parts.hostname
        or (port is not None and not 0 < port < 65536)
        or (db and not (db.isdigit() and int(db) < 16384))
        or parts.query
        or parts.fragment
    ):
        raise ProviderSettingsError(shape)
    return raw


def _namespace(values: Mapping[str, str]) -> str:
    name = values.get("PROVIDER_CACHE_NAMESPACE", "").strip() or "climaguru"
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name):
        raise ProviderSettingsError(
            "PROVIDER_CACHE_NAMESPACE debe tener de 1 a 64 letras, dígitos, '_', '.' o '-'"
        )
    return name


def _float(values: Mapping[str, str], name: str, default: float) -> float:
    raw = values.get(name, "").strip()
    try:
        number = float(raw) if raw else default
    except ValueError:
        raise ProviderSettingsError(f"{name} debe ser un número") from None
    if not 0 < number < 600:
        raise ProviderSettingsError(f"{name} debe estar entre 0 y 600 segundos")
    return number


def _int(values: Mapping[str, str], name: str, default: int) -> int:
    raw = values.get(name, "").strip()
    try:
        number = int(raw) if raw else default
    except ValueError:
        raise ProviderSettingsError(f"{name} debe ser un entero") from None
    if number < 1:
        raise ProviderSettingsError(f"{name} debe ser positivo")
    return number


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ProviderSettingsError(
            f"QUOTA_TIMEZONE no es una zona IANA conocida: {name}"
        ) from None
    return name
