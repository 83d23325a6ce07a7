"""User administration (admin only): list, create with any role, read, change, deactivate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from attrs import frozen

from domain.errors import Conflict, NotFound, ValidationError
from domain.model.activity import ActivityEntry
from domain.model.paging import NOT_GIVEN, Page, paging, parse_bool
from domain.model.permissions import Permission, Principal, require
from domain.model.tokens import ClientInfo
from domain.model.users import Role, User, validate_email, validate_full_name
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


@frozen
class ManageUsers:
    """Every operation checks MANAGE_USERS; the last active admin can never be removed."""

    uow: Callable[[], UnitOfWork]
    register: RegisterUser
    clock: Clock

    def list(self, principal: Principal, params: dict[str, Any]) -> Page:
        require(principal, Permission.MANAGE_USERS)
        page, per_page = paging(params.get("page"), params.get("per_page"))
        role = parse_role(params["rol"]) if params.get("rol") is not None else None
        active = parse_bool(params.get("activo"), "activo")
        text = params.get("q")
        text = text.strip()[:100] if isinstance(text, str) and text.strip() else None
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
        changes: dict[str, Any] = {}
        if cmd.role is not NOT_GIVEN:
            changes["role"] = parse_role(cmd.role)
        if cmd.active is not NOT_GIVEN:
            if not isinstance(cmd.active, bool):
                raise ValidationError(
                    "activo debe ser true o false", details={"activo": "invalido"}
                )
            changes["active"] = cmd.active
        if cmd.full_name is not NOT_GIVEN:
            changes["full_name"] = validate_full_name(cmd.full_name)
        if cmd.email is not NOT_GIVEN:
            changes["email"] = validate_email(cmd.email)
        if not changes:
            raise ValidationError("no hay cambios que aplicar", details={"cuerpo": "vacio"})
        return self._apply(cmd.principal, cmd.user_id, changes, cmd.client, "usuario_actualizado")

    def deactivate(self, principal: Principal, user_id: int, client: ClientInfo) -> User:
        require(principal, Permission.MANAGE_USERS)
        return self._apply(principal, user_id, {"active": False}, client, "usuario_desactivado")

    def _apply(self, principal, user_id, changes, client, action) -> User:
        now = self.clock()
        with self.uow() as uow:
            user = uow.users.get(user_id, for_update=True)
            if user is None:
                raise NotFound("el usuario no existe", code="usuario_no_encontrado")
            loses_admin = (
                user.role is Role.ADMIN
                and user.active
                and (
                    changes.get("role", Role.ADMIN) is not Role.ADMIN
                    or changes.get("active", True) is False
                )
            )
            if loses_admin and uow.users.count_active_admins() <= 1:
                raise Conflict(
                    "no se puede degradar ni desactivar al último administrador activo",
                    code="ultimo_administrador",
                )
            for name, value in changes.items():
                setattr(user, name, value)
            uow.users.update(user)
            if changes.get("active") is False:
                uow.tokens.revoke_user_families(user_id, now, action)
            detail = {k: (v.value if isinstance(v, Role) else v) for k, v in changes.items()}
            uow.activity.add(
                ActivityEntry(
                    action=action,
                    user_id=principal.user_id,
                    occurred_at=now,
                    ip=client.ip,
                    user_agent=client.user_agent,
                    detail={"usuario_id": user_id, "cambios": _spanish(detail)},
                )
            )
            uow.commit()
        return user


def _spanish(detail: dict[str, Any]) -> dict[str, Any]:
    names = {"role": "rol", "active": "activo", "full_name": "nombre_completo", "email": "email"}
    return {names[k]: v for k, v in detail.items()}
