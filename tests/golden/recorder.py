"""Record a scripted session against the app: each step's status, headers and normalised body."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from falcon import testing

# Response headers that a user (or a browser, a proxy) notices; date/server/length are noise.
KEPT_HEADERS = (
    "allow",
    "cache-control",
    "content-disposition",
    "content-type",
    "etag",
    "location",
    "retry-after",
    "www-authenticate",
    "x-request-id",
)
# Wall-clock or per-run values; weather instants (instante, fecha, ...) are fixed data and stay.
VOLATILE_KEYS = {
    "completada_en",
    "creada_en",
    "creado_en",
    "actualizada_en",
    "actualizado_en",
    "fecha_creacion",
    "fecha_registro",
    "ultimo_login",
    "ultimo_uso",
    "tiempo_respuesta_ms",
    "latencia_ms",
    "duracion_ms",
    "tiempo_respuesta_medio_ms",
    "latencia_media_ms",
    "generado_en",
    "ultima_consulta",
}
JWT = re.compile(r"^eyJ[\w-]+\.[\w-]+\.[\w-]+$")
ID_IN_PATH = re.compile(r"(?<=/)\d+(?=/|$)")
# The same keys in the text downloads (csv rows, yaml lines), and the txt report's "#12".
TEXT_FIELD = re.compile(r"(?m)^([\s\ufeff]*)(\w+)([:,;] ?)([^,;\r\n]*)")
TEXT_CLOCK = re.compile(r"(?m)^(\s+(?:Creada|Completada|Generado)\s+)(\S+)$")
TEXT_NUMBER = re.compile(r"(?:(?<=#)|(?<=consulta_))\d+\b")


class Ids:
    """Maps each distinct id value to id#1, id#2, ... in order of first appearance."""

    def __init__(self) -> None:
        self._seen: dict[int, str] = {}

    def __call__(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return value
        return self._seen.setdefault(value, f"id#{len(self._seen) + 1}")


def normalise_text(text: str, ids: Ids) -> str:
    """normalise() for csv/txt/yaml bodies and headers: `key: value` lines, `#12`, `_12.csv`."""

    def field(match: re.Match[str]) -> str:
        indent, key, sep, value = match.groups()
        if key in VOLATILE_KEYS and value:
            value = "<ts>"
        elif (key == "id" or key.endswith("_id")) and value.isdigit():
            value = str(ids(int(value)))
        return f"{indent}{key}{sep}{value}"

    text = TEXT_NUMBER.sub(lambda m: str(ids(int(m.group()))), text)
    text = TEXT_CLOCK.sub(lambda m: m.group(1) + "<ts>", text)
    return TEXT_FIELD.sub(field, text)


def normalise(value: Any, ids: Ids, key: str = "") -> Any:
    """Replace ids, wall-clock timestamps, durations and tokens by stable placeholders."""
    if isinstance(value, dict):
        return {k: normalise(v, ids, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v, ids, key) for v in value]
    if key in VOLATILE_KEYS and value is not None:
        return "<ts>"
    if key == "request_id" and isinstance(value, str):
        return "<request-id>"
    if key == "id" or key.endswith("_id"):
        return ids(value)
    if isinstance(value, str) and JWT.match(value):
        return "<jwt>"
    return value


class Session:
    """Drives a falcon TestClient and keeps one normalised record per request."""

    def __init__(self, client: testing.TestClient) -> None:
        self.client = client
        self.ids = Ids()
        self.steps: list[dict[str, Any]] = []

    def call(
        self,
        note: str,
        method: str,
        path: str,
        token: str | None = None,
        summary: Any = None,
        **kwargs: Any,
    ) -> testing.Result:
        """One request; `summary(result)` replaces a body too big or too generated to keep."""
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        result = self.client.simulate_request(method, path, headers=headers, **kwargs)
        step = {
            "step": len(self.steps) + 1,
            "note": note,
            "request": self._request(method, path, kwargs),
            "status": result.status_code,
            "headers": self._headers(result),
            "body": summary(result) if summary else self._body(result),
        }
        self.steps.append(step)
        return result

    def _request(self, method: str, path: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        shown = ID_IN_PATH.sub(lambda m: str(self.ids(int(m.group()))), path)
        request: dict[str, Any] = {"method": method, "path": shown}
        if kwargs.get("params"):
            request["params"] = kwargs["params"]
        if "json" in kwargs:
            request["json"] = normalise(kwargs["json"], self.ids)
        elif "body" in kwargs:
            raw = kwargs["body"]
            request["body_sha256"] = hashlib.sha256(
                raw if isinstance(raw, bytes) else raw.encode()
            ).hexdigest()
        return request

    def _headers(self, result: testing.Result) -> dict[str, str]:
        kept = {h: result.headers[h] for h in KEPT_HEADERS if h in result.headers}
        if "content-disposition" in kept:
            kept["content-disposition"] = normalise_text(kept["content-disposition"], self.ids)
        if "x-request-id" in kept:
            kept["x-request-id"] = "<request-id>"
        return kept

    def _body(self, result: testing.Result) -> Any:
        if not result.content:
            return None
        kind = result.headers.get("content-type", "")
        if "json" in kind:
            return normalise(json.loads(result.text), self.ids)
        text = result.text
        if "attachment" in result.headers.get("content-disposition", ""):
            text = normalise_text(text, self.ids)
        return {"lines": text.split("\n")}  # one line per row: readable diffs


def digest(result: testing.Result) -> dict[str, Any]:
    """A large static body (a script, a stylesheet): its size and hash."""
    return {"bytes": len(result.content), "sha256": hashlib.sha256(result.content).hexdigest()}
