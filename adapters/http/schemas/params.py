"""Query-string parameters of the list, report and download operations (all optional).

Documented here; the resources read them by the same names. Not slotted: they combine.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

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


def param(description: str, **schema: Any) -> Any:
    return field(default=None, metadata=meta(description, **schema))


@frozen(slots=False)
class Paging:
    page: int = param("página (1…)", minimum=1, maximum=MAX_PAGE)
    per_page: int = param("elementos por página", minimum=1, maximum=MAX_PER_PAGE)


@frozen(slots=False)
class Period:
    desde: date = param("desde este día (incluido), AAAA-MM-DD", pattern=DAY)
    hasta: date = param("hasta este día (incluido), AAAA-MM-DD", pattern=DAY)


@frozen(slots=False)
class QueryFilters(Period, Paging):
    tipo: Literal[tuple(t.value for t in QueryType)] = param("tipo de consulta")  # type: ignore[valid-type]
    estado: Literal[tuple(s.value for s in QueryStatus)] = param("estado de la consulta")  # type: ignore[valid-type]
    ciudad: str = param("nombre exacto de la ciudad")


@frozen(slots=False)
class AnyUserQueryFilters(QueryFilters):
    usuario: int = param("id", minimum=1, maximum=MAX_ID)


@frozen(slots=False)
class ActivityFilters(Period, Paging):
    accion: str = param("p. ej. login, registro", maxLength=50)


@frozen(slots=False)
class LogFilters(ActivityFilters):
    usuario: int = param("id", minimum=1, maximum=MAX_ID)


@frozen(slots=False)
class UserFilters(Paging):
    rol: Literal[tuple(r.value for r in Role)] = param("rol")  # type: ignore[valid-type]
    activo: str = param("true/false (también 1/0, si/no)", pattern=BOOLEAN)
    q: str = param("texto en username, email o nombre")


@frozen(slots=False)
class DownloadOptions:
    formato: Literal[tuple(f.value for f in ExportFormat)] = param("por defecto el de la consulta")  # type: ignore[valid-type]
    separador: Literal[",", ";"] = param("separador CSV")
    detalle: Literal["fuentes"] = param("una columna por proveedor")
