"""User administration (admin only): list, create with any role, read, change, deactivate."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.errors import NotFound, ValidationError
from domain.model.activity import Action, audit
from domain.model.paging import NOT_GIVEN, Page, paging, parse_bool
from domain.model.permissions import Permission, Principal, require
from domain.model.tokens import ClientInfo
from domain.model.users import (
    Role,
    User,
    UserChanges,
    check_not_last_admin,
    removes_an_admin,
    validate_email,
    validate_full_name,
)
from domain.use_cases.register_user import RegisterUser, RegisterUserCommand
from ports.clock import Clock
from ports.repositories import UnitOfWork


def parse_role(raw: object) -> Role:
    try:
        return Role(raw)
    except ValueError:
        raise ValidationError(
            "rol debe ser admin, operario o consultor", details={"rol": "invalido"}
        ) from None


@frozen
class ListUsersCommand:
    """GET /api/usuarios filters, as the client sent them."""

    principal: Principal
    page: object = None
    per_page: object = None
    role: object = None
    active: object = None
    text: object = None


@frozen
class CreateUserCommand:
    """POST /api/usuarios body."""

    principal: Principal
    username: object = None
    email: object = None
    password: object = None
    role: object = "operario"
    full_name: object = None
    client: ClientInfo = ClientInfo(None, None)


@frozen
class UpdateUserCommand:
    """PATCH /api/usuarios/{id} body; absent fields stay as they are."""

    principal: Principal
    user_id: int
    role: object = NOT_GIVEN
    active: object = NOT_GIVEN
    full_name: object = NOT_GIVEN
    email: object = NOT_GIVEN
    client: ClientInfo = ClientInfo(None, None)


def parse_changes(cmd: UpdateUserCommand) -> UserChanges:
    """The validated changes; at least one field must be given."""
    role = parse_role(cmd.role) if cmd.role is not NOT_GIVEN else None
    if cmd.active is not NOT_GIVEN and not isinstance(cmd.active, bool):
        raise ValidationError("activo debe ser true o false", details={"activo": "invalido"})
    full_name = validate_full_name(cmd.full_name) if cmd.full_name is not NOT_GIVEN else None
    changes = UserChanges(
        role=role,
        active=cmd.active if cmd.active is not NOT_GIVEN else None,
        full_name=full_name,
        email=validate_email(cmd.email) if cmd.email is not NOT_GIVEN else None,
        clears_full_name=cmd.full_name is not NOT_GIVEN and full_name is None,
    )
    if not changes.given():
        raise ValidationError("no hay cambios que aplicar", details={"cuerpo": "vacio"})
    return changes


@frozen
class ManageUsers:
    """Every operation checks MANAGE_USERS; the last active admin can never be removed."""

    uow: Callable[[], UnitOfWork]
    register: RegisterUser
    clock: Clock

    def list(self, cmd: ListUsersCommand) -> Page:
        require(cmd.principal, Permission.MANAGE_USERS)
        page, per_page = paging(cmd.page, cmd.per_page)
        role = parse_role(cmd.role) if cmd.role is not None else None
        active = parse_bool(cmd.active, "activo")
        text = cmd.text.strip()[:100] if isinstance(cmd.text, str) and cmd.text.strip() else None
        with self.uow() as uow:
            items, total = uow.users.search(role, active, text, (page - 1) * per_page, per_page)
        return Page(items, page, per_page, total)

    def create(self, cmd: CreateUserCommand) -> User:
        require(cmd.principal, Permission.MANAGE_USERS)
        role = parse_role(cmd.role)
        registration = RegisterUserCommand(
            cmd.username, cmd.email, cmd.password, cmd.full_name, cmd.client
        )
        return self.register(
            registration, role=role, sign_in=False, created_by=cmd.principal.user_id
        ).user

    def get(self, principal: Principal, user_id: int) -> User:
        require(principal, Permission.MANAGE_USERS)
        with self.uow() as uow:
            user = uow.users.get(user_id)
        if user is None:
            raise NotFound("el usuario no existe", code="usuario_no_encontrado")
        return user

    def update(self, cmd: UpdateUserCommand) -> User:
        require(cmd.principal, Permission.MANAGE_USERS)
        changes = parse_changes(cmd)
        return self._apply(cmd.principal, cmd.user_id, changes, cmd.client, Action.USER_UPDATED)

    def deactivate(self, principal: Principal, user_id: int, client: ClientInfo) -> User:
        require(principal, Permission.MANAGE_USERS)
        changes = UserChanges(active=False)
        return self._apply(principal, user_id, changes, client, Action.USER_DEACTIVATED)

    def unlock(self, principal: Principal, user_id: int, client: ClientInfo) -> User:
        """Lift every login lock on the account (all its addresses); audited."""
        require(principal, Permission.MANAGE_USERS)
        now = self.clock()
        with self.uow() as uow:
            uow.login_attempts.lock()  # first: no reservation interleaves with the lift
            user = uow.users.get(user_id)
            if user is None:
                raise NotFound("el usuario no existe", code="usuario_no_encontrado")
            uow.login_attempts.clear_account(f"cuenta:{user_id}")
            detail = {"user_id": user_id, "username": user.username}
            uow.activity.add(audit(Action.LOGIN_UNLOCKED, principal.user_id, now, client, **detail))
            uow.commit()
        return user

    def _apply(
        self,
        principal: Principal,
        user_id: int,
        changes: UserChanges,
        client: ClientInfo,
        action: Action,
    ) -> User:
        now = self.clock()
        with self.uow() as uow:
            user = uow.users.get(user_id, for_update=True)
            if user is None:
                raise NotFound("el usuario no existe", code="usuario_no_encontrado")
            if removes_an_admin(user, changes.role, changes.active):
                check_not_last_admin(uow.users.count_active_admins())
            changes.apply(user)
            uow.users.update(user)
            if changes.active is False:
                uow.tokens.revoke_user_families(user_id, now, action.value)
            detail = {"user_id": user_id, "changes": changes.given()}
            uow.activity.add(audit(action, principal.user_id, now, client, **detail))
            uow.commit()
        return user
