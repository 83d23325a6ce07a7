"""Self-service registration: a new operario and its first token pair."""

from __future__ import annotations

from collections.abc import Callable, Container
from datetime import timedelta

from attrs import frozen

from domain.errors import TooManyAttempts
from domain.model.activity import Action, audit
from domain.model.auth_policy import AuthPolicy
from domain.model.lockout import registration_wait
from domain.model.tokens import ClientInfo, TokenPair
from domain.model.users import (
    Role,
    User,
    validate_email,
    validate_full_name,
    validate_password,
    validate_username,
)
from domain.use_cases.issue_tokens import TokenIssuer
from ports.clock import Clock
from ports.repositories import UnitOfWork
from ports.security import PasswordHasher

TOO_MANY = "demasiados registros desde esta dirección; espere antes de volver a intentarlo"


@frozen
class RegisterUserCommand:
    """Raw registration fields as the client sent them."""

    username: object
    email: object
    password: object
    full_name: object = None
    client: ClientInfo = ClientInfo(None, None)


@frozen
class Session:
    """A signed-in user and its tokens."""

    user: User
    tokens: TokenPair | None


@frozen
class RegisterUser:
    """Validate, hash, store (unique username and e-mail) and sign the new user in."""

    uow: Callable[[], UnitOfWork]
    hasher: PasswordHasher
    issuer: TokenIssuer
    clock: Clock
    common_passwords: Container[str]
    policy: AuthPolicy = AuthPolicy()

    def __call__(
        self,
        cmd: RegisterUserCommand,
        role: Role = Role.OPERATOR,
        sign_in: bool = True,
        created_by: int | None = None,
    ) -> Session:
        """Create the user; sign it in (a first token pair) unless an admin creates it."""
        if created_by is None and cmd.client.ip:
            self._throttle(cmd.client.ip)
        user = self._new_user(cmd, role)
        with self.uow() as uow:
            user = uow.users.add(user)
            assert user.id is not None
            tokens = self.issuer.new_family(uow, user.id) if sign_in else None
            action = Action.REGISTERED if created_by is None else Action.USER_CREATED
            actor = user.id if created_by is None else created_by
            detail = {"username": user.username, "role": role.value, "user_id": user.id}
            uow.activity.add(audit(action, actor, user.created_at, cmd.client, **detail))
            uow.commit()
        return Session(user=user, tokens=tokens)

    def _throttle(self, address: str) -> None:
        """Count this sign-up for its address (before the costly hash), or refuse it: checked
        and recorded in one locked transaction, so concurrent sign-ups cannot all slip by."""
        now, key = self.clock(), f"registro:{address}"
        with self.uow() as uow:
            uow.login_attempts.lock()
            since = now - timedelta(seconds=self.policy.registration_window)
            wait = registration_wait(
                self.policy, uow.login_attempts.failures_since(key, since), now
            )
            if wait is not None:
                raise TooManyAttempts(TOO_MANY, retry_after=wait)
            uow.login_attempts.add_failure([key], now)
            uow.commit()

    def _new_user(self, cmd: RegisterUserCommand, role: Role) -> User:
        """The account the command describes, validated and with its password hashed."""
        username = validate_username(cmd.username)
        email = validate_email(cmd.email)
        password = validate_password(cmd.password, self.common_passwords)
        full_name = validate_full_name(cmd.full_name)
        return User(
            id=None,
            username=username,
            email=email,
            password_hash=self.hasher.hash(password),
            role=role,
            active=True,
            created_at=self.clock(),
            full_name=full_name,
        )
