"""The Spanish keys of audit-entry details (logs_actividad.detalle, the API's "detalle").

The domain writes details with English keys; the database and the API keep the Spanish ones
they always had. Keys not listed (and every value) pass through unchanged, both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TO_WIRE = {
    "query_id": "consulta_id",
    "city": "ciudad",
    "code": "codigo",
    "user_id": "usuario_id",
    "changes": "cambios",
    "role": "rol",
    "active": "activo",
    "full_name": "nombre_completo",
    "account": "cuenta",
    "family": "familia",
    "provider": "proveedor",
    "result": "resultado",
    "scope": "alcance",
    "address": "direccion",
    "seconds": "segundos",
}
FROM_WIRE = {spanish: english for english, spanish in TO_WIRE.items()}


def _renamed(detail: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    return {
        names.get(key, key): _renamed(value, names) if isinstance(value, Mapping) else value
        for key, value in detail.items()
    }


def to_wire(detail: Mapping[str, Any]) -> dict[str, Any]:
    return _renamed(detail, TO_WIRE)


def from_wire(detail: Mapping[str, Any]) -> dict[str, Any]:
    return _renamed(detail, FROM_WIRE)
