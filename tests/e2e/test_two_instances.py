"""Two ClimaGuru instances (own gunicorn, own data dir) on one MariaDB and one Redis agree on
revocations, login throttling, quotas and cached provider answers."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests
import sqlalchemy as sa

from tests.conftest import truncate
from tests.e2e.harness import (
    OPEN_METEO_CURRENT,
    OWM_CURRENT,
    FakeProviders,
    Gunicorn,
    app_env,
    bearer,
    login,
    register,
)
from tests.redis_support import fresh_namespace, namespace_keys

pytestmark = [pytest.mark.e2e, pytest.mark.mysql]
OWM_KEY = "CLAVE-OWM-DE-LA-USUARIA-91c2"
_ips = itertools.count(1)  # next() is atomic across threads


@pytest.fixture(scope="module")
def shared_redis() -> Iterator[tuple[str, str]]:
    yield from fresh_namespace()


@pytest.fixture(scope="module")
def pair(
    mysql_url, shared_redis, tmp_path_factory
) -> Iterator[tuple[Gunicorn, Gunicorn, FakeProviders]]:
    """Instances A and B: the same secrets, database and Redis namespace; nothing else shared."""
    tmp_path = tmp_path_factory.mktemp("two-instances")
    engine = sa.create_engine(mysql_url)
    truncate(engine)
    engine.dispose()
    url, namespace = shared_redis
    fake = FakeProviders()
    origins = {
        name: fake.origin
        for name in ("OPENMETEO_FORECAST_URL", "OPENMETEO_GEOCODING_URL", "OPENWEATHER_BASE_URL")
    }
    env = app_env(
        tmp_path / "a",
        mysql_url,
        **origins,
        PROVIDERS_ENABLED="open_meteo,openweathermap",
        PROVIDER_CACHE="redis",
        PROVIDER_CACHE_URL=url,
        PROVIDER_CACHE_NAMESPACE=namespace,
        PROVIDER_TIMEOUT="3",
        QUERY_DEADLINE="5",
        JWT_REFRESH_REUSE_GRACE="0",
        TRUSTED_PROXIES="127.0.0.1",  # each login attempt may come from its own client address
    )
    servers = []
    for name in ("a", "b"):
        data_dir = tmp_path / name
        data_dir.mkdir(exist_ok=True)
        servers.append(Gunicorn({**env, "CLIMAGURU_DATA_DIR": str(data_dir)}, data_dir))
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(Gunicorn.start, servers))
        yield servers[0], servers[1], fake
    finally:
        for server in servers:
            server.stop()
        fake.close()


def _get(server: Gunicorn, path: str, token: str) -> requests.Response:
    return requests.get(f"{server.url}{path}", headers=bearer(token), timeout=10)


def _post(server: Gunicorn, path: str, body: dict, token: str | None = None, ip: str | None = None):
    headers = bearer(token) if token else {}
    if ip:
        headers["X-Forwarded-For"] = ip
    return requests.post(f"{server.url}{path}", json=body, headers=headers, timeout=15)


def test_a_logout_on_a_is_honoured_by_b(pair):
    a, b, _ = pair
    token = register(a.url, "salida_a")["access_token"]
    assert _get(b, "/api/auth/me", token).status_code == 200
    assert _post(a, "/api/auth/logout", {}, token).status_code == 200
    refused = _get(b, "/api/auth/me", token)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_refresh_token_reuse_is_detected_across_instances(pair):
    a, b, _ = pair
    register(a.url, "rotacion")
    first = login(b.url, "rotacion")
    rotated = _post(a, "/api/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200
    new_pair = rotated.json()
    assert _get(b, "/api/auth/me", new_pair["access_token"]).status_code == 200
    time.sleep(1.1)  # past JWT_REFRESH_REUSE_GRACE=0 at the database's second resolution
    replay = _post(b, "/api/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    # The replay revoked the whole family: A refuses the pair it issued itself.
    assert _get(a, "/api/auth/me", new_pair["access_token"]).status_code == 401
    again = _post(a, "/api/auth/refresh", {"refresh_token": new_pair["refresh_token"]})
    assert again.status_code == 401


def test_login_failures_split_between_instances_add_up_to_the_block(pair):
    a, b, _ = pair
    register(a.url, "bloqueada")
    bad = {"username": "bloqueada", "password": "No-es-la-clave-1"}
    for server in (a, b, a, b, a, b, a, b, a):  # 9 of the 10 allowed failures
        assert (
            _post(server, "/api/auth/login", bad, ip=f"198.51.100.{next(_ips)}").status_code == 401
        )
    good = {"username": "bloqueada", "password": "Cordillera-Andina-2026"}
    assert _post(b, "/api/auth/login", bad, ip=f"198.51.100.{next(_ips)}").status_code == 401
    failed_here = f"198.51.100.{next(_ips)}"
    # A new address still gets its one try; having failed, it is refused from then on.
    assert _post(a, "/api/auth/login", bad, ip=failed_here).status_code == 401
    for server in (a, b):  # an address that failed on the account is refused, even when right
        blocked = _post(server, "/api/auth/login", good, ip=failed_here)
        assert blocked.status_code == 429, blocked.text
        assert blocked.json()["error"] == "demasiados_intentos"
        assert int(blocked.headers["Retry-After"]) > 0
    # The owner, from an address that never failed, still signs in (NIST SP 800-63B 5.2.2).
    assert _post(b, "/api/auth/login", good, ip=f"203.0.113.{next(_ips)}").status_code == 200


def test_a_key_limit_holds_across_instances(pair):
    a, b, fake = pair
    token = register(a.url, "cuota_compartida")["access_token"]
    created = _post(
        b,
        "/api/api-keys",
        {"proveedor": "openweathermap", "api_key": OWM_KEY, "limite_consultas_diarias": 3},
        token,
    )
    assert created.status_code == 201, created.text
    before = fake.count(OWM_CURRENT)

    def query(i: int) -> requests.Response:
        body = {"latitud": 4.0 + i / 10, "longitud": -74.0, "proveedores": ["openweathermap"]}
        body["proveedores"].append("open_meteo")  # so every query completes with a consensus
        return _post((a, b)[i % 2], "/api/consultas/tiempo-real", body, token)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(query, range(10)))
    assert {r.status_code for r in answers} == {201}, [r.text for r in answers]
    states = [r.json()["datos"]["proveedores"]["openweathermap"] for r in answers]
    assert sum(1 for s in states if s["estado"] == "ok") == 3, states
    assert sum(1 for s in states if s.get("motivo") == "cuota_agotada") == 7, states
    assert fake.count(OWM_CURRENT) - before == 3
    keys = _get(a, "/api/api-keys", token).json()
    assert [k["consultas_hoy"] for k in keys["api_keys"]] == [3]


def test_an_answer_cached_by_a_is_served_by_b(pair, shared_redis):
    a, b, fake = pair
    token = register(a.url, "cache_compartida")["access_token"]
    body = {"latitud": 6.25, "longitud": -75.56, "proveedores": ["open_meteo"]}
    before = fake.count(OPEN_METEO_CURRENT)
    on_a = _post(a, "/api/consultas/tiempo-real", body, token)
    assert on_a.status_code == 201, on_a.text
    assert fake.count(OPEN_METEO_CURRENT) - before == 1
    on_b = _post(b, "/api/consultas/tiempo-real", body, token)
    assert on_b.status_code == 201, on_b.text
    assert fake.count(OPEN_METEO_CURRENT) - before == 1, "B asked the provider again"
    assert on_b.json()["datos"]["consenso"] == on_a.json()["datos"]["consenso"]
    assert on_b.json()["consulta"]["id"] != on_a.json()["consulta"]["id"]  # stored twice
    url, namespace = shared_redis
    assert namespace_keys(redis.Redis.from_url(url), namespace), "nothing was stored in Redis"
