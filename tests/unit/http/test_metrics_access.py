"""Who reaches /metrics (METRICS=off|on|token), and what it says while the database is down."""

from __future__ import annotations

import pytest
from falcon import testing

from adapters import metrics
from adapters.metrics_queries import StoredQueriesCollector
from climaguru.app import create_app
from climaguru.container import Container, use_memory
from climaguru.settings import SettingsError, load_settings
from tests.conftest import app_env
from tests.metrics_scrape import parse, requests_by, series, value
from tests.unit.http.helpers import bearer, register

TOKEN = "m3tr1cs-Zq8vK2pX7nR4tY9wB6cF1hJ5"


def _client(tmp_path, memory: bool = True, **env: str) -> testing.TestClient:
    settings = load_settings(app_env(CLIMAGURU_DATA_DIR=str(tmp_path), **env), env_file=None)
    container = Container(settings=settings)
    if memory:
        use_memory(container)
    return testing.TestClient(create_app(container))


def test_token_mode_wants_the_metrics_token_and_never_shows_it(tmp_path):
    client = _client(tmp_path, METRICS="token", METRICS_TOKEN=TOKEN)
    user_token = register(client, "curiosa")["access_token"]
    for headers in ({}, bearer("otro-token"), bearer(user_token), {"Authorization": TOKEN}):
        refused = client.simulate_get("/metrics", headers=headers)
        assert refused.status_code == 401
        assert refused.json["error"] == "no_autenticado"
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert TOKEN not in refused.text
    allowed = client.simulate_get("/metrics", headers=bearer(TOKEN))
    assert allowed.status_code == 200
    assert TOKEN not in allowed.text
    counted = requests_by(parse(allowed.text))
    assert counted[("/metrics", "GET", "401")] == 4
    assert counted[("/api/auth/register", "POST", "201")] == 1


@pytest.mark.parametrize("path", ["/metrics", "/metrics/"])
def test_off_mode_has_no_metrics_route(tmp_path, path):
    client = _client(tmp_path, METRICS="off")
    answer = client.simulate_get(path)
    assert answer.status_code == 404
    assert answer.json["error"] == "no_encontrado"


def test_production_serves_no_metrics_unless_asked():
    base = {
        "CLIMAGURU_ENV": "production",
        "DATABASE_URL": "mysql+pymysql://u:p@127.0.0.1/x",
        "JWT_SECRET_KEY": "Qm9vdHN0cmFwLXNlY3JldC1mb3ItdGVzdHMtb25seS0xMjM0NTY3",
        "ENCRYPTION_KEY": "q6Jd0mFw0vE7o6xT3aQYv8K1xX9pU2cRr4nLs5bHk3M=",
    }
    assert load_settings(base, env_file=None).metrics == "off"
    assert load_settings({**base, "METRICS": "on"}, env_file=None).metrics == "on"
    chosen = load_settings({**base, "METRICS": "token", "METRICS_TOKEN": TOKEN}, env_file=None)
    assert (chosen.metrics, chosen.metrics_token) == ("token", TOKEN)
    assert TOKEN not in repr(chosen)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"METRICS": "si"}, "METRICS debe ser off, on o token"),
        ({"METRICS": "token"}, "METRICS_TOKEN de al menos 32 bytes"),
        ({"METRICS": "token", "METRICS_TOKEN": "corto"}, "METRICS_TOKEN de al menos 32 bytes"),
    ],
)
def test_wrong_metrics_settings_are_refused(env, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(app_env(**env), env_file=None)


def test_database_down_is_counted_and_the_scrape_still_answers(tmp_path):
    missing = tmp_path / "no-existe" / "climaguru.db"
    client = _client(tmp_path, memory=False, DATABASE_URL=f"sqlite:///{missing}")
    body = {"username": "nadie", "email": "nadie@ejemplo.co", "password": "Cordillera-2026-x"}
    down = client.simulate_post("/api/auth/register", json=body)
    assert down.status_code == 503
    assert down.json["error"] == "base_de_datos_no_disponible"
    scrape = client.simulate_get("/metrics")
    assert scrape.status_code == 200
    samples = parse(scrape.text)
    assert value(samples, "climaguru_database_unavailable_responses_total") == 1
    assert requests_by(samples)[("/api/auth/register", "POST", "503")] == 1
    assert series(samples, "climaguru_queries") == {}  # unknown, not zero


def test_stored_query_counts_are_read_at_most_once_per_ttl():
    reads: list[int] = []
    ticks = iter(range(0, 1000, 5))

    def count():
        reads.append(1)
        return [("tiempo_real", "completada", len(reads))]

    collector = StoredQueriesCollector(count, ttl=15, clock=lambda: float(next(ticks)))
    seen = [_completed(collector) for _ in range(5)]  # at t = 0, 5, 10, 15, 20
    assert seen == [1, 1, 1, 2, 2] and len(reads) == 2


def _completed(collector: StoredQueriesCollector) -> float:
    (family,) = collector.collect()
    found = {tuple(s.labels.values()): s.value for s in family.samples}
    return found[("tiempo_real", "completada")]


def test_labels_stay_bounded_whatever_an_upstream_or_client_sends(tmp_path):
    client = _client(tmp_path)
    metrics.provider_call("open_meteo", "http_503", 0.2, "miss")
    metrics.provider_call("open_meteo", "Clave inválida: owm-abc123", 0.1, None)
    with pytest.warns(Warning):  # wsgiref's validator dislikes the method too
        assert client.simulate_request("BREW", "/api/health").status_code in (400, 405)
    samples = parse(client.simulate_get("/metrics").text)
    outcomes = {dict(k)["outcome"] for k in series(samples, "climaguru_provider_calls_total")}
    assert outcomes == {"http_503", "otro"}
    assert {m for (_, m, _) in requests_by(samples)} == {"otro"}


def test_only_get_metrics_itself_is_served(tmp_path):
    client = _client(tmp_path)
    assert client.simulate_get("/metrics/").status_code == 200  # trailing slash stripped
    for path in ("/metricsx", "/metrics/x", "/api/metrics"):
        assert client.simulate_get(path).status_code == 404, path
    refused = client.simulate_post("/metrics")
    assert refused.status_code == 405
    assert refused.json["error"] == "metodo_no_permitido"
    counted = requests_by(parse(client.simulate_get("/metrics").text))
    assert counted[("/metrics", "GET", "200")] == 1
    assert counted[("/metrics", "POST", "405")] == 1
    assert counted[("sin_ruta", "GET", "404")] == 3
