"""Every route × method × role of the route table: anonymous → 401, a role without one of the
route's permissions → 403, any other role gets past the check. The app refuses to start when a
resource answers a method the table does not name (or misses one it names).
"""

from __future__ import annotations

import re

import pytest

from adapters.http.resources.health import HealthResource
from adapters.http.routes import ROUTES
from climaguru.app import create_app
from domain.model.permissions import POLICY
from domain.model.users import Role
from tests.unit.http.helpers import app_client, bearer, register_as


def _path(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "999999", template)


@pytest.fixture
def world(container):
    client = app_client(container)
    tokens = {}
    for role in Role:
        tokens[role] = register_as(client, container, f"rol_{role.value}", role)["access_token"]
    return client, tokens


def test_a_responder_missing_from_the_table_stops_the_app(container, monkeypatch):
    monkeypatch.setattr(HealthResource, "on_delete", lambda self, req, resp: None, raising=False)
    with pytest.raises(RuntimeError, match="/api/health"):
        create_app(container)


def test_every_route_has_a_policy():
    assert all(route.permission for route in ROUTES)
    assert len({(route.path, route.method) for route in ROUTES}) == len(ROUTES)


def test_anonymous_gets_401_on_every_private_route(world):
    client, _ = world
    for route in ROUTES:
        if route.public:
            continue
        result = client.simulate_request(route.method, _path(route.path), json={})
        assert result.status_code == 401, (route.path, route.method, result.status_code)
        assert result.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_what_the_policy_grants(world, role):
    client, tokens = world
    granted = POLICY[role]
    for route in ROUTES:
        if route.public or route.path == "/api/auth/logout":
            continue
        result = client.simulate_request(
            route.method, _path(route.path), json={}, headers=bearer(tokens[role])
        )
        where = (role, route.path, route.method)
        if route.permission & granted:
            assert result.status_code not in (401, 403), (*where, result.json)
        else:
            assert result.status_code == 403, (*where, result.status_code)
            assert result.json["error"] == "prohibido"


def test_a_forbidden_role_with_a_malformed_body_still_gets_the_400_first(world):
    """The table's check runs where the use case's did: after the body is read."""
    client, tokens = world
    result = client.simulate_post(
        "/api/usuarios",
        body="{",
        headers={**bearer(tokens[Role.OPERATOR]), "Content-Type": "application/json"},
    )
    assert result.status_code == 400 and result.json["error"] == "json_invalido"
