"""Small helpers for driving the API in tests: the app over fakes, accounts, tokens."""

from __future__ import annotations

from dependency_injector import providers
from falcon import testing

from climaguru.app import create_app
from domain.model.users import Role
from tests.fakes import FakeGeocoder, FakeProvider

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


def app_client(container, *fakes: FakeProvider) -> testing.TestClient:
    """The app over `container` with these fake providers (none given: "a", 10 °C) and the
    fake geocoder."""
    fakes = fakes or (FakeProvider("a", {"temperatura": 10.0}),)
    container.weather_providers.override(providers.Object({f.name: f for f in fakes}))
    container.geocoder.override(providers.Object(FakeGeocoder()))
    return testing.TestClient(create_app(container))


def register_as(client: testing.TestClient, container, username: str, role: Role) -> dict:
    """A new account given `role` in the memory store (sign-up makes operarios); its session."""
    session = register(client, username)
    with container.uow() as uow:
        uow._store.users[session["usuario"]["id"]].role = role
        uow.commit()
    return session
