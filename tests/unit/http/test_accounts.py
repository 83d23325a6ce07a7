"""Users administration, own password, favourites, the audit log and reports (memory)."""

from __future__ import annotations

import pytest

from domain.model.users import Role
from tests.unit.http.helpers import PASSWORD, app_client, bearer, register_as


@pytest.fixture
def env(container):
    client = app_client(container)

    def user(name: str, role: Role = Role.OPERATOR) -> tuple[dict, dict]:
        session = register_as(client, container, name, role)
        return session, bearer(session["access_token"])

    return client, user


def test_admin_lists_filters_and_pages_users(env):
    client, user = env
    _, admin = user("jefa", Role.ADMIN)
    for name in ("ana", "beto", "carla"):
        user(name)
    user("lector", Role.VIEWER)
    listing = client.simulate_get("/api/usuarios", params={"per_page": 2}, headers=admin).json
    assert (listing["total"], listing["pages"], len(listing["usuarios"])) == (5, 3, 2)
    assert all("password_hash" not in u for u in listing["usuarios"])
    viewers = client.simulate_get("/api/usuarios", params={"rol": "consultor"}, headers=admin).json
    assert [u["username"] for u in viewers["usuarios"]] == ["lector"]
    found = client.simulate_get("/api/usuarios", params={"q": "BET"}, headers=admin).json
    assert [u["username"] for u in found["usuarios"]] == ["beto"]
    bad = client.simulate_get("/api/usuarios", params={"rol": "jefe"}, headers=admin)
    assert bad.status_code == 400


def test_admin_creates_any_role_without_signing_it_in(env):
    client, user = env
    _, admin = user("jefa", Role.ADMIN)
    created = client.simulate_post(
        "/api/usuarios",
        json={"username": "nueva", "email": "nueva@x.co", "password": PASSWORD, "rol": "consultor"},
        headers=admin,
    )
    assert created.status_code == 201
    assert created.json["usuario"]["rol"] == "consultor"
    assert "access_token" not in created.json
    login = client.simulate_post(
        "/api/auth/login", json={"username": "nueva", "password": PASSWORD}
    )
    assert login.json["usuario"]["rol"] == "consultor"


def test_role_change_and_deactivation_apply_to_existing_tokens(env):
    client, user = env
    _, admin = user("jefa", Role.ADMIN)
    target, target_auth = user("objetivo")
    target_id = target["usuario"]["id"]
    query = {"latitud": 4.6, "longitud": -74.1}
    assert (
        client.simulate_post(
            "/api/consultas/tiempo-real", json=query, headers=target_auth
        ).status_code
        == 201
    )
    demoted = client.simulate_patch(
        f"/api/usuarios/{target_id}", json={"rol": "consultor"}, headers=admin
    )
    assert demoted.json["usuario"]["rol"] == "consultor"
    assert (
        client.simulate_post(
            "/api/consultas/tiempo-real", json=query, headers=target_auth
        ).status_code
        == 403
    )
    deleted = client.simulate_delete(f"/api/usuarios/{target_id}", headers=admin)
    assert deleted.json["usuario"]["activo"] is False
    assert client.simulate_get("/api/auth/me", headers=target_auth).status_code == 401
    refresh = client.simulate_post(
        "/api/auth/refresh", json={"refresh_token": target["refresh_token"]}
    )
    assert refresh.status_code == 401


def test_last_active_admin_cannot_be_demoted_or_deactivated(env):
    client, user = env
    boss, admin = user("jefa", Role.ADMIN)
    boss_id = boss["usuario"]["id"]
    for change in ({"rol": "operario"}, {"activo": False}):
        result = client.simulate_patch(f"/api/usuarios/{boss_id}", json=change, headers=admin)
        assert result.status_code == 409
        assert result.json["error"] == "ultimo_administrador"
    assert client.simulate_delete(f"/api/usuarios/{boss_id}", headers=admin).status_code == 409
    _, second = user("segunda", Role.ADMIN)
    ok = client.simulate_patch(f"/api/usuarios/{boss_id}", json={"rol": "operario"}, headers=admin)
    assert ok.status_code == 200
    # Now "segunda" is the last active admin and cannot be removed by anyone.
    listing = client.simulate_get("/api/usuarios", params={"rol": "admin"}, headers=second).json
    (last,) = listing["usuarios"]
    gone = client.simulate_delete(f"/api/usuarios/{last['id']}", headers=second)
    assert gone.status_code == 409


@pytest.mark.parametrize(
    "body",
    [{"usuario_id": 3}, {"consultas_realizadas": 1}, {"password_hash": "x"}, {}, {"rol": "dios"}],
)
def test_fields_an_admin_may_not_set_are_400_and_change_nothing(env, body):
    client, user = env
    _, admin = user("jefa", Role.ADMIN)
    target, _ = user("intacta")
    tid = target["usuario"]["id"]
    result = client.simulate_patch(f"/api/usuarios/{tid}", json=body, headers=admin)
    assert result.status_code == 400
    after = client.simulate_get(f"/api/usuarios/{tid}", headers=admin).json["usuario"]
    assert after == {**target["usuario"], "ultimo_login": after["ultimo_login"]}


