"""Who may try a password now: locks per (account, address), per account and per address.

A failure counts for three keys: the (account, address) pair, the account and the address.
The pair locks after `max_failures` in `failure_window`. The account's count locks out only the
addresses that already failed on it recently; an address with no recent failure on the account
still gets its try until the account has seen `account_cap` failures in `account_cap_window`
(NIST SP 800-63B §5.2.2), so a stranger cannot lock the owner out. The address locks across
accounts at the higher `address_max_failures` (password spraying).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from attrs import frozen

from domain.model.auth_policy import AuthPolicy


class LockScope(enum.StrEnum):
    """What a lock refuses; the values are the audit detail's `alcance` (scope)."""

    ACCOUNT_ADDRESS = "cuenta_y_direccion"
    ACCOUNT = "cuenta_direcciones_con_fallos"
    ACCOUNT_EVERYWHERE = "cuenta_todas_las_direcciones"
    ADDRESS = "direccion"


@frozen
class AttemptKeys:
    """The counters one attempt touches: 'cuenta:<id>' (or 'usuario:<name>') and the address."""

    account: str
    address: str

    @property
    def pair(self) -> str:
        return f"{self.account}@{self.address}"

    @property
    def address_key(self) -> str:
        return f"ip:{self.address}"

    def all(self) -> list[str]:
        return [self.pair, self.account, self.address_key]


@frozen
class RecentFailures:
    """Failure instants (oldest first): pair and address over the window, account over the cap's."""

    pair: Sequence[datetime]
    account: Sequence[datetime]
    address: Sequence[datetime]

    def plus(self, at: datetime) -> RecentFailures:
        """The counts once a failure at `at` is added."""
        return RecentFailures((*self.pair, at), (*self.account, at), (*self.address, at))


def counting_since(policy: AuthPolicy, now: datetime) -> datetime:
    """The oldest instant any rule still counts (read this far back)."""
    return now - timedelta(seconds=max(policy.failure_window, policy.account_cap_window))


def _recent(failures: Sequence[datetime], since: datetime) -> list[datetime]:
    return [at for at in failures if at >= since]


def _until_below(failures: Sequence[datetime], limit: int, since: datetime) -> float:
    """Seconds until fewer than `limit` of `failures` remain after `since` (0: already)."""
    if len(failures) < limit:
        return 0.0
    return (failures[len(failures) - limit] - since).total_seconds()


def lockout_wait(policy: AuthPolicy, seen: RecentFailures, now: datetime) -> int | None:
    """Seconds before this (account, address) may try again; None: go ahead."""
    since = policy.window_start(now)
    cap_since = now - timedelta(seconds=policy.account_cap_window)
    pair = _recent(seen.pair, since)
    account = _recent(seen.account, since)
    waits = [
        _until_below(pair, policy.max_failures, since),
        _until_below(_recent(seen.account, cap_since), policy.account_cap, cap_since),
        _until_below(_recent(seen.address, since), policy.address_max_failures, since),
    ]
    if pair and len(account) >= policy.max_failures:  # this address failed on a locked account
        waits.append(
            min(
                _until_below(account, policy.max_failures, since),
                (pair[-1] - since).total_seconds(),
            )
        )
    wait = max(waits)
    return max(1, math.ceil(wait)) if wait > 0 else None


def locks_reached(policy: AuthPolicy, seen: RecentFailures, now: datetime) -> list[LockScope]:
    """The locks that start with the latest failure in `seen` (each one exactly once)."""
    since = policy.window_start(now)
    cap_since = now - timedelta(seconds=policy.account_cap_window)
    counts = {
        LockScope.ACCOUNT_ADDRESS: (len(_recent(seen.pair, since)), policy.max_failures),
        LockScope.ACCOUNT: (len(_recent(seen.account, since)), policy.max_failures),
        LockScope.ACCOUNT_EVERYWHERE: (len(_recent(seen.account, cap_since)), policy.account_cap),
        LockScope.ADDRESS: (len(_recent(seen.address, since)), policy.address_max_failures),
    }
    return [scope for scope, (count, limit) in counts.items() if count == limit]


def registration_wait(policy: AuthPolicy, recent: Sequence[datetime], now: datetime) -> int | None:
    """Seconds before this address may register again; None: go ahead."""
    since = now - timedelta(seconds=policy.registration_window)
    wait = _until_below(_recent(recent, since), policy.registrations_per_address, since)
    return max(1, math.ceil(wait)) if wait > 0 else None
