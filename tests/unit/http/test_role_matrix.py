"""Every route × method × role: anonymous → 401, a role without the permission → 403.

Fails when a route (or a method of it) has no entry in adapters.http.policy.ROUTE_POLICY.
"""

from __future__ import annotations

import re

import pytest
from dependency_injector import providers
from falcon import testing

from adapters.http.policy import PUBLIC, ROUTE_POLICY
from climaguru.app import create_app, route_table
from domain.model.permissions import POLICY
from domain.model.users import Role
from tests.fakes import FakeGeocoder, FakeProvider
from tests.unit.http.helpers import bearer, register

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _routes(container) -> list[tuple[str, str]]:
    found = []
    for template, resource in route_table(container, 65536):
        for method in METHODS:
            if hasattr(resource, f"on_{method.lower()}"):
                found.append((template, method))
    return found


def _path(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "999999", template)


@pytest.fixture
def world(container):
    container.weather_providers.override(
        providers.Object({"a": FakeProvider("a", {"temperatura": 10.0})})
    )
    container.geocoder.override(providers.Object(FakeGeocoder()))
    client = testing.TestClient(create_app(container))
    tokens = {}
    for role in Role:
        session = register(client, f"rol_{role.value}")
        with container.uow() as uow:
            uow._store.users[session["usuario"]["id"]].role = role
            uow.commit()
        tokens[role] = session["access_token"]
    return client, tokens


def test_every_route_has_a_policy(container):
    missing = [r for r in _routes(container) if r not in ROUTE_POLICY]
    assert missing == [], f"routes without a policy: {missing}"
    stale = [r for r in ROUTE_POLICY if r not in _routes(container)]
    assert stale == [], f"policies for routes that do not exist: {stale}"


def test_anonymous_gets_401_on_every_private_route(container, world):
    client, _ = world
    for template, method in _routes(container):
        if ROUTE_POLICY[(template, method)] == PUBLIC:
            continue
        result = client.simulate_request(method, _path(template), json={})
        assert result.status_code == 401, (template, method, result.status_code)
        assert result.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_what_the_policy_grants(container, world, role):
    client, tokens = world
    granted = POLICY[role]
    for template, method in _routes(container):
        policy = ROUTE_POLICY[(template, method)]
        if policy == PUBLIC or template == "/api/auth/logout":
            continue
        result = client.simulate_request(
            method, _path(template), json={}, headers=bearer(tokens[role])
        )
        allowed = bool(policy & granted)
        if allowed:
            assert result.status_code not in (401, 403), (role, template, method, result.json)
        else:
            assert result.status_code == 403, (role, template, method, result.status_code)
            assert result.json["error"] == "prohibido"
