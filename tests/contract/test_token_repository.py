"""TokenRepository: refresh tokens, families, revoked access tokens."""

from __future__ import annotations

from datetime import timedelta

from domain.model.tokens import RefreshToken
from domain.model.users import Account
from tests.contract.conftest import T0, new_user


def test_refresh_tokens_are_single_use_and_families_revocable(uow_factory):
    with uow_factory() as uow:
        user = uow.users.add(new_user())
        uow.tokens.add_family("fam-1", user.id, T0)
        uow.tokens.add_refresh(RefreshToken("jti-1", "fam-1", user.id, T0, T0 + timedelta(days=1)))
        uow.commit()
    with uow_factory() as uow:
        assert uow.tokens.family_revoked("fam-1") is False
        assert uow.tokens.mark_used("jti-1", T0 + timedelta(seconds=5)) is True
        assert uow.tokens.mark_used("jti-1", T0 + timedelta(seconds=6)) is False
        uow.commit()
    with uow_factory() as uow:
        assert uow.tokens.get_refresh("jti-1").used_at == T0 + timedelta(seconds=5)
        assert uow.tokens.get_refresh("nope") is None
        uow.tokens.revoke_family("fam-1", T0, "logout")
        uow.commit()
    with uow_factory() as uow:
        assert uow.tokens.family_revoked("fam-1") is True
        assert uow.tokens.family_revoked("desconocida") is True


def test_revoked_access_tokens(uow_factory):
    with uow_factory() as uow:
        user = uow.users.add(new_user())
        uow.tokens.revoke_access("acc-1", user.id, T0 + timedelta(hours=1), T0)
        uow.tokens.revoke_access("acc-1", user.id, T0 + timedelta(hours=1), T0)  # idempotent
        uow.commit()
    with uow_factory() as uow:
        assert uow.tokens.access_revoked("acc-1") is True
        assert uow.tokens.access_revoked("acc-2") is False


def test_session_account_is_the_account_only_while_user_token_and_family_are_valid(uow_factory):
    with uow_factory() as uow:
        user = uow.users.add(new_user())
        uow.tokens.add_family("fam-1", user.id, T0)
        uow.tokens.add_family("fam-2", user.id, T0)
        uow.commit()
    with uow_factory() as uow:
        account = uow.tokens.session_account(user.id, "acc-1", "fam-1")
    assert account == Account.of(user)  # every listed field, the password hash not among them
    assert not hasattr(account, "password_hash")

    with uow_factory() as uow:
        uow.tokens.revoke_access("acc-1", user.id, T0 + timedelta(hours=1), T0)
        uow.tokens.revoke_family("fam-2", T0, "logout")
        uow.commit()
    with uow_factory() as uow:
        assert uow.tokens.session_account(user.id, "acc-1", "fam-1") is None  # token revoked
        assert uow.tokens.session_account(user.id, "acc-2", "fam-2") is None  # family revoked
        assert uow.tokens.session_account(user.id, "acc-2", "desconocida") is None
        assert uow.tokens.session_account(user.id + 1, "acc-2", "fam-1") is None  # no such user
        assert uow.tokens.session_account(user.id, "acc-2", "fam-1") is not None

    with uow_factory() as uow:
        stored = uow.users.get(user.id)
        stored.active = False
        uow.users.update(stored)
        uow.commit()
    with uow_factory() as uow:
        assert uow.tokens.session_account(user.id, "acc-2", "fam-1") is None  # deactivated
