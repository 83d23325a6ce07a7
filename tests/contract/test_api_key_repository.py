"""ApiKeyRepository: one key per user and provider, the quota per local day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.errors import Conflict
from domain.model.api_keys import ApiKey
from tests.contract.conftest import T0, stored_user


def _key(owner: int, provider: str = "openweathermap", limit: int = 2) -> ApiKey:
    return ApiKey(None, owner, provider, "cifrado", None, True, limit, 0, None, T0, "d")


def test_api_keys_quota_per_local_day(uow_factory):
    owner = stored_user(uow_factory)
    with uow_factory() as uow:
        key = uow.api_keys.add(_key(owner))
        uow.commit()
    with pytest.raises(Conflict), uow_factory() as uow:
        uow.api_keys.add(_key(owner))
    day = date(2026, 3, 1)
    with uow_factory() as uow:
        taken = [uow.api_keys.try_consume(key.id, day, T0) for _ in range(3)]
        uow.commit()
    assert taken == [True, True, False]
    with uow_factory() as uow:
        assert uow.api_keys.try_consume(key.id, day + timedelta(days=1), T0) is True
        uow.commit()
    with uow_factory() as uow:
        stored = uow.api_keys.get(key.id)
        assert (stored.used_today, stored.usage_day, stored.last_used) == (
            1,
            day + timedelta(days=1),
            T0,
        )
        stored.active = False
        uow.api_keys.update(stored)
        uow.commit()
    with uow_factory() as uow:
        assert uow.api_keys.active_for(owner, "openweathermap") is None
        assert uow.api_keys.try_consume(key.id, day + timedelta(days=2), T0) is False
        assert [k.id for k in uow.api_keys.batch_after(0, 10)] == [key.id]
