"""Registration, login, refresh, logout, authentication and password change, called directly."""

from __future__ import annotations

import pytest

from domain.errors import (
    AuthenticationFailed,
    Conflict,
    PermissionDenied,
    TooManyAttempts,
    ValidationError,
)
from domain.model.users import Role
from domain.use_cases.change_password import ChangePasswordCommand
from domain.use_cases.login import LoginCommand
from domain.use_cases.refresh_tokens import RefreshTokensCommand
from domain.use_cases.register_user import RegisterUserCommand
from tests.unit.use_cases.conftest import CLIENT, PASSWORD


def signed_up(world, name: str = "ana"):
    return world.register(RegisterUserCommand(name, f"{name}@ejemplo.co", PASSWORD, None, CLIENT))


def test_registration_stores_an_operario_signs_it_in_and_audits(world):
    session = signed_up(world)
    assert session.user.id is not None and session.user.role is Role.OPERATOR
    assert session.tokens is not None and session.tokens.expires_in == world.policy.access_ttl
    entry = world.store.activity[-1]
    assert (entry.action, entry.user_id, entry.ip) == ("registro", session.user.id, "10.0.0.7")
    assert entry.detail == {"username": "ana", "role": "operario", "user_id": session.user.id}


def test_registration_refuses_a_duplicate_and_a_common_password(world):
    signed_up(world)
    with pytest.raises(Conflict):
        signed_up(world)
    with pytest.raises(ValidationError) as caught:
        world.register(RegisterUserCommand("otro", "otro@ejemplo.co", "password123"))
    assert caught.value.details == {"password": "demasiado_comun"}


def test_login_by_username_or_email_and_every_failure_looks_the_same(world):
    signed_up(world)
    assert world.login(LoginCommand("ANA", PASSWORD, CLIENT)).user.last_login == world.clock()
    assert world.login(LoginCommand("ana@ejemplo.co", PASSWORD)).tokens is not None
    for login, password in (("ana", "mala clave"), ("nadie", PASSWORD), ("", "")):
        with pytest.raises(AuthenticationFailed) as caught:
            world.login(LoginCommand(login, password, CLIENT))
        assert caught.value.message == "usuario o contraseña incorrectos"
    assert world.actions()[-2:] == ["login_fallido", "login_fallido"]
    assert world.store.activity[-1].detail == {"account": "desconocida"}


def test_login_is_throttled_after_max_failures_until_the_window_moves(world):
    signed_up(world)
    for _ in range(world.policy.max_failures):
        with pytest.raises(AuthenticationFailed):
            world.login(LoginCommand("ana", "mala clave", CLIENT))
    with pytest.raises(TooManyAttempts) as caught:
        world.login(LoginCommand("ana", PASSWORD, CLIENT))
    assert caught.value.retry_after == world.policy.failure_window
    world.clock.advance(world.policy.failure_window)
    assert world.login(LoginCommand("ana", PASSWORD, CLIENT)).tokens is not None


def test_refresh_rotates_forgives_a_quick_retry_and_kills_the_family_on_replay(world):
    tokens = signed_up(world).tokens
    first = world.refresh(RefreshTokensCommand(tokens.refresh_token, CLIENT))
    world.clock.advance(world.policy.refresh_reuse_grace)
    assert world.refresh(RefreshTokensCommand(tokens.refresh_token, CLIENT)).access_token
    world.clock.advance(1)
    with pytest.raises(AuthenticationFailed):
        world.refresh(RefreshTokensCommand(tokens.refresh_token, CLIENT))
    assert world.actions()[-1] == "refresh_reutilizado"
    with pytest.raises(AuthenticationFailed):  # the whole family is dead now
        world.refresh(RefreshTokensCommand(first.refresh_token, CLIENT))


def test_refresh_refuses_an_access_token_and_garbage(world):
    tokens = signed_up(world).tokens
    for token in (tokens.access_token, "basura", None):
        with pytest.raises(AuthenticationFailed):
            world.refresh(RefreshTokensCommand(token, CLIENT))


def test_authenticate_reads_role_and_status_and_logout_revokes(world):
    session = signed_up(world)
    principal = world.authenticate(session.tokens.access_token)
    assert (principal.user_id, principal.role) == (session.user.id, Role.OPERATOR)
    assert world.current_user(principal).username == "ana"
    world.logout(principal, CLIENT)
    with pytest.raises(AuthenticationFailed):
        world.authenticate(session.tokens.access_token)
    with pytest.raises(AuthenticationFailed):
        world.refresh(RefreshTokensCommand(session.tokens.refresh_token))
    assert world.actions()[-1] == "logout"


def test_change_password_checks_the_current_one_and_ends_other_sessions(world):
    session = signed_up(world)
    other = world.login(LoginCommand("ana", PASSWORD)).tokens
    principal = world.authenticate(session.tokens.access_token)
    with pytest.raises(ValidationError) as caught:
        world.change_password(ChangePasswordCommand(principal, "mala", "otra clave nueva"))
    assert caught.value.details == {"password_actual": "incorrecta"}
    with pytest.raises(ValidationError) as caught:
        world.change_password(ChangePasswordCommand(principal, PASSWORD, "corta"))
    assert caught.value.message == "password_nuevo debe tener al menos 8 caracteres"
    assert caught.value.details == {"password_nuevo": "muy_corta"}
    with pytest.raises(ValidationError) as caught:
        world.change_password(ChangePasswordCommand(principal, PASSWORD, PASSWORD))
    assert caught.value.details == {"password_nuevo": "igual_a_la_actual"}
    world.change_password(ChangePasswordCommand(principal, PASSWORD, "otra clave nueva", CLIENT))
    assert world.login(LoginCommand("ana", "otra clave nueva")).tokens is not None
    assert world.authenticate(session.tokens.access_token).user_id == session.user.id
    with pytest.raises(AuthenticationFailed):
        world.refresh(RefreshTokensCommand(other.refresh_token))
    assert "password_cambiado" in world.actions()


def test_a_role_without_the_permission_is_refused_before_anything_happens(world):
    stranger = world.user("x", role="invitado")  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        world.change_password(ChangePasswordCommand(stranger, PASSWORD, "otra clave nueva"))
