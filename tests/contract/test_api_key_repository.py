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


def test_a_call_stamped_before_midnight_never_resets_the_new_day(uow_factory):
    """Calls either side of local midnight: once the new day is stored, a call that started
    before midnight (stamped with the old day) counts against the new day; it does not put the
    day back and reset the counter (the next new-day call would then reset it again)."""
    owner = stored_user(uow_factory)
    with uow_factory() as uow:
        key = uow.api_keys.add(_key(owner, limit=2))
        uow.commit()
    day = date(2026, 3, 1)
    new_day = day + timedelta(days=1)
    stamps = [day, new_day, day, new_day, day, new_day]
    with uow_factory() as uow:
        taken = [uow.api_keys.try_consume(key.id, d, T0) for d in stamps]
        uow.commit()
    # day: 1 call; new day: 2 calls (one of them stamped with the old day), then refused.
    assert taken == [True, True, True, False, False, False]
    with uow_factory() as uow:
        stored = uow.api_keys.get(key.id)
        assert (stored.used_today, stored.usage_day) == (2, new_day)
