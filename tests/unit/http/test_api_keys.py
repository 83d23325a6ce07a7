"""Provider API keys through the API: masked, encrypted, unique per provider, probed."""

from __future__ import annotations

import pytest

from domain.model.consensus import Reason
from domain.model.users import Role
from tests.fakes import FakeProvider
from tests.unit.http.helpers import app_client, bearer, register, register_as

SECRET = "owm-7f3a9c2e4b1d8a6f"


@pytest.fixture
def env(container):
    keyed = FakeProvider("openweathermap", {"temperatura": 11.0}, needs_key=True)
    free = FakeProvider("open_meteo", {"temperatura": 12.0})
    client = app_client(container, free, keyed)
    session = register(client, "duena")
    return client, bearer(session["access_token"]), keyed, container


def _create(client, auth, **extra):
    body = {"proveedor": "openweathermap", "api_key": SECRET, "limite_consultas_diarias": 3}
    return client.simulate_post("/api/api-keys", json={**body, **extra}, headers=auth)


def test_key_is_masked_and_never_returned(env):
    client, auth, _, container = env
    created = _create(client, auth, descripcion="plan gratuito")
    assert created.status_code == 201
    key = created.json["api_key"]
    assert key["clave"] == "****" + SECRET[-4:]
    assert (key["consultas_hoy"], key["limite_consultas_diarias"], key["ultimo_uso"]) == (
        0,
        3,
        None,
    )
    assert SECRET not in created.text
    listing = client.simulate_get("/api/api-keys", headers=auth)
    assert SECRET not in listing.text
    with container.uow() as uow:
        stored = uow.api_keys.get(key["id"])
    assert SECRET not in stored.key_ciphertext
    assert container.secret_box().decrypt(stored.key_ciphertext) == SECRET
    assert stored.key_ciphertext not in listing.text


def test_one_key_per_user_and_provider(env):
    client, auth, _, _ = env
    assert _create(client, auth).status_code == 201
    assert _create(client, auth).status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"proveedor": "open_meteo", "api_key": "x" * 10},
        {"proveedor": "nadie", "api_key": "x" * 10},
        {"proveedor": "openweathermap"},
        {"proveedor": "openweathermap", "api_key": "x" * 10, "limite_consultas_diarias": 0},
        {"proveedor": "openweathermap", "api_key": "x" * 10, "limite_consultas_diarias": 100001},
        {"proveedor": "openweathermap", "api_key": "x" * 10, "consultas_realizadas": 5},
        {"proveedor": "openweathermap", "api_key": "x" * 10, "usuario_id": 1},
    ],
)
def test_bad_key_bodies_are_400(env, body):
    client, auth, _, _ = env
    assert client.simulate_post("/api/api-keys", json=body, headers=auth).status_code == 400


def test_an_integral_float_limit_is_the_integer_json_schema_says_it_is(env):
    client, auth, _, _ = env
    created = _create(client, auth, limite_consultas_diarias=100.0)
    assert created.status_code == 201, created.text
    key = created.json["api_key"]
    assert key["limite_consultas_diarias"] == 100 and isinstance(
        key["limite_consultas_diarias"], int
    )
    patched = client.simulate_patch(
        f"/api/api-keys/{key['id']}", json={"limite_consultas_diarias": 7.0}, headers=auth
    )
    assert patched.status_code == 200 and patched.json["api_key"]["limite_consultas_diarias"] == 7
    for bad in (7.5, "7", True, 0.0):
        refused = client.simulate_patch(
            f"/api/api-keys/{key['id']}", json={"limite_consultas_diarias": bad}, headers=auth
        )
        assert refused.status_code == 400, bad
        assert refused.json["detalles"] == {"limite_consultas_diarias": "invalido"}


def test_patch_changes_only_allowed_fields(env):
    client, auth, _, _ = env
    key_id = _create(client, auth).json["api_key"]["id"]
    patched = client.simulate_patch(
        f"/api/api-keys/{key_id}",
        json={"activa": False, "descripcion": "pausada", "limite_consultas_diarias": 50},
        headers=auth,
    ).json["api_key"]
    assert (patched["activa"], patched["descripcion"], patched["limite_consultas_diarias"]) == (
        False,
        "pausada",
        50,
    )
    for body in ({"api_key": "nueva"}, {"proveedor": "meteoblue"}, {"consultas_realizadas": 0}):
        result = client.simulate_patch(f"/api/api-keys/{key_id}", json=body, headers=auth)
        assert result.status_code == 400
    assert (
        client.simulate_get(f"/api/api-keys/{key_id}", headers=auth).json["api_key"]["activa"]
        is False
    )


def test_other_users_keys_are_404_and_delete_removes(env):
    client, auth, _, _ = env
    key_id = _create(client, auth).json["api_key"]["id"]
    other = bearer(register(client, "ajena")["access_token"])
    for call in (client.simulate_get, client.simulate_delete):
        assert call(f"/api/api-keys/{key_id}", headers=other).status_code == 404
    assert client.simulate_delete(f"/api/api-keys/{key_id}", headers=auth).status_code == 204
    assert client.simulate_get(f"/api/api-keys/{key_id}", headers=auth).status_code == 404


def test_viewer_holds_no_keys(env):
    client, _, _, container = env
    viewer = register_as(client, container, "lectora", Role.VIEWER)
    assert _create(client, bearer(viewer["access_token"])).status_code == 403


@pytest.mark.parametrize(
    ("fail", "expected"),
    [
        (None, "valida"),
        ((Reason.CLAVE_INVALIDA, "http_401"), "invalida"),
        ((Reason.CLAVE_INVALIDA, "sin_acceso_al_plan"), "sin_acceso_al_plan"),
        ((Reason.TIMEOUT, "timeout"), "no_verificable"),
    ],
)
def test_probe_reports_the_key_state(env, fail, expected):
    client, auth, keyed, _ = env
    keyed.fail = fail
    key_id = _create(client, auth).json["api_key"]["id"]
    result = client.simulate_post(f"/api/api-keys/{key_id}/probar", headers=auth)
    assert result.status_code == 200
    assert result.json["resultado"] == expected
    assert keyed.calls[-1][1].api_key == SECRET
    assert SECRET not in result.text


def test_usage_shows_in_the_key_after_queries(env):
    client, auth, _, _ = env
    key_id = _create(client, auth).json["api_key"]["id"]
    client.simulate_post(
        "/api/consultas/tiempo-real", json={"latitud": 4.6, "longitud": -74.1}, headers=auth
    )
    key = client.simulate_get(f"/api/api-keys/{key_id}", headers=auth).json["api_key"]
    assert key["consultas_hoy"] == 1
    assert key["ultimo_uso"] is not None


def test_probe_of_a_key_no_configured_key_can_decrypt(env):
    client, auth, keyed, container = env
    key_id = _create(client, auth).json["api_key"]["id"]
    with container.uow() as uow:
        key = uow.api_keys.get(key_id)
        key.key_ciphertext = "gAAAAABcifrado-con-una-clave-retirada"
        uow.api_keys.update(key)
        uow.commit()
    result = client.simulate_post(f"/api/api-keys/{key_id}/probar", headers=auth)
    assert result.status_code == 200
    assert result.json == {"resultado": "no_verificable", "codigo": "clave_no_descifrable"}
    assert keyed.calls == []
