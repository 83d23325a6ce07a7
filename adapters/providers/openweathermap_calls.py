"""OpenWeatherMap calls: one keyed GET, and how its 200 and error bodies are told apart."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from adapters.providers import toolkit
from adapters.providers.http_client import ProviderHttp
from adapters.providers.parsed_answers import Parse
from domain.model.readings import Credentials

KEY_CODES = ("clave_invalida", "sin_acceso_al_plan")


def fetch(
    http: ProviderHttp, path: str, params: Mapping[str, Any], ttl: int, creds: Credentials,
    check: Callable[[Any], str | None], parse: Parse | None = None,
) -> Any:  # fmt: skip
    """get_json; a key error found in a 200's body becomes CLAVE_INVALIDA. With `parse`, what
    it builds from the body."""
    return toolkit.get_keyed_json(
        http, path, params, ttl=ttl, credentials=creds, check=check, key_codes=KEY_CODES,
        parse=parse,
    )  # fmt: skip


def error_code(body: Any) -> str | None:
    """{"cod": 401 | "404", "message"} (2.5, int or str) or {"code": "400", ...} (3.0)."""
    if not isinstance(body, Mapping):
        return "cuerpo_de_error"
    status = str(body.get("cod", body.get("code", 200)))
    if status == "200":
        return None
    if status == "401":
        plan = "subscription" in str(body.get("message", "")).lower()
        return "sin_acceso_al_plan" if plan else "clave_invalida"
    return "limite_del_proveedor" if status == "429" else "cuerpo_de_error"


def check_with(has_data: Callable[[Any], Any]) -> Callable[[Any], str | None]:
    """An error_check: the body's own error code, else "sin_datos" unless `has_data`."""

    def check(body: Any) -> str | None:
        try:
            return error_code(body) or (None if has_data(body) else "sin_datos")
        except (KeyError, TypeError, ValueError):
            return "sin_datos"

    return check


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