def test_unknown_user_is_404(env):
    client, user = env
    _, admin = user("jefa", Role.ADMIN)
    assert client.simulate_get("/api/usuarios/424242", headers=admin).status_code == 404


def test_password_change_needs_the_current_one_and_ends_other_sessions(env):
    client, user = env
    first, auth = user("cambia")
    other = client.simulate_post(
        "/api/auth/login", json={"username": "cambia", "password": PASSWORD}
    ).json
    wrong = client.simulate_patch(
        "/api/auth/me/password",
        json={"password_actual": "no-es-esta-1", "password_nuevo": "Otra-Clave-Segura-9"},
        headers=auth,
    )
    assert wrong.status_code == 400  # not 401: the session itself is fine
    assert wrong.json["detalles"] == {"password_actual": "incorrecta"}
    common = client.simulate_patch(
        "/api/auth/me/password",
        json={"password_actual": PASSWORD, "password_nuevo": "password1"},
        headers=auth,
    )
    assert common.status_code == 400 and "password_nuevo" in common.json["detalles"]
    ok = client.simulate_patch(
        "/api/auth/me/password",
        json={"password_actual": PASSWORD, "password_nuevo": "Otra-Clave-Segura-9"},
        headers=auth,
    )
    assert ok.status_code == 200
    assert client.simulate_get("/api/auth/me", headers=auth).status_code == 200
    assert (
        client.simulate_get("/api/auth/me", headers=bearer(other["access_token"])).status_code
        == 401
    )
    old = client.simulate_post("/api/auth/login", json={"username": "cambia", "password": PASSWORD})
    assert old.status_code == 401
    new = client.simulate_post(
        "/api/auth/login", json={"username": "cambia", "password": "Otra-Clave-Segura-9"}
    )
    assert new.status_code == 200
    assert first["usuario"]["id"] == new.json["usuario"]["id"]


def test_favourites_unique_one_default_and_used_by_queries(env):
    client, user = env
    _, auth = user("viajera")
    medellin = {"nombre_ciudad": "Medellín", "latitud": 6.2518, "longitud": -75.5636, "pais": "CO"}
    first = client.simulate_post(
        "/api/ciudades-favoritas", json={**medellin, "es_default": True}, headers=auth
    )
    assert first.status_code == 201 and first.json["ciudad_favorita"]["es_default"] is True
    dup = client.simulate_post(
        "/api/ciudades-favoritas", json={**medellin, "nombre_ciudad": "Otra"}, headers=auth
    )
    assert dup.status_code == 409
    bogota = {"nombre_ciudad": "Bogotá", "latitud": 4.61, "longitud": -74.08, "es_default": True}
    second = client.simulate_post("/api/ciudades-favoritas", json=bogota, headers=auth).json[
        "ciudad_favorita"
    ]
    listing = client.simulate_get("/api/ciudades-favoritas", headers=auth).json[
        "ciudades_favoritas"
    ]
    assert [f["es_default"] for f in listing] == [False, True]
    query = client.simulate_post("/api/consultas/tiempo-real", json={}, headers=auth)
    assert query.status_code == 201
    assert query.json["ubicacion"]["ciudad"] == "Bogotá"
    patched = client.simulate_patch(
        f"/api/ciudades-favoritas/{first.json['ciudad_favorita']['id']}",
        json={"es_default": True},
        headers=auth,
    )
    assert patched.status_code == 200
    listing = client.simulate_get("/api/ciudades-favoritas", headers=auth).json[
        "ciudades_favoritas"
    ]
    assert [f["es_default"] for f in listing] == [True, False]
    _, stranger = user("extrana")
    assert (
        client.simulate_delete(
            f"/api/ciudades-favoritas/{second['id']}", headers=stranger
        ).status_code
        == 404
    )
    assert (
        client.simulate_delete(f"/api/ciudades-favoritas/{second['id']}", headers=auth).status_code
        == 204
    )


def test_query_without_location_and_without_default_is_400(env):
    client, user = env
    _, auth = user("sin_favorita")
    result = client.simulate_post("/api/consultas/tiempo-real", json={}, headers=auth)
    assert result.status_code == 400


