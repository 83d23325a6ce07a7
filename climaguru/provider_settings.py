"""Provider settings (origins, keys, timeouts, cache, limits), parsed from the settings mapping.

Only climaguru.settings passes values in; this module never reads the environment itself.
Which origins, options and system keys exist comes from adapters.providers.registry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from adapters.providers import registry
from adapters.providers.registry import Option

# Real origins (setting -> origin); tests and benchmarks point these at 127.0.0.1.
DEFAULT_ORIGINS = {
    origin.setting: origin.default
    for origin in (*(o for spec in registry.PROVIDERS for o in spec.origins), registry.GEOCODING)
}
# In CLIMAGURU_ENV=testing an unset origin points at the discard port: nothing leaves the host.
TESTING_ORIGIN = "http://127.0.0.1:9"
PROVIDER_NAMES = registry.names()


class ProviderSettingsError(ValueError):
    """A provider setting is malformed; the message names the variable."""


@attrs.frozen
class ProviderSettings:
    """Everything the provider adapters and the query engine are configured with."""

    origins: Mapping[str, str]
    options: Mapping[str, Mapping[str, object]]  # provider -> constructor keyword -> value
    system_keys: Mapping[str, tuple[str, str | None]] = attrs.field(repr=False)  # (key, secret)
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
    system_key_daily_budget: int = 100  # per user and provider, a day (issue 12.1)
    queries_per_minute: int = 30  # per user, on the query endpoints
    forecast_ttl: int = 1800  # seconds a provider's forecast answer is reused (issue 13.5)


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
        options={
            spec.name: {o.keyword: _option(values, o) for o in spec.options}
            for spec in registry.PROVIDERS
        },
        system_keys=_system_keys(values),
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
        system_key_daily_budget=_int(values, "SYSTEM_KEY_DAILY_BUDGET", 100),
        queries_per_minute=_int(values, "QUERIES_PER_MINUTE", 30),
        forecast_ttl=_int(values, "FORECAST_CACHE_TTL", 1800),
    )


def _option(values: Mapping[str, str], option: Option) -> object:
    if isinstance(option.default, float):
        return _float(values, option.setting, option.default)
    return values.get(option.setting, "").strip() or option.default


def _system_keys(values: Mapping[str, str]) -> dict[str, tuple[str, str | None]]:
    """The system key (and secret) of each provider that has one configured."""
    found = {}
    for spec in registry.PROVIDERS:
        if spec.system_key is None:
            continue
        key = values.get(spec.system_key.key, "").strip()
        secret_setting = spec.system_key.secret
        secret = values.get(secret_setting, "").strip() if secret_setting else ""
        if key:
            found[spec.name] = (key, secret or None)
    return found


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
