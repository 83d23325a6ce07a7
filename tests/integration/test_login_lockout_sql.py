"""The login lock on real databases: check and record are one step, whatever the concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from falcon import testing

from climaguru.app import create_app
from ports.repositories import ActivityFilter
from tests.unit.http.helpers import PASSWORD


def test_forty_concurrent_wrong_passwords_process_exactly_ten(sql_container):
    client = testing.TestClient(create_app(sql_container))
    body = {"username": "asediada", "email": "asediada@ejemplo.co", "password": PASSWORD}
    assert client.simulate_post("/api/auth/register", json=body).status_code == 201
    wrong = {"username": "asediada", "password": "Incorrecta-123"}

    def attempt(_: int) -> int:
        return client.simulate_post("/api/auth/login", json=wrong).status_code

    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(attempt, range(40)))
    assert sorted(statuses) == [401] * 10 + [429] * 30
    with sql_container.uow() as uow:
        locks, _ = uow.activity.search(ActivityFilter(action="bloqueo_login"), 0, 10)
        failed, _ = uow.activity.search(ActivityFilter(action="login_fallido"), 0, 50)
    assert len(failed) == 10
    assert sorted(entry.detail["scope"] for entry in locks) == [
        "cuenta_direcciones_con_fallos",
        "cuenta_y_direccion",
    ]
    # The owner, from an address that never failed, still signs in.
    ok = client.simulate_post(
        "/api/auth/login",
        json={"username": "asediada", "password": PASSWORD},
        remote_addr="192.0.2.44",
    )
    assert ok.status_code == 200
