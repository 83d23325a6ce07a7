"""Self-service registration: a new operario and its first token pair."""

from __future__ import annotations

from collections.abc import Callable, Container

from attrs import frozen

from domain.model.activity import Action, audit
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

    def __call__(
        self,
        cmd: RegisterUserCommand,
        role: Role = Role.OPERATOR,
        sign_in: bool = True,
        created_by: int | None = None,
    ) -> Session:
        """Create the user; sign it in (a first token pair) unless an admin creates it."""
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
