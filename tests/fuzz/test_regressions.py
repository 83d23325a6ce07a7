"""Bugs the fuzzer found, pinned down as plain examples."""

from __future__ import annotations

from dependency_injector import providers
from falcon import testing

from climaguru.app import create_app
from tests.fakes import FakeProvider
from tests.unit.http.helpers import bearer, register


def _keyed_world(container):
    keyed = FakeProvider("con_clave", {"temperatura": 20.0}, needs_key=True)
    container.weather_providers.override(providers.Object({"con_clave": keyed}))
    client = testing.TestClient(create_app(container))
    return client, bearer(register(client)["access_token"])


def test_asking_only_for_providers_without_a_key_is_422_not_a_retryable_502(container):
    client, auth = _keyed_world(container)
    result = client.simulate_post(
        "/api/consultas/tiempo-real", json={"latitud": 4.6, "longitud": -74.1}, headers=auth
    )
    assert result.status_code == 422, result.text
    assert "Retry-After" not in result.headers
    assert result.json["detalles"] == {"con_clave": "sin_clave"}


def test_a_new_api_key_refuses_a_non_boolean_activa_and_honours_false(container):
    client, auth = _keyed_world(container)
    body = {"proveedor": "con_clave", "api_key": "k-123456"}
    refused = client.simulate_post("/api/api-keys", json={**body, "activa": {}}, headers=auth)
    assert refused.status_code == 400 and refused.json["detalles"] == {"activa": "invalido"}
    made = client.simulate_post("/api/api-keys", json={**body, "activa": False}, headers=auth)
    assert made.status_code == 201 and made.json["api_key"]["activa"] is False
