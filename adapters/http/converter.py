"""The one cattrs converter: JSON ⇄ the request and response schemas of adapters/http/schemas."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from adapters.http.schemas import responses as out
from adapters.http.schemas.requests import BODIES, CONTROL_CHARS, Login, to_command
from adapters.http.schemas.results import OMIT
from domain.errors import ValidationError
from domain.model.tokens import TokenPair
from domain.model.users import Account, Role, User
from domain.use_cases.register_user import Session

converter = cattrs.Converter(forbid_extra_keys=True)
converter.register_unstructure_hook(datetime, lambda value: value.isoformat())
converter.register_unstructure_hook(Role, lambda value: value.value)
# Server-side fields (who calls, from where) are added to the command, never read from JSON.
SERVER_FIELDS = ("principal", "client", "user_id")
# C0 (NUL, TAB, CR, LF...), DEL, C1 and the Unicode line/paragraph separators: in a city, a name
# or a description they only forge lines in logs and TXT downloads. Passwords are only hashed.
# The same class the document's text patterns leave out.
CONTROL = re.compile(f"[{CONTROL_CHARS}]")
OPAQUE = frozenset({"password", "password_actual", "password_nuevo"})


def _json_integer(value: Any, _: Any) -> Any:
    """JSON has one number type: an integral 100.0 is the integer 100 to JSON Schema, so to the
    app too. Anything else stays raw for the use case to refuse (1.5, "100", true, 1e400)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _raw_body_hook(cls: type) -> Any:
    """A request schema keeps its values raw (the use case validates them and words the error);
    a field declared `int` takes an integral float as the integer it is."""
    raw = override(struct_hook=lambda value, _: value)
    integer = override(struct_hook=_json_integer)
    fields = {f.name: integer if f.type in (int, "int") else raw for f in attrs.fields(cls)}
    return make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True, **fields)


for _body in BODIES:
    converter.register_structure_hook(_body, _raw_body_hook(_body))


def _as_is(value: Any) -> Any:
    return value


def _response_hook(cls: type) -> Any:
    """A response schema as JSON: its fields in order, those left at OMIT left out. A field
    adapters/wire.py already shaped (metadata `as_is`) is JSON as it is: walking a long series
    through the converter again cost more than building it."""
    fields = {}
    for f in attrs.fields(cls):
        hook = {"unstruct_hook": _as_is} if f.metadata.get("as_is") else {}
        if f.default is OMIT or hook:
            fields[f.name] = override(omit_if_default=f.default is OMIT, **hook)
    return make_dict_unstructure_fn(cls, converter, **fields)


converter.register_unstructure_hook_factory(lambda t: hasattr(t, "__json_schema__"), _response_hook)


def _account(user: User | Account) -> out.Account:
    return out.Account(
        user.id,
        user.username,
        user.email,
        user.full_name,
        user.role.value,
        user.active,
        user.last_login,
        user.created_at,
    )


def _session(session: Session) -> dict[str, Any]:
    account, pair = _account(session.user), session.tokens
    if pair is None:  # registered by someone else: no tokens of its own
        return {"usuario": converter.unstructure(account)}
    tokens = (pair.access_token, pair.refresh_token, "Bearer", pair.expires_in)
    return converter.unstructure(out.Session(account, *tokens))


converter.register_unstructure_hook(User, lambda user: converter.unstructure(_account(user)))
converter.register_unstructure_hook(Account, lambda acc: converter.unstructure(_account(acc)))
converter.register_unstructure_hook(
    TokenPair,
    lambda p: converter.unstructure(
        out.Tokens(p.access_token, p.refresh_token, "Bearer", p.expires_in)
    ),
)
converter.register_unstructure_hook(Session, _session)


def structure(data: dict[str, Any], cls: type, **server_fields: Any) -> Any:
    """The command a body of schema `cls` asks for; unknown or missing fields: 400 naming them."""
    login_alias = cls is Login and "login" not in data
    if login_alias:
        data = dict(data)
        data["login"] = data.pop("username", data.pop("email", None))
    smuggled = sorted(set(data) & set(SERVER_FIELDS))
    if smuggled:
        details = {key: "campo_no_permitido" for key in smuggled}
        raise ValidationError(_message(details), details=details)
    _refuse_control_characters(data)
    try:
        command = to_command(converter.structure(data, cls), **server_fields)
    except cattrs.errors.ClassValidationError as exc:
        details = {}
        for sub in exc.exceptions:
            if isinstance(sub, cattrs.errors.ForbiddenExtraKeysError):
                details.update({key: "campo_no_permitido" for key in sorted(sub.extra_fields)})
            elif isinstance(sub, KeyError):
                details[str(sub.args[0]) if sub.args else "?"] = "obligatorio"
        raise ValidationError(_message(details), details=details or None) from None
    return command


def _refuse_control_characters(data: dict[str, Any]) -> None:
    """Every text of the body (a list's items too), but passwords: no control characters."""
    bad = []
    for key, value in data.items():
        texts = value if isinstance(value, list) else [value]
        if key not in OPAQUE and any(isinstance(t, str) and CONTROL.search(t) for t in texts):
            bad.append(str(key))
    if bad:
        details = {key: "caracteres_de_control" for key in sorted(bad)}
        raise ValidationError(
            f"caracteres de control no permitidos en: {', '.join(sorted(bad))}", details=details
        )


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
