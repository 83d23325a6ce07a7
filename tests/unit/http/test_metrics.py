"""GET /metrics after a scripted session: exact counts, and nothing personal in any label.

The session runs the real provider adapters (Open-Meteo, OpenWeatherMap with the user's own
key) against real samples served on 127.0.0.1, over the memory adapters and over SQLite.
"""

from __future__ import annotations

import pytest

from tests.golden.upstream import golden_app
from tests.metrics_scrape import label_names, label_values, parse, requests_by, series, value
from tests.unit.http.helpers import PASSWORD, bearer, register

ENSCHEDE = {"latitud": 52.26713, "longitud": 6.820702}
OWM_KEY = "owm-clave-secreta-7f3a9c2e4b1d"
BOTH = {**ENSCHEDE, "proveedores": ["open_meteo", "openweathermap"]}
HISTORY = {
    **ENSCHEDE,
    "fecha_inicio": "1953-01-31",
    "fecha_fin": "1953-02-01",
    "zona_horaria": "Europe/Amsterdam",
    "granularidad": "diaria",
    "parametros": ["precipitacion"],
    "proveedores": ["open_meteo"],
}


@pytest.fixture(params=["memory", "sqlite"])
def app(request, tmp_path):
    url = request.getfixturevalue("sqlite_url") if request.param == "sqlite" else None
    with golden_app(tmp_path, url) as (client, _container, _clock):
        yield client


def _session(client) -> dict:
    """Register, log in (once wrong), add a key, run queries, hit a 404 and a 401."""
    user = register(client, "metrica")
    auth = bearer(user["access_token"])
    assert client.simulate_post("/api/auth/login", json=_login(PASSWORD)).status_code == 200
    assert client.simulate_post("/api/auth/login", json=_login("mal")).status_code == 401
    key = {"proveedor": "openweathermap", "api_key": OWM_KEY, "limite_consultas_diarias": 5}
    created = client.simulate_post("/api/api-keys", headers=auth, json=key)
    assert created.status_code == 201
    ids = []
    for body, path in ((BOTH, "tiempo-real"), (BOTH, "tiempo-real"), (HISTORY, "historico")):
        answer = client.simulate_post(f"/api/consultas/{path}", headers=auth, json=body)
        assert answer.status_code == 201, answer.json
        ids.append(answer.json["consulta"]["id"])
    assert client.simulate_get(f"/api/consultas/{ids[0]}", headers=auth).status_code == 200
    assert client.simulate_get("/api/consultas/999999", headers=auth).status_code == 404
    tokens_in_path = f"/api/consultas/{user['access_token']}"
    assert client.simulate_get(tokens_in_path, headers=auth).status_code == 404
    assert client.simulate_get("/api/auth/me").status_code == 401
    key_id = created.json["api_key"]["id"]
    used = client.simulate_get(f"/api/api-keys/{key_id}", headers=auth).json["api_key"]
    return {"user": user, "used_today": used["consultas_hoy"]}


def _login(password: str) -> dict:
    return {"username": "metrica", "password": password}


def test_scrape_shows_the_exact_counts_of_a_scripted_session(app):
    done = _session(app)
    first = app.simulate_get("/metrics")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples = parse(first.text)
    assert requests_by(samples) == {
        ("/api/auth/register", "POST", "201"): 1,
        ("/api/auth/login", "POST", "200"): 1,
        ("/api/auth/login", "POST", "401"): 1,
        ("/api/api-keys", "POST", "201"): 1,
        ("/api/consultas/tiempo-real", "POST", "201"): 2,
        ("/api/consultas/historico", "POST", "201"): 1,
        ("/api/consultas/{query_id:id}", "GET", "200"): 1,
        ("/api/consultas/{query_id:id}", "GET", "404"): 1,
        ("sin_ruta", "GET", "404"): 1,  # the token-shaped path matched no route
        ("/api/auth/me", "GET", "401"): 1,
        ("/api/api-keys/{key_id:id}", "GET", "200"): 1,
    }
    duration = "climaguru_http_request_duration_seconds_count"
    assert value(samples, duration, route="/api/consultas/tiempo-real", method="POST") == 2
    bucket = "climaguru_http_request_duration_seconds_bucket"
    assert value(samples, bucket, route="/api/auth/login", method="POST", le="+Inf") == 2
    # Forecast: a miss then a cache hit; the archive once; OpenWeatherMap a miss then a hit.
    calls = "climaguru_provider_calls_total"
    assert value(samples, calls, provider="open_meteo", outcome="ok") == 3
    assert value(samples, calls, provider="openweathermap", outcome="ok") == 2
    assert len(series(samples, calls)) == 2
    latency = "climaguru_provider_call_duration_seconds_count"
    assert value(samples, latency, provider="open_meteo") == 3
    assert series(samples, "climaguru_provider_cache_lookups_total") == {
        (("provider", "open_meteo"), ("result", "miss")): 2,
        (("provider", "open_meteo"), ("result", "hit")): 1,
        (("provider", "openweathermap"), ("result", "miss")): 1,
        (("provider", "openweathermap"), ("result", "hit")): 1,
    }
    # The cache hit charged nothing: one unit, as the key itself reports.
    spent = value(samples, "climaguru_quota_units_spent_total", provider="openweathermap")
    assert spent == done["used_today"] == 1
    assert value(samples, "climaguru_database_unavailable_responses_total") == 0
    stored = series(samples, "climaguru_queries")
    assert stored[(("state", "completada"), ("type", "tiempo_real"))] == 2
    assert stored[(("state", "completada"), ("type", "historico"))] == 1
    assert sum(stored.values()) == 3 and len(stored) == 12  # every type (3) x state (4), zeros too
    again = requests_by(parse(app.simulate_get("/metrics").text))
    assert again[("/metrics", "GET", "200")] == 1  # the first scrape, counted once it answered


def test_no_label_carries_a_user_a_key_or_a_token(app):
    user = _session(app)["user"]
    text = app.simulate_get("/metrics").text
    samples = parse(text)
    planted = [
        OWM_KEY,
        user["access_token"],
        user["refresh_token"],
        user["usuario"]["email"],
        user["usuario"]["username"],
    ]
    for secret in planted:
        assert secret not in text
    assert str(user["usuario"]["id"]) not in label_values(samples)
    assert not {"user", "user_id", "usuario", "email", "token", "key", "path"} & label_names(
        samples
    )
    assert {v for v in label_values(samples) if v.startswith("/")} <= {
        "/api/auth/register", "/api/auth/login", "/api/api-keys", "/api/consultas/tiempo-real",
        "/api/consultas/historico", "/api/consultas/{query_id:id}", "/api/auth/me",
        "/api/api-keys/{key_id:id}",
    }  # fmt: skip


def test_openmetrics_is_served_when_asked(app):
    answer = app.simulate_get("/metrics", headers={"Accept": "application/openmetrics-text"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/openmetrics-text")
    assert answer.text.rstrip().endswith("# EOF")
