"""PATCH /api/auth/me/password: the current password is required; other sessions end."""

from __future__ import annotations

from collections.abc import Callable, Container

from attrs import frozen

from domain.errors import ValidationError
from domain.model.activity import ActivityEntry
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
        try:
            new = validate_password(cmd.new_password, self.common_passwords)
        except ValidationError as exc:
            details = {"password_nuevo": next(iter(exc.details.values()), "invalida")}
            raise ValidationError(
                exc.message.replace("password", "password_nuevo", 1), details=details
            ) from None
        now = self.clock()
        account = [f"cuenta:{cmd.principal.user_id}"]
        with self.uow() as uow:
            check_throttle(uow, account, now, self.policy)  # no unlimited guessing here either
            user = uow.users.get(cmd.principal.user_id)
        current = cmd.current_password if isinstance(cmd.current_password, str) else ""
        if user is None or not self.hasher.verify(current, user.password_hash):
            with self.uow() as uow:
                uow.login_attempts.add_failure(account, now)
                uow.commit()
            raise ValidationError(
                "la contraseña actual no es correcta", details={"password_actual": "incorrecta"}
            )
        if current == new:
            raise ValidationError(
                "la nueva contraseña debe ser distinta de la actual",
                details={"password_nuevo": "igual_a_la_actual"},
            )
        password_hash = self.hasher.hash(new)
        with self.uow() as uow:
            user = uow.users.get(cmd.principal.user_id, for_update=True)
            assert user is not None
            user.password_hash = password_hash
            uow.users.update(user)
            uow.tokens.revoke_user_families(
                user.id, now, "password_cambiado", keep=cmd.principal.family_id
            )
            uow.activity.add(
                ActivityEntry(
                    action="password_cambiado",
                    user_id=user.id,
                    occurred_at=now,
                    ip=cmd.client.ip,
                    user_agent=cmd.client.user_agent,
                )
            )
            uow.commit()
