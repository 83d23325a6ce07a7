"""Login locks that a stranger cannot turn against the owner, and the admin who lifts them."""

from __future__ import annotations

import pytest
from attrs import evolve

from domain.errors import AuthenticationFailed, PermissionDenied, TooManyAttempts
from domain.model.tokens import ClientInfo
from domain.model.users import Role
from domain.use_cases.login import LoginCommand
from domain.use_cases.register_user import RegisterUserCommand
from tests.unit.use_cases.conftest import PASSWORD

HOME = ClientInfo("192.0.2.1", "casa/1.0")


def at(n: int) -> ClientInfo:
    return ClientInfo(f"198.51.100.{n}", "atacante/1.0")


def fail(world, login: str, client: ClientInfo) -> type[Exception]:
    with pytest.raises((AuthenticationFailed, TooManyAttempts)) as caught:
        world.login(LoginCommand(login, "mala clave", client))
    return caught.type


def locks(world) -> list[str]:
    return [e.detail["scope"] for e in world.store.activity if e.action == "bloqueo_login"]


@pytest.fixture
def ana(world):
    world.register(RegisterUserCommand("ana", "ana@ejemplo.co", PASSWORD, None, HOME))
    return world


def test_the_pair_locks_after_max_failures_and_the_owner_elsewhere_still_signs_in(ana):
    assert [fail(ana, "ana", at(1)) for _ in range(4)] == [AuthenticationFailed] * 3 + [
        TooManyAttempts
    ]
    with pytest.raises(TooManyAttempts) as caught:
        ana.login(LoginCommand("ana", PASSWORD, at(1)))
    assert caught.value.retry_after == ana.policy.failure_window
    assert ana.login(LoginCommand("ana", PASSWORD, HOME)).tokens is not None
    assert locks(ana) == ["cuenta_y_direccion", "cuenta_direcciones_con_fallos"]


def test_the_account_count_refuses_only_addresses_that_failed_on_it(ana):
    for n in range(3):  # one failure each from three addresses: the account is at the limit
        assert fail(ana, "ana", at(n)) is AuthenticationFailed
    assert fail(ana, "ana", at(0)) is TooManyAttempts
    assert fail(ana, "ana", at(9)) is AuthenticationFailed  # a new address gets its try
    assert ana.login(LoginCommand("ana", PASSWORD, HOME)).tokens is not None


def test_an_account_with_the_hourly_cap_of_failures_refuses_every_address(ana):
    ana.policy = evolve(ana.policy, account_cap=6)
    for n in range(6):
        assert fail(ana, "ana", at(n)) is AuthenticationFailed
        ana.clock.advance(300)  # spread over 30 minutes: under the 15-minute limits
    with pytest.raises(TooManyAttempts) as caught:
        ana.login(LoginCommand("ana", PASSWORD, HOME))
    assert 0 < caught.value.retry_after <= ana.policy.account_cap_window
    assert "cuenta_todas_las_direcciones" in locks(ana)


def test_one_address_spraying_many_accounts_locks_at_its_own_threshold(ana):
    ana.policy = evolve(ana.policy, address_max_failures=5)
    for n in range(4):
        assert fail(ana, f"nadie{n}", at(1)) is AuthenticationFailed
    assert ana.login(LoginCommand("ana", PASSWORD, at(1))).tokens is not None  # not a failure
    assert fail(ana, "nadie", at(1)) is AuthenticationFailed
    with pytest.raises(TooManyAttempts):
        ana.login(LoginCommand("ana", PASSWORD, at(1)))
    assert locks(ana) == ["direccion"]


def test_an_admin_lifts_the_locks_of_an_account_and_it_is_audited(ana):
    for _ in range(3):
        fail(ana, "ana", at(1))
    admin, other = ana.user("jefa", Role.ADMIN), ana.user("otro")
    ana_id = ana.store.activity[0].user_id
    with pytest.raises(PermissionDenied):
        ana.users.unlock(other, ana_id, HOME)
    assert ana.users.unlock(admin, ana_id, HOME).username == "ana"
    assert ana.login(LoginCommand("ana", PASSWORD, at(1))).tokens is not None
    lifted = [e for e in ana.store.activity if e.action == "desbloqueo_login"]
    assert lifted[0].user_id == admin.user_id and lifted[0].detail["user_id"] == ana_id


def test_sign_ups_from_one_address_stop_at_the_limit(world):
    world.policy = evolve(world.policy, registrations_per_address=2)
    register = world.register
    for name in ("uno", "dos"):
        register(RegisterUserCommand(name, f"{name}@ejemplo.co", PASSWORD, None, HOME))
    with pytest.raises(TooManyAttempts) as caught:
        register(RegisterUserCommand("tres", "tres@ejemplo.co", PASSWORD, None, HOME))
    assert caught.value.retry_after == 3600
    register(RegisterUserCommand("tres", "tres@ejemplo.co", PASSWORD, None, at(1)))
