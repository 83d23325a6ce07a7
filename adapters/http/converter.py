"""The one cattrs converter: Spanish JSON bodies ⇄ domain commands and values."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from domain.errors import ValidationError
from domain.model.permissions import Principal
from domain.model.tokens import ClientInfo, TokenPair
from domain.model.users import Role, User
from domain.use_cases.change_password import ChangePasswordCommand
from domain.use_cases.login import LoginCommand
from domain.use_cases.manage_api_keys import ApiKeyCommand
from domain.use_cases.manage_favorites import FavoriteCommand
from domain.use_cases.manage_users import CreateUserCommand, UpdateUserCommand
from domain.use_cases.refresh_tokens import RefreshTokensCommand
from domain.use_cases.register_user import RegisterUserCommand, Session
from domain.use_cases.run_current_query import RunCurrentQueryCommand
from domain.use_cases.run_history_query import RunHistoryQueryCommand

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=True)
converter.register_structure_hook(object, lambda value, _: value)
converter.register_unstructure_hook(datetime, lambda value: value.isoformat())
converter.register_unstructure_hook(Role, lambda value: value.value)
# Server-side fields (who calls, from where) are merged in by `structure`, never read from JSON.
SERVER_FIELDS = ("principal", "client", "user_id")
converter.register_structure_hook(Principal, lambda value, _: value)
converter.register_structure_hook(ClientInfo, lambda value, _: value)

_LOCATION_FIELDS = {
    "city": "ciudad",
    "latitude": "latitud",
    "longitude": "longitud",
    "country": "pais",
    "variables": "parametros",
    "providers": "proveedores",
    "export_format": "formato",
}

# Wire (Spanish) names of command fields; fields set by the server (client) are not accepted.
_COMMANDS: dict[type, dict[str, str]] = {
    RegisterUserCommand: {"full_name": "nombre_completo"},
    LoginCommand: {},
    RefreshTokensCommand: {},
    RunCurrentQueryCommand: _LOCATION_FIELDS,
    RunHistoryQueryCommand: {
        **_LOCATION_FIELDS,
        "start_date": "fecha_inicio",
        "end_date": "fecha_fin",
        "granularity": "granularidad",
        "timezone": "zona_horaria",
    },
    CreateUserCommand: {"full_name": "nombre_completo", "role": "rol"},
    UpdateUserCommand: {"full_name": "nombre_completo", "role": "rol", "active": "activo"},
    ChangePasswordCommand: {
        "current_password": "password_actual",
        "new_password": "password_nuevo",
    },
    FavoriteCommand: {
        "name": "nombre_ciudad",
        "latitude": "latitud",
        "longitude": "longitud",
        "country": "pais",
        "is_default": "es_default",
    },
    ApiKeyCommand: {
        "provider": "proveedor",
        "description": "descripcion",
        "daily_limit": "limite_consultas_diarias",
        "active": "activa",
    },
}
for _cls, _renames in _COMMANDS.items():
    _overrides = {name: override(rename=wire) for name, wire in _renames.items()}
    converter.register_structure_hook(
        _cls,
        make_dict_structure_fn(_cls, converter, _cattrs_forbid_extra_keys=True, **_overrides),
    )

converter.register_unstructure_hook(
    User,
    make_dict_unstructure_fn(
        User,
        converter,
        full_name=override(rename="nombre_completo"),
        role=override(rename="rol"),
        active=override(rename="activo"),
        last_login=override(rename="ultimo_login"),
        created_at=override(rename="creado_en"),
        password_hash=override(omit=True),
        tokens_valid_after=override(omit=True),
    ),
)
converter.register_unstructure_hook(
    TokenPair,
    lambda pair: {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "token_type": "Bearer",
        "expires_in": pair.expires_in,
    },
)
converter.register_unstructure_hook(
    Session,
    lambda s: {
        "usuario": converter.unstructure(s.user),
        **(converter.unstructure(s.tokens) if s.tokens else {}),
    },
)


def structure(data: dict[str, Any], cls: type[T], **server_fields: Any) -> T:
    """Build a command from a body; unknown or missing fields become a 400 naming them."""
    login_alias = cls is LoginCommand and "login" not in data
    if login_alias:
        data = dict(data)
        data["login"] = data.pop("username", data.pop("email", None))
    smuggled = sorted(set(data) & set(SERVER_FIELDS))
    if smuggled:
        details = {key: "campo_no_permitido" for key in smuggled}
        raise ValidationError(_message(details), details=details)
    try:
        command = converter.structure({**data, **server_fields}, cls)
    except cattrs.errors.ClassValidationError as exc:
        details = {}
        for sub in exc.exceptions:
            if isinstance(sub, cattrs.errors.ForbiddenExtraKeysError):
                details.update({key: "campo_no_permitido" for key in sorted(sub.extra_fields)})
            elif isinstance(sub, KeyError):
                details[str(sub.args[0]) if sub.args else "?"] = "obligatorio"
        raise ValidationError(_message(details), details=details or None) from None
    return command


def _message(details: dict[str, str]) -> str:
    extra = [k for k, v in details.items() if v == "campo_no_permitido"]
    missing = [k for k, v in details.items() if v == "obligatorio"]
    if extra:
        return f"campos no permitidos: {', '.join(extra)}"
    if missing:
        return f"faltan campos obligatorios: {', '.join(missing)}"
    return "el cuerpo no tiene la forma esperada"


def unstructure(value: Any) -> Any:
    return converter.unstructure(value)
