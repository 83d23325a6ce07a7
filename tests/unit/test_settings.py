"""Settings: development makes its own secrets; production refuses unsafe configuration."""

from __future__ import annotations

import base64
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from adapters.providers import registry
from climaguru.settings import EXAMPLE_SECRET_VALUES, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
GOOD_JWT = secrets.token_urlsafe(48)
GOOD_FERNET = Fernet.generate_key().decode()


def _prod(**overrides: str) -> dict[str, str]:
    env = {
        "CLIMAGURU_ENV": "production",
        "DATABASE_URL": "mysql+pymysql://u:p@127.0.0.1/climaguru",
        "JWT_SECRET_KEY": GOOD_JWT,
        "ENCRYPTION_KEY": GOOD_FERNET,
        "CORS_ORIGINS": "https://app.climaguru.co",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_production_accepts_a_safe_configuration():
    settings = load_settings(_prod(), env_file=None)
    assert settings.env == "production"
    assert settings.jwt_access_expires == 3600 and settings.jwt_refresh_expires == 86400
    assert settings.bcrypt_rounds == 12 and settings.max_body_bytes == 65536
    # A stalled database holds a request for seconds, not for ever.
    assert (settings.db_read_timeout, settings.db_write_timeout) == (5, 5)
    assert (settings.db_pool_timeout, settings.db_connect_timeout) == (3, 5)


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"JWT_SECRET_KEY": None}, "JWT_SECRET_KEY"),
        ({"JWT_SECRET_KEY": "corto"}, "JWT_SECRET_KEY"),
        ({"JWT_SECRET_KEY": sorted(EXAMPLE_SECRET_VALUES)[0]}, "JWT_SECRET_KEY"),
        ({"ENCRYPTION_KEY": None}, "ENCRYPTION_KEY"),
        ({"ENCRYPTION_KEY": "no-es-fernet"}, "ENCRYPTION_KEY"),
        ({"ENCRYPTION_KEY": f"{GOOD_FERNET},malformada"}, "ENCRYPTION_KEY"),
        ({"ENCRYPTION_KEY": sorted(EXAMPLE_SECRET_VALUES)[1]}, "ENCRYPTION_KEY"),
        ({"CORS_ORIGINS": "*"}, "CORS_ORIGINS"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"BCRYPT_ROUNDS": "tres"}, "BCRYPT_ROUNDS"),
        ({"DB_READ_TIMEOUT": "0"}, "DB_READ_TIMEOUT"),
        ({"DB_WRITE_TIMEOUT": "cinco"}, "DB_WRITE_TIMEOUT"),
        ({"DB_POOL_TIMEOUT": "0"}, "DB_POOL_TIMEOUT"),
        ({"DB_CONNECT_TIMEOUT": "-1"}, "DB_CONNECT_TIMEOUT"),
        ({"QUERY_DEADLINE": "40", "GUNICORN_TIMEOUT": "30"}, "QUERY_DEADLINE"),
        ({"QUERY_DEADLINE": "5", "PROVIDER_TIMEOUT": "8"}, "QUERY_DEADLINE"),
        ({"OPENMETEO_FORECAST_URL": "https://api.open-meteo.com/v1/forecast"}, "OPENMETEO"),
    ],
)
def test_production_refuses_unsafe_settings_naming_the_variable(overrides, variable):
    with pytest.raises(SettingsError, match=variable):
        load_settings(_prod(**overrides), env_file=None)


PUBLISHED_DEFAULTS = [
    "jwt-secret-key",
    "otra-clave-super-secreta-para-jwt",
    "dev-secret-key-cambiar-en-produccion",
    "tu-clave-secreta-super-segura-cambia-en-produccion",
    "tu-clave-secreta-muy-larga-y-aleatoria",
]


@pytest.mark.parametrize("value", PUBLISHED_DEFAULTS)
def test_production_refuses_the_original_guides_published_secrets(value):
    with pytest.raises(SettingsError, match="JWT_SECRET_KEY") as info:
        load_settings(_prod(JWT_SECRET_KEY=value), env_file=None)
    assert value not in str(info.value)


