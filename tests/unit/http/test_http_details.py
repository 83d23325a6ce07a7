"""HTTP details a client or a cache notices: token responses, CORS, input text and dates."""

from __future__ import annotations

from tests.unit.http.helpers import login, refresh


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
