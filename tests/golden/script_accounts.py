"""Golden script, accounts side: registration, login, tokens, users, favourites, API keys."""

from __future__ import annotations

from climaguru.container import Container
from domain.model.users import Role
from domain.use_cases.register_user import RegisterUserCommand
from tests.conftest import FakeClock
from tests.golden.recorder import Session

PASSWORD = "Cordillera-Andina-2026"
ENSCHEDE = {"latitud": 52.26713, "longitud": 6.820702}


def accounts(s: Session, container: Container, clock: FakeClock) -> tuple[str, str, str]:
    register = container.register_user()
    register(
        RegisterUserCommand("jefa", "jefa@ejemplo.co", PASSWORD), role=Role.ADMIN, sign_in=False
    )
    user = {"username": "operaria", "email": "operaria@ejemplo.co", "password": PASSWORD}
    operaria = s.call("register", "POST", "/api/auth/register", json=user).json["access_token"]
    s.call("register twice", "POST", "/api/auth/register", json=user)
    bad = {"username": "x", "email": "no-es-correo", "password": "corta"}
    s.call("register invalid", "POST", "/api/auth/register", json=bad)
    s.call(
        "register common password",
        "POST",
        "/api/auth/register",
        json={**user, "username": "comun", "email": "c@ejemplo.co", "password": "password1"},
    )
    s.call(
        "register not json",
        "POST",
        "/api/auth/register",
        body="username=a",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    s.call(
        "register broken json",
        "POST",
        "/api/auth/register",
        body="{",
        headers={"Content-Type": "application/json"},
    )
    s.call(
        "register too big",
        "POST",
        "/api/auth/register",
        body='{"a": "' + "x" * 5000 + '"}',
        headers={"Content-Type": "application/json"},
    )
    otro_body = {"username": "otro", "email": "otro@ejemplo.co", "password": PASSWORD}
    s.call("register (legacy path)", "POST", "/api/usuarionuevo", json=otro_body)
    login = {"username": "jefa", "password": PASSWORD}
    admin = s.call("login admin", "POST", "/api/auth/login", json=login).json
    s.call(
        "login by email",
        "POST",
        "/api/auth/login",
        json={"username": "otro@ejemplo.co", "password": PASSWORD},
    )
    s.call(
        "login unknown", "POST", "/api/auth/login", json={"username": "nadie", "password": "x" * 12}
    )
    s.call("login missing field", "POST", "/api/auth/login", json={"username": "jefa"})
    for n in range(4):
        s.call(
            f"login wrong password {n + 1}",
            "POST",
            "/api/auth/login",
            json={"username": "otro", "password": "equivocada-123"},
        )
    s.call("login locked even when right", "POST", "/api/auth/login", json=otro_body)
    clock.advance(1000)  # the login lock (900 s) is over
    refresh = {"refresh_token": admin["refresh_token"]}
    renewed = s.call("refresh", "POST", "/api/auth/refresh", json=refresh).json
    s.call("refresh reused", "POST", "/api/auth/refresh", json=refresh)
    s.call("refresh garbage", "POST", "/api/auth/refresh", json={"refresh_token": "nope"})
    s.call("refresh missing", "POST", "/api/auth/refresh", json={})
    s.call("me", "GET", "/api/auth/me", renewed["access_token"])
    s.call("me without token", "GET", "/api/auth/me")
    s.call("me with garbage token", "GET", "/api/auth/me", "no.es.jwt")
    s.call("me with basic auth", "GET", "/api/auth/me", headers={"Authorization": "Basic YTpi"})
    otro = s.call(
        "register third",
        "POST",
        "/api/auth/register",
        json={"username": "tercera", "email": "t@ejemplo.co", "password": PASSWORD},
    )
    otro_token = otro.json["access_token"]
    change = {"password_actual": "no-es-esta-1", "password_nuevo": "Otra-Clave-Segura-9"}
    s.call("password wrong current", "PATCH", "/api/auth/me/password", otro_token, json=change)
    weak = {"password_actual": PASSWORD, "password_nuevo": "password1"}
    s.call("password too common", "PATCH", "/api/auth/me/password", otro_token, json=weak)
    ok = {"password_actual": PASSWORD, "password_nuevo": "Otra-Clave-Segura-9"}
    s.call("password changed", "PATCH", "/api/auth/me/password", otro_token, json=ok)
    s.call("old token after password change", "GET", "/api/auth/me", otro_token)
    again = {"username": "tercera", "password": "Otra-Clave-Segura-9"}
    otro_token = s.call("login new password", "POST", "/api/auth/login", json=again).json[
        "access_token"
    ]
    s.call("my activity", "GET", "/api/auth/me/actividad", otro_token)
    s.call(
        "my activity page",
        "GET",
        "/api/auth/me/actividad",
        otro_token,
        params={"page": "1", "per_page": "2"},
    )
    s.call(
        "my activity bad page", "GET", "/api/auth/me/actividad", otro_token, params={"page": "x"}
    )
    return renewed["access_token"], operaria, otro_token


def users(s: Session, admin: str, operaria: str) -> str:
    s.call("users list", "GET", "/api/usuarios", admin)
    s.call("users filtered", "GET", "/api/usuarios", admin, params={"rol": "operario", "q": "OPER"})
    s.call("users bad role filter", "GET", "/api/usuarios", admin, params={"rol": "jefe"})
    s.call("users as operario", "GET", "/api/usuarios", operaria)
    new = {
        "username": "lector",
        "email": "lector@ejemplo.co",
        "password": PASSWORD,
        "rol": "consultor",
    }
    created = s.call("user created", "POST", "/api/usuarios", admin, json=new).json["usuario"]
    s.call("user created twice", "POST", "/api/usuarios", admin, json=new)
    s.call(
        "user bad role", "POST", "/api/usuarios", admin, json={**new, "username": "z", "rol": "rey"}
    )
    s.call("user create as operario", "POST", "/api/usuarios", operaria, json=new)
    uid = created["id"]
    s.call("user read", "GET", f"/api/usuarios/{uid}", admin)
    s.call("user not found", "GET", "/api/usuarios/999999", admin)
    s.call("user id not a number", "GET", "/api/usuarios/abc", admin)
    s.call("user patched", "PATCH", f"/api/usuarios/{uid}", admin, json={"email": "lec@ejemplo.co"})
    s.call("user patch unknown field", "PATCH", f"/api/usuarios/{uid}", admin, json={"clave": 1})
    tmp = {"username": "temporal", "email": "tmp@ejemplo.co", "password": PASSWORD}
    tmp_id = s.call("user to delete", "POST", "/api/usuarios", admin, json=tmp).json["usuario"][
        "id"
    ]
    s.call("user deleted", "DELETE", f"/api/usuarios/{tmp_id}", admin)
    s.call("user deleted again", "DELETE", f"/api/usuarios/{tmp_id}", admin)
    login = {"username": "lector", "password": PASSWORD}
    return s.call("login consultor", "POST", "/api/auth/login", json=login).json["access_token"]


def favorites(s: Session, operaria: str, lector: str) -> None:
    city = {"nombre_ciudad": "Enschede", **ENSCHEDE, "pais": "NL", "es_default": True}
    fav = s.call("favorite created", "POST", "/api/ciudades-favoritas", operaria, json=city).json
    s.call(
        "favorite duplicate",
        "POST",
        "/api/ciudades-favoritas",
        operaria,
        json={**city, "nombre_ciudad": "Otra"},
    )
    s.call(
        "favorite invalid",
        "POST",
        "/api/ciudades-favoritas",
        operaria,
        json={"nombre_ciudad": "", "latitud": 95, "longitud": 0},
    )
    s.call("favorite as consultor", "POST", "/api/ciudades-favoritas", lector, json=city)
    bogota = {"nombre_ciudad": "Bogotá", "latitud": 4.61, "longitud": -74.08}
    second = s.call(
        "favorite second", "POST", "/api/ciudades-favoritas", operaria, json=bogota
    ).json
    s.call("favorites list", "GET", "/api/ciudades-favoritas", operaria)
    sid = second["ciudad_favorita"]["id"]
    s.call(
        "favorite patched",
        "PATCH",
        f"/api/ciudades-favoritas/{sid}",
        operaria,
        json={"nombre_ciudad": "Bogotá D.C."},
    )
    s.call(
        "favorite patch invalid",
        "PATCH",
        f"/api/ciudades-favoritas/{sid}",
        operaria,
        json={"latitud": "norte"},
    )
    s.call(
        "favorite patch missing",
        "PATCH",
        "/api/ciudades-favoritas/999999",
        operaria,
        json={"es_default": True},
    )
    s.call("favorite deleted", "DELETE", f"/api/ciudades-favoritas/{sid}", operaria)
    s.call("favorite deleted again", "DELETE", f"/api/ciudades-favoritas/{sid}", operaria)
    s.call("favorites list after", "GET", "/api/ciudades-favoritas", operaria)
    assert fav["ciudad_favorita"]["es_default"] is True


def api_keys(s: Session, operaria: str, otro: str) -> int:
    body = {
        "proveedor": "openweathermap",
        "api_key": "owm-7f3a9c2e4b1d8a6f",
        "limite_consultas_diarias": 5,
    }
    key = s.call("api key created", "POST", "/api/api-keys", operaria, json=body).json["api_key"]
    s.call("api key twice", "POST", "/api/api-keys", operaria, json=body)
    s.call(
        "api key unknown provider",
        "POST",
        "/api/api-keys",
        operaria,
        json={**body, "proveedor": "nadie"},
    )
    s.call(
        "api key for keyless provider",
        "POST",
        "/api/api-keys",
        operaria,
        json={**body, "proveedor": "open_meteo"},
    )
    s.call("api keys list", "GET", "/api/api-keys", operaria)
    kid = key["id"]
    s.call("api key read", "GET", f"/api/api-keys/{kid}", operaria)
    s.call("api key of someone else", "GET", f"/api/api-keys/{kid}", otro)
    s.call(
        "api key patched", "PATCH", f"/api/api-keys/{kid}", operaria, json={"descripcion": "mía"}
    )
    s.call(
        "api key patch invalid",
        "PATCH",
        f"/api/api-keys/{kid}",
        operaria,
        json={"limite_consultas_diarias": -1},
    )
    s.call("api key patch other", "PATCH", f"/api/api-keys/{kid}", otro, json={"activa": False})
    s.call("api key not found", "GET", "/api/api-keys/999999", operaria)
    spare = s.call("api key to delete", "POST", "/api/api-keys", otro, json=body).json["api_key"]
    s.call("api key probe", "POST", f"/api/api-keys/{spare['id']}/probar", otro)
    s.call("api key probe other", "POST", f"/api/api-keys/{spare['id']}/probar", operaria)
    s.call("api key deleted", "DELETE", f"/api/api-keys/{spare['id']}", otro)
    s.call("api key deleted again", "DELETE", f"/api/api-keys/{spare['id']}", otro)
    return kid


def last_admin_and_logout(s: Session, admin: str, operaria: str) -> None:
    me = s.call("admin me", "GET", "/api/auth/me", admin).json["usuario"]
    s.call(
        "demote last admin", "PATCH", f"/api/usuarios/{me['id']}", admin, json={"rol": "operario"}
    )
    s.call("delete last admin", "DELETE", f"/api/usuarios/{me['id']}", admin)
    s.call("logout", "POST", "/api/auth/logout", operaria)
    s.call("token after logout", "GET", "/api/auth/me", operaria)
    s.call("logout without token", "POST", "/api/auth/logout")
