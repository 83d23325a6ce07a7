"""Small helpers for driving the auth API in tests."""

from __future__ import annotations

from falcon import testing

PASSWORD = "Cordillera-Andina-2026"


def register(client: testing.TestClient, username: str = "operaria", **extra) -> dict:
    body = {"username": username, "email": f"{username}@ejemplo.co", "password": PASSWORD}
    body.update(extra)
    result = client.simulate_post("/api/auth/register", json=body)
    assert result.status_code == 201, result.json
    return result.json


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client: testing.TestClient, password: str = PASSWORD, **who: str) -> testing.Result:
    """POST /api/auth/login with `who` (username= or email=) and the password."""
    return client.simulate_post("/api/auth/login", json={**who, "password": password})


def refresh(client: testing.TestClient, token: str) -> testing.Result:
    return client.simulate_post("/api/auth/refresh", json={"refresh_token": token})