def test_audit_log_for_admin_and_own_activity(env):
    client, user = env
    _, admin = user("jefa", Role.ADMIN)
    me, auth = user("auditada")
    client.simulate_post(
        "/api/auth/login", json={"username": "auditada", "password": "Mala-clave-99"}
    )
    client.simulate_post(
        "/api/consultas/tiempo-real", json={"latitud": 4.6, "longitud": -74.1}, headers=auth
    )
    own = client.simulate_get("/api/auth/me/actividad", headers=auth).json
    actions = [e["accion"] for e in own["actividad"]]
    assert "registro" in actions and "login_fallido" in actions
    assert "consulta_tiempo_real" in actions
    logs = client.simulate_get("/api/logs", params={"accion": "login_fallido"}, headers=admin).json
    assert logs["total"] == 1 and logs["logs"][0]["usuario_id"] == me["usuario"]["id"]
    by_user = client.simulate_get(
        "/api/logs", params={"usuario": me["usuario"]["id"]}, headers=admin
    ).json
    assert {e["usuario_id"] for e in by_user["logs"]} == {me["usuario"]["id"]}
    assert "Mala-clave-99" not in str(by_user) and PASSWORD not in str(by_user)


def test_reports_own_and_global(env):
    client, user = env
    _, op = user("operaria")
    _, viewer = user("lectora", Role.VIEWER)
    for _ in range(2):
        client.simulate_post("/api/consultas/tiempo-real", json={"ciudad": "Medellín"}, headers=op)
    own = client.simulate_get("/api/reportes/estadisticas", headers=op).json
    assert own["alcance"] == "propio"
    assert (own["total_consultas"], own["completadas"], own["tasa_exito"]) == (2, 2, 1.0)
    assert own["ciudades_principales"] == [{"ciudad": "Medellín", "consultas": 2}]
    assert own["proveedores"]["a"]["llamadas"] == 2
    assert own["tiempo_respuesta_medio_ms"] is not None
    glob = client.simulate_get("/api/reportes/estadisticas", headers=viewer).json
    assert glob["alcance"] == "global"
    by_user = {row["username"]: row for row in glob["por_usuario"]}
    assert by_user["operaria"]["total_consultas"] == 2
    assert by_user["lectora"]["total_consultas"] == 0
    bad = client.simulate_get("/api/reportes/estadisticas", params={"desde": "ayer"}, headers=op)
    assert bad.status_code == 400


def test_guessing_the_current_password_is_throttled(env):
    client, user = env
    _, auth = user("adivinada")
    body = {"password_actual": "no-es-esta-1", "password_nuevo": "Otra-Clave-Segura-9"}
    answers = [
        client.simulate_patch("/api/auth/me/password", json=body, headers=auth).status_code
        for _ in range(11)
    ]
    assert answers == [400] * 10 + [429]
    right = {"password_actual": PASSWORD, "password_nuevo": "Otra-Clave-Segura-9"}
    assert (
        client.simulate_patch("/api/auth/me/password", json=right, headers=auth).status_code == 429
    )


def test_consultor_cannot_see_another_users_unfinished_query(env, container):
    from domain.model.consensus import Reason

    client, user = env
    container.weather_providers()["a"].fail = (Reason.ERROR, "http_500")
    _, op = user("fallida")
    failed = client.simulate_post(
        "/api/consultas/tiempo-real", json={"latitud": 4.6, "longitud": -74.1}, headers=op
    )
    assert failed.status_code == 502
    query_id = client.simulate_get("/api/consultas/mis-consultas", headers=op).json["consultas"][0][
        "id"
    ]
    _, viewer = user("lectora", Role.VIEWER)
    assert client.simulate_get(f"/api/consultas/{query_id}", headers=viewer).status_code == 404
    _, admin = user("jefa", Role.ADMIN)
    assert client.simulate_get(f"/api/consultas/{query_id}", headers=admin).status_code == 200


def test_an_admin_lifts_a_login_lock_and_both_show_in_the_audit_log(env):
    client, user = env
    _, admin = user("jefa", Role.ADMIN)
    victim, operario = user("bloqueada")
    here = "198.51.100.8"
    wrong = {"username": "bloqueada", "password": "Incorrecta-123"}
    right = {"username": "bloqueada", "password": PASSWORD}
    for _ in range(10):
        client.simulate_post("/api/auth/login", json=wrong, remote_addr=here)
    assert client.simulate_post("/api/auth/login", json=right, remote_addr=here).status_code == 429
    path = f"/api/usuarios/{victim['usuario']['id']}/bloqueo"
    assert client.simulate_delete(path, headers=operario).status_code == 403
    assert client.simulate_delete("/api/usuarios/999999/bloqueo", headers=admin).status_code == 404
    assert client.simulate_delete(path, headers=admin).status_code == 204
    assert client.simulate_post("/api/auth/login", json=right, remote_addr=here).status_code == 200
    logs = client.simulate_get("/api/logs", params={"accion": "bloqueo_login"}, headers=admin)
    assert {e["detalle"]["alcance"] for e in logs.json["logs"]} == {
        "cuenta_y_direccion",
        "cuenta_direcciones_con_fallos",
    }
    lifted = client.simulate_get("/api/logs", params={"accion": "desbloqueo_login"}, headers=admin)
    assert lifted.json["logs"][0]["detalle"]["usuario_id"] == victim["usuario"]["id"]
