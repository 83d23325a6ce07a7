"""Twenty identical registrations at once: exactly one 201, the rest 409, on real databases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from falcon import testing

from climaguru.app import create_app
from tests.unit.http.helpers import PASSWORD


def test_twenty_concurrent_identical_registrations(sql_container):
    client = testing.TestClient(create_app(sql_container))
    body = {"username": "simultanea", "email": "simultanea@ejemplo.co", "password": PASSWORD}

    def attempt(i: int) -> int:  # from 20 addresses: the per-address sign-up limit is not at stake
        return client.simulate_post(
            "/api/auth/register", json=body, remote_addr=f"198.51.100.{i + 1}"
        ).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(attempt, range(20)))
    assert sorted(statuses) == [201] + [409] * 19
    with sql_container.uow() as uow:
        assert uow.users.find_by_login("SIMULTANEA") is not None


def test_walkthrough_on_a_real_database(sql_container):
    client = testing.TestClient(create_app(sql_container))
    reg = client.simulate_post(
        "/api/auth/register",
        json={"username": "real", "email": "real@ejemplo.co", "password": PASSWORD},
    )
    assert reg.status_code == 201
    login = client.simulate_post("/api/auth/login", json={"username": "real", "password": PASSWORD})
    access = login.json["access_token"]
    auth = {"Authorization": f"Bearer {access}"}
    assert client.simulate_get("/api/auth/me", headers=auth).json["usuario"]["ultimo_login"]
    refreshed = client.simulate_post(
        "/api/auth/refresh", json={"refresh_token": login.json["refresh_token"]}
    )
    assert refreshed.status_code == 200
    assert client.simulate_post("/api/auth/logout", headers=auth).status_code == 200
    assert client.simulate_get("/api/auth/me", headers=auth).status_code == 401
    assert client.simulate_get("/api/health").json == {"estado": "ok", "base_de_datos": "ok"}
