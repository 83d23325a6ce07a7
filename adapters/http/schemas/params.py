"""Query-string parameters of the list, report and download operations (all optional).

Documented here; the resources read them by the same names into the use case's command
(`query_command`; `to` names the command field when it is not the parameter's name).
Not slotted: they combine.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal

import attrs
from attrs import field, frozen

from adapters.http.json_schema import PY_SPACE, meta
from adapters.http.route_ids import MAX_ID
from domain.model.paging import MAX_PAGE, MAX_PER_PAGE
from domain.model.queries import ExportFormat, QueryStatus, QueryType
from domain.model.query_input import ISO_DATE
from domain.model.users import Role

# parse_date's AAAA-MM-DD (to most validators, format: date is only an annotation); no year 0
DAY = f"^(?!0000){ISO_DATE.pattern}$"
SPACE = f"[{PY_SPACE}]*"
# parse_bool's words, after strip() and lower()
BOOLEAN = f"^{SPACE}(?:[Tt][Rr][Uu][Ee]|1|[Ss][IiÍí]|[Ff][Aa][Ll][Ss][Ee]|0|[Nn][Oo]){SPACE}$"


def param(description: str, to: str | None = None, **schema: Any) -> Any:
    return field(default=None, metadata={**meta(description, **schema), "to": to})


def query_command(get: Callable[[str], Any], params: type, command: type, **server: Any) -> Any:
    """`command` with each parameter of `params` read by its name (`get`, e.g. falcon's
    `req.get_param`) into its command field, plus the server's own fields (who asks)."""
    given = {f.metadata["to"] or f.name: get(f.name) for f in attrs.fields(params)}
    return command(**server, **given)


@frozen(slots=False)
class Paging:
    page: int = param("página (1…)", minimum=1, maximum=MAX_PAGE)
    per_page: int = param("elementos por página", minimum=1, maximum=MAX_PER_PAGE)


@frozen(slots=False)
class Period:
    desde: date = param("desde este día (incluido), AAAA-MM-DD", "since", pattern=DAY)
    hasta: date = param("hasta este día (incluido), AAAA-MM-DD", "until", pattern=DAY)


@frozen(slots=False)
class QueryFilters(Period, Paging):
    tipo: Literal[tuple(t.value for t in QueryType)] = param("tipo de consulta", "query_type")  # type: ignore[valid-type]
    estado: Literal[tuple(s.value for s in QueryStatus)] = param("estado de la consulta", "status")  # type: ignore[valid-type]
    ciudad: str = param("nombre exacto de la ciudad", "city")


@frozen(slots=False)
class AnyUserQueryFilters(QueryFilters):
    usuario: int = param("id", "user", minimum=1, maximum=MAX_ID)


@frozen(slots=False)
class ActivityFilters(Period, Paging):
    accion: str = param("p. ej. login, registro", "action", maxLength=50)


@frozen(slots=False)
class LogFilters(ActivityFilters):
    usuario: int = param("id", "user", minimum=1, maximum=MAX_ID)


@frozen(slots=False)
class UserFilters(Paging):
    rol: Literal[tuple(r.value for r in Role)] = param("rol", "role")  # type: ignore[valid-type]
    activo: str = param("true/false (también 1/0, si/no)", "active", pattern=BOOLEAN)
    q: str = param("texto en username, email o nombre", "text")


@frozen(slots=False)
class DownloadOptions:
    formato: Literal[tuple(f.value for f in ExportFormat)] = param("por defecto el de la consulta")  # type: ignore[valid-type]
    separador: Literal[",", ";"] = param("separador CSV")
    detalle: Literal["fuentes"] = param("una columna por proveedor")
