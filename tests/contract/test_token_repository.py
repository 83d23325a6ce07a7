"""TokenRepository: refresh tokens, families, revoked access tokens."""

from __future__ import annotations

from datetime import timedelta

from domain.model.tokens import RefreshToken
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