@pytest.mark.parametrize(
    "value",
    ["a" * 32, "k" * 64, "ab" * 24, "0123456789" * 4, "clave-123-" * 4],
)
def test_production_refuses_a_low_entropy_jwt_secret(value):
    with pytest.raises(SettingsError, match=r"JWT_SECRET_KEY.*predecible"):
        load_settings(_prod(JWT_SECRET_KEY=value), env_file=None)


def test_production_refuses_a_low_entropy_fernet_key_even_among_good_ones():
    weak = base64.urlsafe_b64encode(b"a" * 32).decode()
    with pytest.raises(SettingsError, match=r"ENCRYPTION_KEY.*predecible"):
        load_settings(_prod(ENCRYPTION_KEY=f"{GOOD_FERNET},{weak}"), env_file=None)


def test_production_accepts_generated_secrets_every_time():
    for _ in range(200):
        load_settings(
            _prod(
                JWT_SECRET_KEY=secrets.token_urlsafe(32),
                ENCRYPTION_KEY=Fernet.generate_key().decode(),
            ),
            env_file=None,
        )


def test_example_file_secrets_are_the_known_placeholders():
    example = (ROOT / ".env.example").read_text()
    values = dict(re.findall(r"^([A-Z_]+)=(.*)$", example, flags=re.M))
    assert values["JWT_SECRET_KEY"] in EXAMPLE_SECRET_VALUES
    assert values["ENCRYPTION_KEY"] in EXAMPLE_SECRET_VALUES
    with pytest.raises(SettingsError):
        load_settings(_prod(JWT_SECRET_KEY=values["JWT_SECRET_KEY"]), env_file=None)


def test_every_variable_read_is_documented_in_env_example():
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.M))
    source = (ROOT / "climaguru/settings.py").read_text()
    source += (ROOT / "climaguru/provider_settings.py").read_text()
    source += (ROOT / "climaguru/metrics_settings.py").read_text()
    source += (ROOT / "climaguru/agro_settings.py").read_text()
    pattern = (
        r"(?:values\.get\(|_int\(values, |_float\(values, |_secret\(values, |_level\(\s*values, )"
        r'"([A-Z][A-Z0-9_]+)"'
    )
    read = set(re.findall(pattern, source)) | set(re.findall(r'"([A-Z_]+_URL)":', source))
    read |= set(registry.setting_names())  # the providers' settings live in their registry
    assert {"DATABASE_URL", "JWT_SECRET_KEY", "BCRYPT_ROUNDS", "QUERY_DEADLINE"} <= read
    assert "OPENMETEO_ARCHIVE_URL" in read
    assert {"METRICS", "METRICS_TOKEN"} <= read
    assert {"ALERT_ITH_LEVEL", "ALERT_FROST_LEVEL", "ITH_PELIGRO", "GRADOS_DIA_BASE"} <= read
    assert read - documented == set()


def test_development_creates_and_reuses_its_own_secrets(tmp_path, caplog):
    env = {"CLIMAGURU_ENV": "development", "CLIMAGURU_DATA_DIR": str(tmp_path)}
    first = load_settings(env, env_file=None)
    assert "JWT_SECRET_KEY" in caplog.text
    second = load_settings(env, env_file=None)
    assert first.jwt_secret_key == second.jwt_secret_key
    assert first.encryption_keys == second.encryption_keys
    Fernet(first.encryption_keys[0].encode())
    assert first.database_url == f"sqlite:///{tmp_path / 'climaguru.db'}"
    assert (tmp_path / "dev-secrets" / "JWT_SECRET_KEY").stat().st_mode & 0o077 == 0


def test_env_file_is_read_and_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("CLIMAGURU_ENV=testing\nBCRYPT_ROUNDS=5\nJWT_ACCESS_TOKEN_EXPIRES=120\n")
    settings = load_settings({"BCRYPT_ROUNDS": "6"}, env_file=env_file)
    assert settings.env == "testing"
    assert settings.bcrypt_rounds == 6
    assert settings.jwt_access_expires == 120


