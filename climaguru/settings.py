"""The one reader of os.environ and .env: typed, validated settings for every environment."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import attrs
from dotenv import dotenv_values

from climaguru.agro_settings import AgroSettingsError, parse_agro_settings
from climaguru.metrics_settings import MetricsSettingsError, parse_metrics_settings
from climaguru.provider_settings import (
    ProviderSettings,
    ProviderSettingsError,
    parse_provider_settings,
)
from climaguru.secret_checks import MIN_SECRET_BITS, PUBLISHED_SECRET_VALUES, too_predictable
from domain.model.agro import AgroSettings

log = logging.getLogger(__name__)

ENVIRONMENTS = ("development", "production", "testing")
MIN_SECRET_BYTES = 32

# The placeholder values that .env.example ships; a test keeps this set in step with the file.
EXAMPLE_SECRET_VALUES = frozenset(
    {
        "cambie-esto-por-un-secreto-aleatorio-de-al-menos-32-bytes",
        "cambie-esto-por-una-clave-fernet-generada",
    }
)


class SettingsError(Exception):
    """A setting is missing or unsafe; the message names the variable."""


@attrs.frozen
class Settings:
    """Every knob ClimaGuru reads, already parsed and checked."""

    env: str
    env_explicit: bool  # CLIMAGURU_ENV was set (environment or .env), not the default
    database_url: str
    data_dir: Path
    jwt_secret_key: str
    jwt_access_expires: int
    jwt_refresh_expires: int
    jwt_issuer: str
    jwt_audience: str
    refresh_reuse_grace: int
    encryption_keys: tuple[str, ...]
    cors_origins: tuple[str, ...]
    bcrypt_rounds: int
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    db_pool_size: int
    db_pool_recycle: int
    db_max_overflow: int
    db_pool_timeout: int
    db_connect_timeout: int
    db_read_timeout: int
    db_write_timeout: int
    max_body_bytes: int
    login_max_failures: int
    login_window_seconds: int
    login_address_max_failures: int
    registrations_per_address: int
    log_level: str
    api_docs: bool
    log_format: str
    providers: ProviderSettings
    retention_days: int = 365
    audit_retention_days: int = 730
    metrics: str = "off"  # off | on | token (METRICS)
    metrics_token: str | None = attrs.field(default=None, repr=False)
    console: bool = True
    agro: AgroSettings = attrs.field(factory=AgroSettings)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | os.PathLike[str] | None = ".env"
) -> Settings:
    """Read the environment (which wins) over the .env file and return checked Settings."""
    values: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return _build(values)


def _build(values: Mapping[str, str]) -> Settings:
    env = values.get("CLIMAGURU_ENV", "").strip().lower() or "development"
    if env not in ENVIRONMENTS:
        raise SettingsError(f"CLIMAGURU_ENV debe ser uno de {', '.join(ENVIRONMENTS)}")
    data_dir = Path(values.get("CLIMAGURU_DATA_DIR", "var")).resolve()
    database_url = values.get("DATABASE_URL", "").strip()
    if not database_url:
        if env == "production":
            raise SettingsError("DATABASE_URL es obligatoria en producción")
        database_url = f"sqlite:///{data_dir / 'climaguru.db'}"
    jwt_secret = _secret(values, "JWT_SECRET_KEY", env, data_dir, _new_jwt_secret)
    fernet_raw = _secret(values, "ENCRYPTION_KEY", env, data_dir, _new_fernet_key)
    encryption_keys = tuple(k.strip() for k in fernet_raw.split(",") if k.strip())
    for key in encryption_keys:
        _check_fernet(key, env)
    cors = tuple(o.strip() for o in values.get("CORS_ORIGINS", "").split(",") if o.strip())
    if env == "production" and "*" in cors:
        raise SettingsError("CORS_ORIGINS no puede ser '*' en producción; liste los orígenes")
    return Settings(
        env=env,
        env_explicit=bool(values.get("CLIMAGURU_ENV", "").strip()),
        database_url=database_url,
        data_dir=data_dir,
        jwt_secret_key=jwt_secret,
        jwt_access_expires=_int(values, "JWT_ACCESS_TOKEN_EXPIRES", 3600, 60),
        jwt_refresh_expires=_int(values, "JWT_REFRESH_TOKEN_EXPIRES", 86400, 300),
        jwt_issuer=values.get("JWT_ISSUER", "climaguru"),
        jwt_audience=values.get("JWT_AUDIENCE", "climaguru-api"),
        refresh_reuse_grace=_int(values, "JWT_REFRESH_REUSE_GRACE", 10, 0),
        encryption_keys=encryption_keys,
        cors_origins=cors,
        bcrypt_rounds=_int(values, "BCRYPT_ROUNDS", 12, 4, 16),
        trusted_proxies=_networks(values.get("TRUSTED_PROXIES", "")),
        db_pool_size=_int(values, "DB_POOL_SIZE", 5, 1),
        db_pool_recycle=_int(values, "DB_POOL_RECYCLE", 280, 10),
        db_max_overflow=_int(values, "DB_MAX_OVERFLOW", 10, 0),
        db_pool_timeout=_int(values, "DB_POOL_TIMEOUT", 3, 1, 60),
        db_connect_timeout=_int(values, "DB_CONNECT_TIMEOUT", 5, 1, 60),
        db_read_timeout=_int(values, "DB_READ_TIMEOUT", 5, 1, 3600),
        db_write_timeout=_int(values, "DB_WRITE_TIMEOUT", 5, 1, 3600),
        max_body_bytes=_int(values, "MAX_BODY_BYTES", 65536, 1024),
        login_max_failures=_int(values, "LOGIN_MAX_FAILURES", 10, 1),
        login_window_seconds=_int(values, "LOGIN_WINDOW_SECONDS", 900, 1),
        login_address_max_failures=_int(values, "LOGIN_ADDRESS_MAX_FAILURES", 100, 1),
        registrations_per_address=_int(values, "REGISTER_MAX_PER_ADDRESS", 10, 1),
        log_level=values.get("LOG_LEVEL", "INFO").upper(),
        api_docs=_api_docs(values, env),
        log_format=_log_format(values, env),
        providers=_providers(values, env, data_dir),
        console=_console(values),
        agro=_agro(values),
        **_retention(values),
        **_metrics(values, env),
    )


def _agro(values: Mapping[str, str]) -> AgroSettings:
    try:
        return parse_agro_settings(values)
    except AgroSettingsError as exc:
        raise SettingsError(str(exc)) from None


def _metrics(values: Mapping[str, str], env: str) -> dict[str, str | None]:
    try:
        return parse_metrics_settings(values, env)
    except MetricsSettingsError as exc:
        raise SettingsError(str(exc)) from None


def _retention(values: Mapping[str, str]) -> dict[str, int]:
    """RETENTION_DAYS (queries) and AUDIT_RETENTION_DAYS (audit log, never shorter)."""
    days = _int(values, "RETENTION_DAYS", 365, 1)
    audit = _int(values, "AUDIT_RETENTION_DAYS", max(730, days), 1)
    if audit < days:
        raise SettingsError("AUDIT_RETENTION_DAYS no puede ser menor que RETENTION_DAYS")
    return {"retention_days": days, "audit_retention_days": audit}


def _log_format(values: Mapping[str, str], env: str) -> str:
    """json (one object per line, for the journal and log shippers) or text (a terminal)."""
    raw = values.get("LOG_FORMAT", "").strip().lower()
    if not raw:
        return "text" if env == "development" else "json"
    if raw not in ("json", "text"):
        raise SettingsError("LOG_FORMAT debe ser json o text")
    return raw


def _api_docs(values: Mapping[str, str], env: str) -> bool:
    """API_DOCS: /api/docs and /api/openapi.json; on by default except in production."""
    raw = values.get("API_DOCS", "").strip().lower()
    if not raw:
        return env != "production"
    if raw not in ("true", "false", "1", "0"):
        raise SettingsError("API_DOCS debe ser true o false")
    return raw in ("true", "1")


def _console(values: Mapping[str, str]) -> bool:
    """CONSOLE: the web console at /consola; on unless set to false (then 404)."""
    raw = values.get("CONSOLE", "").strip().lower()
    if not raw:
        return True
    if raw not in ("true", "false", "1", "0"):
        raise SettingsError("CONSOLE debe ser true o false")
    return raw in ("true", "1")


def _providers(values: Mapping[str, str], env: str, data_dir: Path) -> ProviderSettings:
    try:
        return parse_provider_settings(values, env, data_dir)
    except ProviderSettingsError as exc:
        raise SettingsError(str(exc)) from None


def _secret(values: Mapping[str, str], name: str, env: str, data_dir: Path, make) -> str:
    raw = values.get(name, "").strip()
    placeholder = raw in EXAMPLE_SECRET_VALUES
    if env == "production":
        if not raw:
            raise SettingsError(f"{name} es obligatoria en producción")
        if placeholder:
            raise SettingsError(f"{name} tiene el valor de ejemplo de .env.example; genere uno")
        if raw in PUBLISHED_SECRET_VALUES:
            raise SettingsError(f"{name} es un valor publicado en una guía; genere uno propio")
        if name == "JWT_SECRET_KEY":
            if len(raw.encode()) < MIN_SECRET_BYTES:
                raise SettingsError(f"{name} debe tener al menos {MIN_SECRET_BYTES} bytes")
            _check_entropy(name, raw.encode())
        return raw
    if raw and not placeholder:
        return raw
    if env == "testing":
        return make()
    return _dev_secret(name, data_dir, make)


def _dev_secret(name: str, data_dir: Path, make) -> str:
    """Create once and reuse a development secret under data_dir, with a loud warning."""
    path = data_dir / "dev-secrets" / name
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value + "\n")
    path.chmod(0o600)
    log.warning("%s no está definida: se generó un secreto de desarrollo en %s", name, path)
    return value


def _new_jwt_secret() -> str:
    return secrets.token_urlsafe(48)


def _new_fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _check_fernet(key: str, env: str) -> None:
    try:
        decoded = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) != 32:
        raise SettingsError("ENCRYPTION_KEY no es una clave Fernet válida (32 bytes en base64 url)")
    if env == "production":
        _check_entropy("ENCRYPTION_KEY", decoded)


def _check_entropy(name: str, secret: bytes) -> None:
    if too_predictable(secret):
        raise SettingsError(
            f"{name} es demasiado predecible (menos de ~{MIN_SECRET_BITS} bits estimados); "
            "genere uno aleatorio como indica .env.example"
        )


def _int(
    values: Mapping[str, str], name: str, default: int, low: int, high: int | None = None
) -> int:
    raw = values.get(name, "").strip()
    if not raw:
        return default
    try:
        number = int(raw)
    except ValueError:
        raise SettingsError(f"{name} debe ser un número entero") from None
    if number < low or (high is not None and number > high):
        bound = f"entre {low} y {high}" if high is not None else f"al menos {low}"
        raise SettingsError(f"{name} debe ser {bound}")
    return number


def _networks(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(
            ipaddress.ip_network(p.strip(), strict=False) for p in raw.split(",") if p.strip()
        )
    except ValueError:
        raise SettingsError("TRUSTED_PROXIES debe ser una lista de IP o redes CIDR") from None
