"""Provider API keys: encrypted at rest, shown masked with today's usage, tested on demand."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from attrs import frozen

from domain.errors import NotFound, ValidationError
from domain.model.activity import Action, ActivityEntry, audit
from domain.model.api_keys import (
    ApiKey,
    ProbeOutcome,
    ProbeResult,
    masked,
    probe_outcome,
    quota_day,
)
from domain.model.location import Location
from domain.model.paging import NOT_GIVEN
from domain.model.permissions import Permission, Principal, require
from domain.model.readings import Credentials
from domain.model.tokens import ClientInfo
from ports.clock import Clock
from ports.providers import ProviderUnavailable, WeatherProvider
from ports.repositories import UnitOfWork
from ports.security import SecretBox

MAX_DAILY_LIMIT = 100_000
PROBE_LOCATION = Location(4.61, -74.08, "Bogotá")  # one minimal call to check a key


@frozen
class KeyView:
    """What the API shows of a key: a mask of the last 4 characters and today's usage."""

    key: ApiKey
    mask: str
    used_today: int


@frozen
class ApiKeyCommand:
    """POST / PATCH body; absent PATCH fields stay as they are."""

    principal: Principal
    provider: object = NOT_GIVEN
    api_key: object = NOT_GIVEN
    api_secret: object = NOT_GIVEN
    description: object = NOT_GIVEN
    daily_limit: object = NOT_GIVEN
    active: object = NOT_GIVEN
    client: ClientInfo = ClientInfo(None, None)


