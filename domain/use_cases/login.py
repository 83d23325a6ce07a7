"""Sign-in with username or e-mail, throttled per (account, address), account and address."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from attrs import frozen

from domain.errors import AuthenticationFailed, TooManyAttempts
from domain.model.activity import Action, ActivityEntry, audit
from domain.model.auth_policy import AuthPolicy
from domain.model.lockout import (
    AttemptKeys,
    LockScope,
    RecentFailures,
    counting_since,
    lockout_wait,
    locks_reached,
)
from domain.model.tokens import ClientInfo
from domain.model.users import User, normalize_username
from domain.use_cases.issue_tokens import TokenIssuer
from domain.use_cases.register_user import Session
from ports.clock import Clock
from ports.repositories import UnitOfWork
from ports.security import PasswordHasher

BAD_CREDENTIALS = "usuario o contraseña incorrectos"
WAIT = "demasiados intentos fallidos; espere antes de volver a intentarlo"


@frozen
class LoginCommand:
    """What the client typed."""

    login: object
    password: object
    client: ClientInfo = ClientInfo(None, None)


@frozen
class Login:
    """Reserve the attempt (check and record in one locked step), then check the password."""

    uow: Callable[[], UnitOfWork]
    hasher: PasswordHasher
    issuer: TokenIssuer
    policy: AuthPolicy
    clock: Clock

    def __call__(self, cmd: LoginCommand) -> Session:
        login = cmd.login.strip() if isinstance(cmd.login, str) else ""
        password = cmd.password if isinstance(cmd.password, str) else ""
        if not login or not password:
            raise AuthenticationFailed(BAD_CREDENTIALS)
        now = self.clock()
        user, keys, locks = self._reserve(login, cmd.client, now)
        ok = self._password_ok(user, password)
        with self.uow() as uow:
            if not ok or user is None or user.id is None:
                uow.activity.add(self._entry(Action.LOGIN_FAILED, user, now, cmd))
                for scope in locks:
                    uow.activity.add(lock_entry(scope, keys, user, now, cmd.client, self.policy))
                uow.commit()
                raise AuthenticationFailed(BAD_CREDENTIALS)
            for key in (keys.pair, keys.account):
                uow.login_attempts.clear(key)
            uow.login_attempts.withdraw(keys.address_key, now)
            uow.users.record_login(user.id, now)
            tokens = self.issuer.new_family(uow, user.id)
            uow.activity.add(self._entry(Action.LOGIN, user, now, cmd))
            uow.commit()
        user.last_login = now
        return Session(user=user, tokens=tokens)

    def _reserve(self, login: str, client: ClientInfo, now: datetime):
        """Refuse a locked attempt, or record it as a failure (withdrawn if the password is
        right) in the same locked transaction, so concurrent tries cannot all pass the check."""
        with self.uow() as uow:
            uow.login_attempts.lock()
            user = uow.users.find_by_login(login)
            # One account whether named by username or e-mail; unknown logins count too.
            account = f"cuenta:{user.id}" if user else f"usuario:{normalize_username(login)}"
            keys = AttemptKeys(account, client.ip or "desconocida")
            seen = recent_failures(uow, keys, counting_since(self.policy, now))
            wait = lockout_wait(self.policy, seen, now)
            if wait is not None:
                raise TooManyAttempts(WAIT, retry_after=wait)
            uow.login_attempts.add_failure(keys.all(), now)
            uow.commit()
        return user, keys, locks_reached(self.policy, seen.plus(now), now)

    def _password_ok(self, user: User | None, password: str) -> bool:
        """The same cost whether the account exists or not."""
        if user is None:
            self.hasher.burn(password)
            return False
        return self.hasher.verify(password, user.password_hash) and user.active

    @staticmethod
    def _entry(action: Action, user: User | None, now: datetime, cmd: LoginCommand):
        # What was typed is kept only when it named an account: people type passwords into
        # the username box, and those must never reach the audit log.
        detail = {"username": user.username} if user else {"account": "desconocida"}
        return audit(action, user.id if user else None, now, cmd.client, **detail)


def recent_failures(uow: UnitOfWork, keys: AttemptKeys, since: datetime) -> RecentFailures:
    """The three counters of one attempt, read from the unit of work."""
    read = uow.login_attempts.failures_since
    return RecentFailures(
        read(keys.pair, since), read(keys.account, since), read(keys.address_key, since)
    )


def lock_entry(
    scope: LockScope,
    keys: AttemptKeys,
    user: User | None,
    now: datetime,
    client: ClientInfo,
    policy: AuthPolicy,
) -> ActivityEntry:
    """The bloqueo_login row for a lock that starts now (never the typed login if unknown)."""
    seconds = (
        policy.account_cap_window
        if scope is LockScope.ACCOUNT_EVERYWHERE
        else policy.failure_window
    )
    who = {"username": user.username} if user else {"account": "desconocida"}
    return audit(
        Action.LOGIN_LOCKED, user.id if user else None, now, client,
        scope=scope.value, address=keys.address, seconds=seconds, **who,
    )  # fmt: skip


def check_throttle(uow: UnitOfWork, keys: list[str], now: datetime, policy: AuthPolicy) -> None:
    """Raise TooManyAttempts (with the wait) when any key has max_failures in the window."""
    since = policy.window_start(now)
    wait = policy.wait([uow.login_attempts.failures_since(key, since) for key in keys], now)
    if wait is not None:
        raise TooManyAttempts(WAIT, retry_after=wait)
