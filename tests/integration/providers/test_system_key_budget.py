"""Issue 12.1/12.7: system-key budgets charge real calls only; a key probe never uses the cache."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.memory.store import MemoryStore
from adapters.memory.uow import InMemoryUnitOfWork
from adapters.providers.http_client import ProviderHttp, make_session
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import Credentials
from domain.model.users import Role, User
from domain.use_cases.provider_calls import ProviderCalls
from ports.providers import ProviderUnavailable
from tests.integration.providers.test_openweathermap import (
    CURRENT,
    PARIS,
    ZOCCA,
    provider,
    serve,
)
from tests.unit.use_cases.conftest import serial_fan_out

NOW = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)


class PlainBox:
    """No user key is stored here: the box is never asked to decrypt."""

    def decrypt(self, ciphertext: str) -> str:
        raise AssertionError("no user key")


def test_cache_hits_do_not_charge_the_system_key_budget(httpserver, tmp_path):
    serve(httpserver, CURRENT, "current-2.5-zocca-docs-example.json")
    options = {"backend": "sqlite", "cache_name": str(tmp_path / "cache.sqlite")}
    http = ProviderHttp("openweathermap", httpserver.url_for("/"), 2.0, make_session(options))
    store = MemoryStore()
    uow = lambda: InMemoryUnitOfWork(store)  # noqa: E731
    with uow() as u:
        user = u.users.add(User(None, "ana", "ana@x.co", "h", Role.OPERATOR, True, NOW))
        u.commit()
    calls = ProviderCalls(
        uow, {"openweathermap": provider(http)}, serial_fan_out, PlainBox(),
        {"openweathermap": Credentials("clave-sistema")}, lambda: NOW, 5.0, "UTC",
        system_budget=1,
    )  # fmt: skip

    def ask(where: Location):
        answer = lambda p, c: p.current(where, ["temperatura"], c)  # noqa: E731
        return calls.ask(user.id, ["openweathermap"], answer)["openweathermap"]

    def upstream_calls() -> int:  # only this test's path: slow handlers of earlier tests log late
        return sum(1 for request, _ in httpserver.log if request.path == CURRENT)

    before = upstream_calls()
    assert [ask(ZOCCA).ok for _ in range(5)] == [True] * 5  # one real call, four cache hits
    assert upstream_calls() == before + 1
    spent = ask(PARIS)  # not in the cache: a real call, and the budget is spent
    assert (spent.ok, spent.code) == (False, "cuota_agotada")
    assert upstream_calls() == before + 1
    with uow() as u:
        assert u.usage.system_key_usage(user.id, NOW.date()) == [(user.id, "openweathermap", 1)]


def test_a_probe_call_skips_the_cache_so_a_revoked_key_shows(httpserver, tmp_path):
    """Issue 12.7: a key revoked at the provider must not read valida from a cached 200."""
    serve(httpserver, CURRENT, "current-2.5-zocca-docs-example.json")
    options = {"backend": "sqlite", "cache_name": str(tmp_path / "cache.sqlite")}
    http = ProviderHttp("openweathermap", httpserver.url_for("/"), 2.0, make_session(options))
    owm = provider(http)
    assert owm.current(ZOCCA, ["temperatura"], Credentials("k", charge=lambda: True)).readings
    httpserver.clear()  # the key is revoked: OWM now answers 401
    serve(httpserver, CURRENT, "public-error-401-invalid-api-key.json", status=401)
    cached = owm.current(ZOCCA, ["temperatura"], Credentials("k", charge=lambda: True))
    assert cached.readings  # an ordinary query may still be answered from the cache
    with pytest.raises(ProviderUnavailable) as probe:
        owm.current(ZOCCA, ["temperatura"], Credentials("k", fresh=True))
    assert probe.value.reason is Reason.CLAVE_INVALIDA
