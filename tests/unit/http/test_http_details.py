"""HTTP details a client or a cache notices: token responses, CORS, input text and dates."""

from __future__ import annotations

from tests.unit.http.helpers import login, refresh
from tests.unit.http.test_http_behaviour import _cors_client


def test_token_responses_are_never_cached(client):
    """RFC 6749 §5.1: a response carrying tokens says Cache-Control: no-store."""
    registered = client.simulate_post(
        "/api/auth/register",
        json={"username": "cachera", "email": "cachera@ejemplo.co", "password": "Clave-Larga-2026"},
    )
    assert registered.status_code == 201
    logged = login(client, "Clave-Larga-2026", username="cachera")
    renewed = refresh(client, logged.json["refresh_token"])
    for result in (registered, logged, renewed):
        assert result.status_code in (200, 201), result.json
        assert result.headers.get("Cache-Control") == "no-store"
        assert result.headers.get("Pragma") == "no-cache"


def test_cors_answers_vary_by_origin(tmp_path):
    """An answer that echoes one origin must not be served from a cache to another origin."""
    client = _cors_client(tmp_path, "https://app.climaguru.co")
    ok = client.simulate_get("/api/health", headers={"Origin": "https://app.climaguru.co"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://app.climaguru.co"
    assert "Origin" in [v.strip() for v in ok.headers["Vary"].split(",")]
    preflight = client.simulate_options(
        "/api/auth/me",
        headers={"Origin": "https://app.climaguru.co", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://app.climaguru.co"
    assert "Origin" in [v.strip() for v in preflight.headers["Vary"].split(",")]
