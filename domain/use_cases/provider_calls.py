"""Calling providers: the right credentials for each (quota charged per real call), all at once."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from attrs import frozen

from domain.model.api_keys import ApiKey, quota_day
from domain.model.consensus import Reason
from domain.model.queries import ProviderOutcome
from domain.model.readings import Credentials, ProviderAnswer, Reading
from ports.clock import Clock
from ports.providers import FanOut, ProviderUnavailable, WeatherProvider
from ports.repositories import UnitOfWork
from ports.security import SecretBox

Call = Callable[[WeatherProvider, Credentials | None], ProviderAnswer]


@frozen
class ProviderCalls:
    """Ask named providers at once with the user's key, else the system key; never raises."""

    uow: Callable[[], UnitOfWork]
    providers: Mapping[str, WeatherProvider]
    fan_out: FanOut
    secret_box: SecretBox
    system_credentials: Mapping[str, Credentials]
    clock: Clock
    deadline: float
    quota_timezone: str
    system_budget: int = 100  # calls a day per user and provider on a system key

    def ask(self, user_id: int, names: Sequence[str], call: Call) -> dict[str, ProviderOutcome]:
        """Each named provider's outcome, in the order of `names`."""
        outcomes: dict[str, ProviderOutcome] = {}
        calls = {}
        keyed = [n for n in names if self.providers[n].capabilities.needs_key]
        found = self.credentials_for(user_id, keyed) if keyed else {}
        for name in names:
            provider = self.providers[name]
            if provider.capabilities.needs_key and found.get(name) is None:
                outcomes[name] = _without_key(name, unreadable=name in found)
                continue
            calls[name] = _bind(call, provider, found.get(name))
        for name, result in self.fan_out(calls, self.deadline).items():
            outcomes[name] = outcome_of(name, result)
        return {name: outcomes[name] for name in names}

    def credentials_for(self, user_id: int, names: Sequence[str]) -> dict[str, Credentials | None]:
        """Per provider: the user's active key, else the system key; absent when neither.
        None: the user's key no longer decrypts (reported, never replaced by the system key)."""
        with self.uow() as uow:
            keys = {n: uow.api_keys.active_for(user_id, n) for n in names}
        found: dict[str, Credentials | None] = {}
        for name in names:
            key = keys[name]
            if key is not None and key.id is not None:
                found[name] = self._decrypted(key)
            elif (system := self._system(user_id, name)) is not None:
                found[name] = system
        return found

    def _system(self, user_id: int, name: str) -> Credentials | None:
        """The system key, each real call charged to the user's daily budget on it."""
        credentials = self.system_credentials.get(name)
        if credentials is None:
            return None
        return attrs.evolve(credentials, charge=self._system_charger(user_id, name))

    def _decrypted(self, key: ApiKey) -> Credentials | None:
        try:
            api_key = self.secret_box.decrypt(key.key_ciphertext)
            secret = (
                self.secret_box.decrypt(key.secret_ciphertext) if key.secret_ciphertext else None
            )
        except ValueError:
            return None  # encrypted under a key ENCRYPTION_KEY no longer holds: clave_ilegible
        assert key.id is not None
        return Credentials(api_key, secret, "usuario", key.id, charge=self._charger(key.id))

    def _charger(self, key_id: int) -> Callable[[], bool]:
        def charge() -> bool:
            now = self.clock()
            with self.uow() as uow:
                ok = uow.api_keys.try_consume(key_id, quota_day(now, self.quota_timezone), now)
                uow.commit()
            return ok

        return charge

    def _system_charger(self, user_id: int, provider: str) -> Callable[[], bool]:
        def charge() -> bool:
            day = quota_day(self.clock(), self.quota_timezone)
            with self.uow() as uow:
                ok = uow.usage.try_charge_system_key(user_id, provider, day, self.system_budget)
                uow.commit()
            return ok

        return charge


def _without_key(name: str, unreadable: bool) -> ProviderOutcome:
    if unreadable:
        return ProviderOutcome(name, reason=Reason.INVALID_KEY, code="clave_ilegible")
    return ProviderOutcome(name, reason=Reason.NO_KEY, code="sin_clave")


def _bind(call: Call, provider: WeatherProvider, credentials: Credentials | None):
    return lambda: call(provider, credentials)


def _finite(values: Mapping[str, Any]) -> dict[str, Any]:
    """A provider's 1e999 or NaN is missing, not a number to store or show."""
    return {
        k: v if not isinstance(v, float) or math.isfinite(v) else None for k, v in values.items()
    }


def _finite_reading(reading: Reading) -> Reading:
    """The reading itself when every value is finite (the answer is this call's own), else a
    copy with the non-finite ones missing (attrs.evolve spelt out: a third faster)."""
    for value in reading.values.values():
        if isinstance(value, float) and not math.isfinite(value):
            r = reading
            return Reading(r.instant, _finite(r.values), r.provenance, r.missing_reasons)
    return reading


def outcome_of(name: str, result: ProviderAnswer | ProviderUnavailable) -> ProviderOutcome:
    """A provider's answer with non-finite values dropped, or its failure with what is known."""
    if isinstance(result, ProviderUnavailable):
        meta = {
            key: getattr(result, key)
            for key in ("latency_ms", "cache")
            if getattr(result, key, None) is not None
        }
        return ProviderOutcome(name, reason=result.reason, code=result.code, meta=meta)
    readings = tuple(map(_finite_reading, result.readings))
    return ProviderOutcome(name, kind=result.kind.value, readings=readings, meta=dict(result.meta))
