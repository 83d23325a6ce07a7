"""PATCH /api/auth/me/password: the current password is required; other sessions end."""

from __future__ import annotations

from collections.abc import Callable, Container
from datetime import datetime

from attrs import frozen

from domain.errors import ValidationError
from domain.model.activity import Action, audit
from domain.model.auth_policy import AuthPolicy
from domain.model.permissions import Permission, Principal, require
from domain.model.tokens import ClientInfo
from domain.model.users import validate_password
from domain.use_cases.login import check_throttle
from ports.clock import Clock
from ports.repositories import UnitOfWork
from ports.security import PasswordHasher


@frozen
class ChangePasswordCommand:
    """Body: password_actual, password_nuevo."""

    principal: Principal
    current_password: object = None
    new_password: object = None
    client: ClientInfo = ClientInfo(None, None)


@frozen
class ChangePassword:
    """Verify, validate like registration, store, and revoke every other session family."""

    uow: Callable[[], UnitOfWork]
    hasher: PasswordHasher
    clock: Clock
    common_passwords: Container[str]
    policy: AuthPolicy

    def __call__(self, cmd: ChangePasswordCommand) -> None:
        require(cmd.principal, Permission.CHANGE_OWN_PASSWORD)
        new = validate_password(cmd.new_password, self.common_passwords, "password_nuevo")
        now = self.clock()
        current = cmd.current_password if isinstance(cmd.current_password, str) else ""
        self._verify_current(cmd.principal.user_id, current, now)
        if current == new:
            raise ValidationError(
                "la nueva contraseña debe ser distinta de la actual",
                details={"password_nuevo": "igual_a_la_actual"},
            )
        password_hash = self.hasher.hash(new)
        with self.uow() as uow:
            user = uow.users.get(cmd.principal.user_id, for_update=True)
            assert user is not None and user.id is not None
            user.password_hash = password_hash
            uow.users.update(user)
            action = Action.PASSWORD_CHANGED
            uow.tokens.revoke_user_families(
                user.id, now, action.value, keep=cmd.principal.family_id
            )
            uow.activity.add(audit(action, user.id, now, cmd.client))
            uow.commit()

    def _verify_current(self, user_id: int, current: str, now: datetime) -> None:
        """The current password, throttled like a login (no unlimited guessing here either)."""
        account = [f"cuenta:{user_id}"]
        with self.uow() as uow:
            check_throttle(uow, account, now, self.policy)
            user = uow.users.get(user_id)
        if user is None or not self.hasher.verify(current, user.password_hash):
            with self.uow() as uow:
                uow.login_attempts.add_failure(account, now)
                uow.commit()
            raise ValidationError(
                "la contraseña actual no es correcta", details={"password_actual": "incorrecta"}
            )
