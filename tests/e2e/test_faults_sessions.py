"""Logout and deactivation reach every gunicorn worker at once (state lives in MariaDB)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.e2e.harness import Gunicorn, app_env, bearer, create_admin, register

pytestmark = [pytest.mark.e2e, pytest.mark.mysql]


@pytest.fixture
def server(tmp_path, mysql_engine):
    env = app_env(tmp_path, mysql_engine.url.render_as_string(hide_password=False))
    with Gunicorn(env, tmp_path, workers=3, threads=2) as running:
        yield running


def _me_many(url: str, token: str, n: int) -> list[requests.Response]:
    def call(_i: int) -> requests.Response:
        # A new connection each time (no keep-alive session), so the kernel spreads them out.
        return requests.get(f"{url}/api/auth/me", headers=bearer(token), timeout=10)

    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(pool.map(call, range(n)))


def _rejected(responses: list[requests.Response]) -> None:
    assert {r.status_code for r in responses} == {401}, [r.text for r in responses]
    assert all(r.headers["WWW-Authenticate"].startswith("Bearer") for r in responses)
    assert all(r.json()["error"] for r in responses)


def test_logout_and_deactivation_are_seen_by_every_worker(server, tmp_path):
    base = server.url
    admin = create_admin(server.env, tmp_path, base)
    leaving = register(base, "saliente")
    banned = register(base, "vetado")
    for token in (leaving["access_token"], banned["access_token"]):
        assert {r.status_code for r in _me_many(base, token, 18)} == {200}
    assert len(server.pids(200, "/api/auth/me")) >= 2, "only one worker answered"

    out = requests.post(
        f"{base}/api/auth/logout", headers=bearer(leaving["access_token"]), timeout=10
    )
    assert out.status_code == 200, out.text
    _rejected(_me_many(base, leaving["access_token"], 30))
    assert len(server.pids(401, "/api/auth/me")) >= 2, "only one worker rejected the token"
    first_pids = server.pids(401, "/api/auth/me")

    user_id = banned["usuario"]["id"]
    gone = requests.delete(
        f"{base}/api/usuarios/{user_id}", headers=bearer(admin["access_token"]), timeout=10
    )
    assert gone.status_code == 200, gone.text
    assert gone.json()["usuario"]["activo"] is False
    before = len(server.access())
    _rejected(_me_many(base, banned["access_token"], 30))
    refused_by = {h.pid for h in server.access()[before:] if h.status == 401}
    assert len(refused_by) >= 2, f"only worker(s) {refused_by} rejected the deactivated user"
    refresh = requests.post(
        f"{base}/api/auth/refresh", json={"refresh_token": banned["refresh_token"]}, timeout=10
    )
    assert refresh.status_code == 401, refresh.text
    print(f"401s from workers {sorted(first_pids)} (logout) and {sorted(refused_by)} (baja)")
