"""Sign-in with username or e-mail, throttled per account and per client IP in the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from attrs import frozen

from domain.errors import AuthenticationFailed, TooManyAttempts
from domain.model.activity import Action, audit
from domain.model.auth_policy import AuthPolicy
from domain.model.tokens import ClientInfo
from domain.model.users import User, normalize_username
from domain.use_cases.issue_tokens import TokenIssuer
from domain.use_cases.register_user import Session
from ports.clock import Clock
from ports.repositories import UnitOfWork
from ports.security import PasswordHasher

BAD_CREDENTIALS = "usuario o contraseña incorrectos"


@frozen
class LoginCommand:
    """What the client typed."""

    login: object
    password: object
    client: ClientInfo = ClientInfo(None, None)


@frozen
class Login:
    """Check the throttle, then the password (same answer and cost for every failure)."""

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
        with self.uow() as uow:
            user = uow.users.find_by_login(login)
            # One counter per account (whether it was named by username or e-mail), one per
            # unknown login, one per client address.
            account = f"cuenta:{user.id}" if user else f"usuario:{normalize_username(login)}"
            keys = [account, *([f"ip:{cmd.client.ip}"] if cmd.client.ip else [])]
            check_throttle(uow, keys, now, self.policy)
        ok = self._password_ok(user, password)
        with self.uow() as uow:
            if not ok or user is None or user.id is None:
                uow.login_attempts.add_failure(keys, now)
                uow.activity.add(self._entry(Action.LOGIN_FAILED, user, now, cmd))
                uow.commit()
                raise AuthenticationFailed(BAD_CREDENTIALS)
            uow.login_attempts.clear(keys[0])
            uow.users.record_login(user.id, now)
            tokens = self.issuer.new_family(uow, user.id)
            uow.activity.add(self._entry(Action.LOGIN, user, now, cmd))
            uow.commit()
        user.last_login = now
        return Session(user=user, tokens=tokens)

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


def check_throttle(uow: UnitOfWork, keys: list[str], now: datetime, policy: AuthPolicy) -> None:
    """Raise TooManyAttempts (with the wait) when any key has max_failures in the window."""
    since = policy.window_start(now)
    wait = policy.wait([uow.login_attempts.failures_since(key, since) for key in keys], now)
    if wait is not None:
        raise TooManyAttempts(
            "demasiados intentos fallidos; espere antes de volver a intentarlo",
            retry_after=wait,
        )