def _limit(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_DAILY_LIMIT:
        raise ValidationError(
            f"limite_consultas_diarias debe ser un entero entre 1 y {MAX_DAILY_LIMIT}",
            details={"limite_consultas_diarias": "invalido"},
        )
    return raw


def _flag(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise ValidationError("activa debe ser true o false", details={"activa": "invalido"})
    return raw


def _text(raw: object, field: str, maximum: int, required: bool = False) -> str | None:
    if raw is None and not required:
        return None
    if not isinstance(raw, str) or not raw.strip() or len(raw) > maximum:
        raise ValidationError(f"{field} no es válido", details={field: "invalido"})
    return raw.strip()


@frozen
class ManageApiKeys:
    """Operarios and admins hold keys; consultores hold none."""

    uow: Callable[[], UnitOfWork]
    box: SecretBox
    providers: Mapping[str, WeatherProvider]
    clock: Clock
    quota_timezone: str = "America/Bogota"

    def _view(self, key: ApiKey) -> KeyView:
        try:
            mask = masked(self.box.decrypt(key.key_ciphertext))
        except ValueError:
            mask = masked("")
        today = quota_day(self.clock(), self.quota_timezone)
        return KeyView(key, mask, key.used_today if key.usage_day == today else 0)

    def list(self, principal: Principal) -> list[KeyView]:
        require(principal, Permission.MANAGE_OWN_API_KEYS)
        with self.uow() as uow:
            keys = uow.api_keys.list_for_user(principal.user_id)
        return [self._view(k) for k in keys]

    def get(self, principal: Principal, key_id: int) -> KeyView:
        require(principal, Permission.MANAGE_OWN_API_KEYS)
        with self.uow() as uow:
            return self._view(self._own(uow, principal, key_id))

    def create(self, cmd: ApiKeyCommand) -> KeyView:
        require(cmd.principal, Permission.MANAGE_OWN_API_KEYS)
        key = self._new_key(cmd)
        with self.uow() as uow:
            key = uow.api_keys.add(key)
            uow.activity.add(self._log(Action.KEY_CREATED, cmd.principal, cmd.client, key))
            uow.commit()
        return self._view(key)

    def _new_key(self, cmd: ApiKeyCommand) -> ApiKey:
        """The key the command describes, validated and encrypted, not yet stored."""
        keyed = [n for n, p in self.providers.items() if p.capabilities.needs_key]
        if cmd.provider not in keyed:
            raise ValidationError(
                f"proveedor debe ser uno que necesita clave: {', '.join(keyed)}",
                details={"proveedor": "invalido"},
            )
        api_key = _text(None if cmd.api_key is NOT_GIVEN else cmd.api_key, "api_key", 500, True)
        secret = None if cmd.api_secret is NOT_GIVEN else _text(cmd.api_secret, "api_secret", 500)
        limit = 1000 if cmd.daily_limit is NOT_GIVEN else _limit(cmd.daily_limit)
        active = True if cmd.active is NOT_GIVEN else _flag(cmd.active)
        description = (
            None if cmd.description is NOT_GIVEN else _text(cmd.description, "descripcion", 255)
        )
        return ApiKey(
            id=None,
            user_id=cmd.principal.user_id,
            provider=str(cmd.provider),
            key_ciphertext=self.box.encrypt(api_key or ""),
            secret_ciphertext=self.box.encrypt(secret) if secret else None,
            active=active,
            daily_limit=limit,
            used_today=0,
            usage_day=None,
            created_at=self.clock(),
            description=description,
        )

    def update(self, cmd: ApiKeyCommand, key_id: int) -> KeyView:
        require(cmd.principal, Permission.MANAGE_OWN_API_KEYS)
        for field in ("provider", "api_key", "api_secret"):
            if getattr(cmd, field) is not NOT_GIVEN:
                wire = {"provider": "proveedor"}.get(field, field)
                raise ValidationError(
                    f"{wire} no se puede cambiar; borre la clave y cree otra",
                    details={wire: "campo_no_permitido"},
                )
        with self.uow() as uow:
            key = self._own(uow, cmd.principal, key_id)
            if cmd.active is not NOT_GIVEN:
                key.active = _flag(cmd.active)
            if cmd.description is not NOT_GIVEN:
                key.description = _text(cmd.description, "descripcion", 255)
            if cmd.daily_limit is not NOT_GIVEN:
                key.daily_limit = _limit(cmd.daily_limit)
            uow.api_keys.update(key)
            uow.activity.add(self._log(Action.KEY_UPDATED, cmd.principal, cmd.client, key))
            uow.commit()
        return self._view(key)

    def delete(self, principal: Principal, key_id: int, client: ClientInfo) -> None:
        require(principal, Permission.MANAGE_OWN_API_KEYS)
        with self.uow() as uow:
            key = self._own(uow, principal, key_id)
            uow.api_keys.delete(key_id)
            uow.activity.add(self._log(Action.KEY_DELETED, principal, client, key))
            uow.commit()

    def probe(self, principal: Principal, key_id: int, client: ClientInfo) -> ProbeResult:
        """One minimal provider call with the key: valida / invalida / sin_acceso_al_plan."""
        require(principal, Permission.MANAGE_OWN_API_KEYS)
        with self.uow() as uow:
            key = self._own(uow, principal, key_id)
        provider = self.providers.get(key.provider)
        if provider is None:
            raise ValidationError("el proveedor de esta clave no está habilitado")
        try:
            credentials = Credentials(
                self.box.decrypt(key.key_ciphertext),
                self.box.decrypt(key.secret_ciphertext) if key.secret_ciphertext else None,
                "usuario",
                key.id,
                fresh=True,  # always a real call: a cached 200 would hide a revoked key
            )
        except ValueError:  # encrypted under a key that ENCRYPTION_KEY no longer holds
            return ProbeResult(ProbeOutcome.UNVERIFIABLE, "clave_no_descifrable")
        try:
            provider.current(PROBE_LOCATION, ("temperatura",), credentials)
            result = ProbeResult(ProbeOutcome.VALID)
        except ProviderUnavailable as exc:
            result = ProbeResult(probe_outcome(exc.reason, exc.code), exc.code)
        with self.uow() as uow:
            entry = self._log(
                Action.KEY_PROBED, principal, client, key, result=result.outcome.value
            )
            uow.activity.add(entry)
            uow.commit()
        return result

    def _log(
        self, action: Action, principal: Principal, client: ClientInfo, key: ApiKey, **extra: Any
    ) -> ActivityEntry:
        detail = {"api_key_id": key.id, "provider": key.provider, **extra}
        return audit(action, principal.user_id, self.clock(), client, **detail)

    @staticmethod
    def _own(uow: UnitOfWork, principal: Principal, key_id: int) -> ApiKey:
        key = uow.api_keys.get(key_id)
        if key is None or key.user_id != principal.user_id:
            raise NotFound("la clave no existe", code="api_key_no_encontrada")
        return key
