"""The provider cache on a real Redis: shared between processes, no secrets, errors not kept,
and a Redis that is down never fails a provider call."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from falcon import testing

from adapters.providers.http_client import ProviderHttp, make_session
from adapters.providers.redis_cache import RedisBreaker, ResilientRedisCache, redis_connection
from climaguru.app import create_app
from climaguru.container import Container
from climaguru.settings import load_settings
from domain.model.consensus import Reason
from ports.providers import ProviderUnavailable
from tests.conftest import app_env
from tests.redis_support import closed_port, fresh_namespace, namespace_keys
from tests.unit.http.helpers import bearer, register

CURRENT_SAMPLE = (
    Path(__file__).resolve().parents[1]
    / "fixtures/provider-samples/open-meteo/public-forecast-current-meteofrance-kmh.json"
)

KEY = "CLAVE-PLANTADA-7f3a9c"
TOKEN = "TOKEN-PLANTADO-2b81e4"


@pytest.fixture
def redis_namespace() -> Iterator[tuple[str, str]]:
    yield from fresh_namespace()


def _client(httpserver, url: str, namespace: str) -> ProviderHttp:
    """What one ClimaGuru process builds: its own connection, backend and session."""
    backend = ResilientRedisCache(redis_connection(url), namespace, RedisBreaker())
    session = make_session({"backend": backend})
    return ProviderHttp("prueba", httpserver.url_for(""), timeout=2.0, session=session)


def _calls(httpserver, path: str = "/v1/x") -> int:
    return sum(1 for request, _ in httpserver.log if request.path == path)


def _counter() -> tuple[list[int], object]:
    charges: list[int] = []

    def charge() -> bool:
        charges.append(1)
        return True

    return charges, charge


def test_another_process_is_served_from_the_shared_cache(httpserver, redis_namespace):
    url, namespace = redis_namespace
    httpserver.expect_request("/v1/x").respond_with_json({"t": 21.5})
    charges, charge = _counter()
    first = _client(httpserver, url, namespace)
    second = _client(httpserver, url, namespace)
    params = {"lat": 6.25, "appid": KEY}
    assert first.get_json("/v1/x", params, ttl=600, charge=charge) == {"t": 21.5}
    assert second.get_json("/v1/x", params, ttl=600, charge=charge) == {"t": 21.5}
    assert _calls(httpserver) == 1
    assert len(charges) == 1, "a cache hit must not take quota"
    other_key = {"lat": 6.25, "appid": "OTRA-CLAVE"}
    assert second.get_json("/v1/x", other_key, ttl=600, charge=charge) == {"t": 21.5}
    assert _calls(httpserver) == 2, "another key must not be answered from this key's entry"


def test_redis_expiry_follows_the_kind_of_answer(httpserver, redis_namespace):
    url, namespace = redis_namespace
    httpserver.expect_request("/v1/current").respond_with_json({"t": 1})
    httpserver.expect_request("/v1/archive").respond_with_json({"t": 2})
    client = _client(httpserver, url, namespace)
    client.get_json("/v1/current", {"lat": 1}, ttl=600)
    client.get_json("/v1/archive", {"lat": 1}, ttl=30 * 86400)
    raw = redis.Redis.from_url(url)
    ttls = sorted(raw.ttl(k) for k in namespace_keys(raw, namespace))
    assert len(ttls) == 2
    assert 590 <= ttls[0] <= 660
    assert 30 * 86400 - 10 <= ttls[1] <= 30 * 86400 + 60


def test_no_key_or_token_is_stored_in_redis(httpserver, redis_namespace):
    url, namespace = redis_namespace
    httpserver.expect_request("/v1/x").respond_with_json({"t": 1})
    client = _client(httpserver, url, namespace)
    client.get_json("/v1/x", {"lat": 4.6, "appid": KEY}, ttl=600, headers={"X-App-Token": TOKEN})
    client.get_json("/v1/x", {"lat": 4.6, "apikey": KEY, "key": KEY}, ttl=600)
    raw = redis.Redis.from_url(url)
    keys = namespace_keys(raw, namespace)
    assert len(keys) == 2
    for key in keys:
        value = raw.get(key)
        assert b'"status_code": 200' in value, "entries are JSON, readable without unpickling"
        for secret in (KEY, TOKEN):
            assert secret.encode() not in key and secret.encode() not in value


def test_errors_and_error_bodies_are_not_cached(httpserver, redis_namespace):
    url, namespace = redis_namespace
    httpserver.expect_ordered_request("/v1/x").respond_with_json({}, status=503)
    httpserver.expect_ordered_request("/v1/x").respond_with_json({"error": "limite"})
    httpserver.expect_ordered_request("/v1/x").respond_with_json({"t": 2})
    check = lambda body: "cuerpo_de_error" if "error" in body else None  # noqa: E731
    client = _client(httpserver, url, namespace)
    raw = redis.Redis.from_url(url)
    with pytest.raises(ProviderUnavailable, match="http_503"):
        client.get_json("/v1/x", {}, ttl=600)
    assert namespace_keys(raw, namespace) == []
    with pytest.raises(ProviderUnavailable, match="cuerpo_de_error"):
        client.get_json("/v1/x", {}, ttl=600, error_check=check)
    assert namespace_keys(raw, namespace) == []
    assert client.get_json("/v1/x", {}, ttl=600, error_check=check) == {"t": 2}
    again = _client(httpserver, url, namespace)
    assert again.get_json("/v1/x", {}, ttl=600, error_check=check) == {"t": 2}
    assert _calls(httpserver) == 3


def test_a_redis_that_is_down_leaves_calls_to_the_providers(httpserver, caplog):
    httpserver.expect_request("/v1/x").respond_with_json({"t": 3})
    client = _client(httpserver, f"redis://:s3creta@127.0.0.1:{closed_port()}/0", "caido")
    charges, charge = _counter()
    caplog.set_level("WARNING", logger="climaguru.providers")
    started = time.monotonic()
    for _ in range(3):
        assert client.get_json("/v1/x", {"lat": 1}, ttl=600, charge=charge) == {"t": 3}
    assert time.monotonic() - started < 2.0
    assert _calls(httpserver) == 3 and len(charges) == 3  # nothing cached, every call charged
    warnings = [r.getMessage() for r in caplog.records if r.name == "climaguru.providers"]
    warnings = [w for w in warnings if "redis" in w]
    assert len(warnings) == 1, "one warning per outage, not one per request"
    assert "s3creta" not in warnings[0]


def test_queries_are_answered_by_the_providers_while_redis_is_down(sqlite_url, httpserver):
    httpserver.expect_request("/v1/forecast").respond_with_data(
        CURRENT_SAMPLE.read_bytes(), content_type="application/json"
    )
    env = app_env(
        DATABASE_URL=sqlite_url,
        CLIMAGURU_DATA_DIR=str(Path(sqlite_url.removeprefix("sqlite:///")).parent),
        OPENMETEO_FORECAST_URL=httpserver.url_for("").rstrip("/"),
        PROVIDERS_ENABLED="open_meteo",
        PROVIDER_CACHE="redis",
        PROVIDER_CACHE_URL=f"redis://127.0.0.1:{closed_port()}/0",
    )
    container = Container(settings=load_settings(env, env_file=None))
    client = testing.TestClient(create_app(container))
    auth = bearer(register(client, "sin_redis")["access_token"])
    for _ in range(2):
        result = client.simulate_post(
            "/api/consultas/tiempo-real", json={"latitud": 52.2, "longitud": 6.8}, headers=auth
        )
        assert result.status_code == 201, result.json
        assert result.json["datos"]["consenso"]["temperatura"]["valor"] == 8.8
    assert _calls(httpserver, "/v1/forecast") == 2  # no cache, but no error either
    container.engine().dispose()


def test_provider_errors_still_surface_while_redis_is_down(httpserver):
    httpserver.expect_request("/v1/x").respond_with_json({}, status=401)
    client = _client(httpserver, f"redis://127.0.0.1:{closed_port()}/0", "caido")
    with pytest.raises(ProviderUnavailable) as info:
        client.get_json("/v1/x", {"appid": KEY}, ttl=600)
    assert info.value.reason == Reason.CLAVE_INVALIDA


def test_breaker_skips_redis_during_the_cooldown_then_tries_again():
    now = [100.0]
    breaker = RedisBreaker(cooldown=10, clock=lambda: now[0])
    attempts = []

    def failing():
        attempts.append(now[0])
        raise redis.ConnectionError("caído")

    assert breaker.call(failing, "miss") == "miss"
    now[0] += 5
    assert breaker.call(failing, "miss") == "miss"
    assert attempts == [100.0], "no second attempt inside the cooldown"
    now[0] += 6
    assert breaker.call(lambda: "hit", "miss") == "hit"