def test_production_cli_exits_non_zero_naming_the_variable(tmp_path):
    env = {"CLIMAGURU_ENV": "production", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "climaguru", "db", "upgrade"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_redis_cache_url_and_namespace_are_read():
    settings = load_settings(
        _prod(PROVIDER_CACHE="redis", PROVIDER_CACHE_URL="redis://:clave@10.0.0.5:6380/2"),
        env_file=None,
    )
    assert settings.providers.cache_backend == "redis"
    assert settings.providers.cache_url == "redis://:clave@10.0.0.5:6380/2"
    assert settings.providers.cache_namespace == "climaguru"
    other = load_settings(
        _prod(
            PROVIDER_CACHE="redis",
            PROVIDER_CACHE_URL="rediss://cache.interna",
            PROVIDER_CACHE_NAMESPACE="climaguru-staging",
        ),
        env_file=None,
    )
    assert other.providers.cache_namespace == "climaguru-staging"


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"PROVIDER_CACHE_URL": None}, "PROVIDER_CACHE_URL es obligatoria"),
        ({"PROVIDER_CACHE_URL": "127.0.0.1:6379"}, "PROVIDER_CACHE_URL debe tener la forma"),
        ({"PROVIDER_CACHE_URL": "http://127.0.0.1:6379/0"}, "PROVIDER_CACHE_URL debe"),
        ({"PROVIDER_CACHE_URL": "redis://:s3creta@127.0.0.1:99999/0"}, "PROVIDER_CACHE_URL debe"),
        ({"PROVIDER_CACHE_URL": "redis://:s3creta@127.0.0.1:6379/cero"}, "PROVIDER_CACHE_URL"),
        ({"PROVIDER_CACHE_URL": "redis:///0"}, "PROVIDER_CACHE_URL debe"),
        ({"PROVIDER_CACHE_NAMESPACE": "a:b*"}, "PROVIDER_CACHE_NAMESPACE"),
        ({"PROVIDER_CACHE": "memcached"}, "PROVIDER_CACHE debe ser sqlite, memory, redis o none"),
    ],
)
def test_malformed_redis_cache_settings_are_refused_without_echoing_them(overrides, variable):
    env = _prod(PROVIDER_CACHE="redis", PROVIDER_CACHE_URL="redis://127.0.0.1:6379/0")
    env.update({k: v for k, v in overrides.items() if v is not None})
    for name in [k for k, v in overrides.items() if v is None]:
        env.pop(name)
    with pytest.raises(SettingsError, match=variable) as info:
        load_settings(env, env_file=None)
    assert "s3creta" not in str(info.value)


def test_farm_thresholds_and_alert_levels_are_settings():
    default = load_settings(_prod(), env_file=None).agro
    assert default.alert_heat_level.value == "peligro"
    assert default.alert_frost_level.value == "moderado"
    dairy = load_settings(
        _prod(ITH_ALERTA="68", ITH_PELIGRO="72", ALERT_ITH_LEVEL="emergencia",
              ALERT_FROST_LEVEL="alto", GRADOS_DIA_BASE="5"),
        env_file=None,
    ).agro  # fmt: skip
    assert (dairy.heat_stress.alert, dairy.heat_stress.danger) == (68.0, 72.0)
    assert dairy.alert_heat_level.value == "emergencia" and dairy.alert_frost_level.value == "alto"
    assert dairy.degree_days.base == 5.0


@pytest.mark.parametrize(
    ("name", "value"),
    [("ALERT_ITH_LEVEL", "normal"), ("ITH_PELIGRO", "90"), ("GRADOS_DIA_TOPE", "cinco")],
)
def test_bad_farm_settings_stop_the_start_up_naming_them(name, value):
    with pytest.raises(SettingsError, match=name.split("_")[0]):
        load_settings(_prod(**{name: value}), env_file=None)


def test_forecast_cache_ttl_reaches_every_forecasting_adapter(tmp_path):
    from climaguru.providers_wiring import build_providers

    default = load_settings(_prod(), env_file=None).providers
    assert default.forecast_ttl == 1800
    env = _prod(FORECAST_CACHE_TTL="600", PROVIDER_CACHE="none")
    built = build_providers(load_settings(env, env_file=None).providers)
    ttls = {n: getattr(p, "forecast_ttl", None) for n, p in built.items()}
    assert ttls == {
        "open_meteo": 600, "openweathermap": 600, "meteoblue": 600, "meteosource": 600,
        "ideam": None, "siata": None,
    }  # fmt: skip
    with pytest.raises(SettingsError, match="FORECAST_CACHE_TTL"):
        load_settings(_prod(FORECAST_CACHE_TTL="media hora"), env_file=None)
