"""The auth API through Falcon's TestClient over the in-memory adapters."""

from __future__ import annotations

import pytest

from tests.unit.http.helpers import PASSWORD, bearer, login, refresh, register


def test_register_returns_user_and_tokens_without_secrets(client):
    body = register(client, "ana.maria", nombre_completo="Ana María Ríos")
    user = body["usuario"]
    assert user["username"] == "ana.maria"
    assert user["rol"] == "operario"
    assert user["activo"] is True
    assert user["nombre_completo"] == "Ana María Ríos"
    assert set(user) == {
        "id",
        "username",
        "email",
        "nombre_completo",
        "rol",
        "activo",
        "ultimo_login",
        "creado_en",
    }
    assert body["access_token"] and body["refresh_token"]
    assert PASSWORD not in str(body)


def test_legacy_route_registers_too(client):
    result = client.simulate_post(
        "/api/usuarionuevo",
        json={"username": "legado", "email": "legado@ejemplo.co", "password": PASSWORD},
    )
    assert result.status_code == 201
    assert result.json["usuario"]["username"] == "legado"


@pytest.mark.parametrize(
    ("username", "email"),
    [
        ("OPERARIA", "otra@ejemplo.co"),
        ("  operaria ", "otra@ejemplo.co"),
        ("otra", "OPERARIA@ejemplo.co"),
    ],
)
def test_duplicates_ignoring_case_and_spaces_are_409(client, username, email):
    register(client, "operaria")
    result = client.simulate_post(
        "/api/auth/register", json={"username": username, "email": email, "password": PASSWORD}
    )
    assert result.status_code == 409
    assert result.json["error"] == "conflicto"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("username", "ab", "formato_invalido"),
        ("username", "a" * 51, "formato_invalido"),
        ("username", "con espacio", "formato_invalido"),
        ("email", "no-es-correo", "formato_invalido"),
        ("password", "corta1", "muy_corta"),
        ("password", "ñ" * 37, "muy_larga"),  # 37 chars but 74 UTF-8 bytes: never truncated
        ("password", "password123", "demasiado_comun"),
        ("password", "Qwertyuiop", "demasiado_comun"),
    ],
)
def test_registration_validation(client, field, value, reason):
    body = {"username": "valido", "email": "valido@ejemplo.co", "password": PASSWORD}
    body[field] = value
    result = client.simulate_post("/api/auth/register", json=body)
    assert result.status_code == 400
    assert result.json["error"] == "validacion"
    assert result.json["detalles"] == {field: reason}


def test_registration_refuses_fields_the_caller_may_not_set(client):
    body = {
        "username": "valido",
        "email": "valido@ejemplo.co",
        "password": PASSWORD,
        "rol": "admin",
    }
    result = client.simulate_post("/api/auth/register", json=body)
    assert result.status_code == 400
    assert result.json["detalles"] == {"rol": "campo_no_permitido"}


def test_password_of_exactly_72_bytes_is_accepted(client):
    password = "Ñandú-" + "x" * 64  # 6 chars with 2 two-byte letters = 8 bytes, + 64 = 72
    assert len(password.encode()) == 72
    result = client.simulate_post(
        "/api/auth/register",
        json={"username": "largo", "email": "largo@ejemplo.co", "password": password},
    )
    assert result.status_code == 201
    assert login(client, password, username="largo").status_code == 200
    assert login(client, password[:-1] + "y", username="largo").status_code == 401


def test_full_walkthrough_register_login_me_refresh_logout(client):
    register(client, "walker")
    logged = login(client, username="Walker")
    assert logged.status_code == 200
    assert logged.json["usuario"]["ultimo_login"] is not None
    access, refresh_token = logged.json["access_token"], logged.json["refresh_token"]

    me = client.simulate_get("/api/auth/me", headers=bearer(access))
    assert me.status_code == 200
    assert me.json["usuario"]["username"] == "walker"

    refreshed = refresh(client, refresh_token)
    assert refreshed.status_code == 200
    new_access = refreshed.json["access_token"]
    assert refreshed.json["refresh_token"] != refresh_token

    out = client.simulate_post("/api/auth/logout", headers=bearer(new_access))
    assert out.status_code == 200
    after = client.simulate_get("/api/auth/me", headers=bearer(new_access))
    assert after.status_code == 401
    assert after.headers["WWW-Authenticate"].startswith("Bearer")
    # Logout killed the family: the refresh token issued with it is dead as well.
    assert refresh(client, refreshed.json["refresh_token"]).status_code == 401


def test_login_by_email(client):
    register(client, "correo")
    assert login(client, email="Correo@Ejemplo.co").status_code == 200


def test_unknown_user_wrong_password_and_inactive_user_get_the_same_401(client, container):
    body = register(client, "inactiva")
    with container.uow() as uow:
        uow._store.users[body["usuario"]["id"]].active = False
        uow.commit()
    answers = [
        login(client, p, username=u)
        for u, p in [
            ("nadie", PASSWORD),
            ("inactiva", "Otra-clave-larga-9"),
            ("inactiva", PASSWORD),
        ]
    ]
    assert {a.status_code for a in answers} == {401}
    assert len({(a.json["error"], a.json["message"]) for a in answers}) == 1


def test_deactivation_applies_to_existing_tokens_at_once(client, container):
    body = register(client, "saliente")
    with container.uow() as uow:
        uow._store.users[body["usuario"]["id"]].active = False
        uow.commit()
    assert (
        client.simulate_get("/api/auth/me", headers=bearer(body["access_token"])).status_code == 401
    )
    assert refresh(client, body["refresh_token"]).status_code == 401


def test_role_is_read_from_storage_on_every_request(client, container):
    body = register(client, "ascendida")
    auth = bearer(body["access_token"])
    assert client.simulate_get("/api/api-keys", headers=auth).status_code == 200
    with container.uow() as uow:
        from domain.model.users import Role

        uow._store.users[body["usuario"]["id"]].role = Role.VIEWER
        uow.commit()
    # The same token, now with the permissions of a consultor: no provider keys.
    assert client.simulate_get("/api/api-keys", headers=auth).status_code == 403
    me = client.simulate_get("/api/auth/me", headers=auth)
    assert me.json["usuario"]["rol"] == "consultor"


def test_auth_events_are_logged_without_secrets(client, container):
    body = register(client, "auditada")
    login(client, "mala-clave-1", username="auditada")
    client.simulate_post(
        "/api/auth/login",
        json={"username": "auditada", "password": PASSWORD},
        headers={"User-Agent": "curl/8.5"},
    )
    client.simulate_post("/api/auth/logout", headers=bearer(body["access_token"]))
    with container.uow() as uow:
        entries = list(uow._store.activity)
    actions = [e.action for e in entries]
    assert actions == ["registro", "login_fallido", "login", "logout"]
    assert entries[1].detail == {"username": "auditada"}
    assert entries[2].user_agent == "curl/8.5"
    assert all(e.ip for e in entries)
    dump = repr(entries)
    for secret in (PASSWORD, "mala-clave-1", body["access_token"], body["refresh_token"]):
        assert secret not in dump
