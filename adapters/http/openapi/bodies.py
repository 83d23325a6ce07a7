"""Request bodies and query parameters: the fields the cattrs converter and use cases accept."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from adapters.http.openapi.common import Schema, nullable, obj
from adapters.http.route_ids import MAX_ID
from domain.model.paging import MAX_PAGE, MAX_PER_PAGE
from domain.model.queries import ExportFormat, QueryStatus, QueryType
from domain.model.readings import Granularity
from domain.model.users import EMAIL_RE, PASSWORD_MIN_CHARS, Role
from domain.model.variables import ALL_VARIABLE_NAMES
from domain.use_cases.manage_api_keys import MAX_DAILY_LIMIT

# The code strips surrounding whitespace before it checks the username.
USERNAME = {
    "type": "string",
    "pattern": r"^\s*[A-Za-z0-9_.-]{3,50}\s*$",
    "description": "3 a 50 caracteres: letras, números, '_', '.' o '-'",
}
EMAIL = {
    "type": "string",
    "pattern": r"^\s*" + EMAIL_RE.pattern.strip("^$") + r"\s*$",
    "description": "dirección de correo (hasta 100 caracteres)",
}
PASSWORD = {
    "type": "string",
    "minLength": PASSWORD_MIN_CHARS,
    "description": "al menos 8 caracteres y como mucho 72 bytes en UTF-8; no una de las comunes",
}
FULL_NAME = {**nullable("string"), "description": "hasta 100 caracteres"}
LATITUDE = {"type": "number", "minimum": -90, "maximum": 90, "description": "grados WGS84"}
LONGITUDE = {"type": "number", "minimum": -180, "maximum": 180, "description": "grados WGS84"}


def one_of(names: Sequence[str]) -> Schema:
    """An enum of names, or any string when there are none (no provider enabled)."""
    return {"enum": list(names)} if names else {"type": "string"}


def names_field(names: Sequence[str], what: str) -> Schema:
    """A list of names, or the same names in one comma-separated string, or null (all)."""
    word = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or r"[^,]+"
    listed = rf"^[\s,]*(?:{word})(?:\s*,[\s,]*(?:{word}))*[\s,]*$"
    return {
        "description": f"{what}: lista, o texto separado por comas; por defecto, todos",
        "oneOf": [
            {"type": "array", "items": one_of(names), "minItems": 1},
            {"type": "string", "pattern": listed},
            {"type": "null"},
        ],
    }


def query_fields(providers: Sequence[str]) -> dict[str, Schema]:
    return {
        "ciudad": {
            **nullable("string", maxLength=100),
            "description": "se geocodifica si no se dan latitud y longitud",
        },
        "latitud": {**LATITUDE, "type": ["number", "null"]},
        "longitud": {**LONGITUDE, "type": ["number", "null"]},
        "pais": {
            "description": "código ISO de dos letras que acota la geocodificación; si no, se ignora"
        },
        "parametros": names_field(ALL_VARIABLE_NAMES, "variables"),
        "proveedores": names_field(providers, "proveedores habilitados"),
        "formato": {
            "enum": [*(f.value for f in ExportFormat), None],
            "description": "por defecto json",
        },
    }


_PAIRED = {"latitud": ["longitud"], "longitud": ["latitud"]}


def strict(required: list[str], properties: dict[str, Schema], **extra: Any) -> Schema:
    return obj(required, properties, additionalProperties=False, **extra)


def bodies(providers: Sequence[str], keyed: Sequence[str]) -> dict[str, Schema]:
    """Request body schemas; provider names are those enabled in this deployment."""
    fields = query_fields(providers)
    favorite = {
        "nombre_ciudad": {"type": "string", "maxLength": 100, "pattern": r"\S"},
        "latitud": LATITUDE,
        "longitud": LONGITUDE,
        "pais": nullable("string", maxLength=50),
        "es_default": {"type": "boolean"},
    }
    return {
        "Registro": strict(
            ["username", "email", "password"],
            {
                "username": USERNAME,
                "email": EMAIL,
                "password": PASSWORD,
                "nombre_completo": FULL_NAME,
            },
        ),
        "Login": strict(
            ["password"],
            {
                "login": {"type": "string", "description": "username o email"},
                "username": {"type": "string", "description": "alias de login"},
                "email": {"type": "string", "description": "alias de login"},
                "password": {"type": "string"},
            },
        ),
        "Refresco": strict(["refresh_token"], {"refresh_token": {"type": "string"}}),
        "CambioPassword": strict(
            ["password_actual", "password_nuevo"],
            {"password_actual": {"type": "string"}, "password_nuevo": PASSWORD},
        ),
        "ConsultaTiempoReal": strict(
            [],
            fields,
            dependentRequired=_PAIRED,
            description="ciudad, o latitud y longitud; sin nada, la ciudad favorita por defecto",
        ),
        "ConsultaHistorica": strict(
            ["fecha_inicio", "fecha_fin"],
            {
                **fields,
                "fecha_inicio": {"type": "string", "format": "date"},
                "fecha_fin": {"type": "string", "format": "date", "description": "no futura"},
                "granularidad": {"enum": [*(g.value for g in Granularity), None]},
                "zona_horaria": {
                    **nullable("string", minLength=1, maxLength=64),
                    "description": "IANA",
                },
            },
            dependentRequired=_PAIRED,
        ),
        "NuevaApiKey": strict(
            ["proveedor", "api_key"],
            {
                "proveedor": {**one_of(keyed), "description": "un proveedor que necesita clave"},
                "api_key": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": r"\S"},
                "api_secret": nullable("string", maxLength=500, pattern=r"\S"),
                "descripcion": nullable("string", maxLength=255, pattern=r"\S"),
                "limite_consultas_diarias": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_DAILY_LIMIT,
                },
                "activa": {"type": "boolean"},
            },
        ),
        "CambioApiKey": strict(
            [],
            {
                "descripcion": nullable("string", maxLength=255, pattern=r"\S"),
                "limite_consultas_diarias": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_DAILY_LIMIT,
                },
                "activa": {"type": "boolean"},
            },
            description="proveedor, api_key y api_secret no se pueden cambiar",
        ),
        "NuevaCiudadFavorita": strict(["nombre_ciudad", "latitud", "longitud"], favorite),
        "CambioCiudadFavorita": strict([], favorite),  # the same fields, none required
        "NuevoUsuario": strict(
            ["username", "email", "password"],
            {
                "username": USERNAME,
                "email": EMAIL,
                "password": PASSWORD,
                "rol": {"enum": [r.value for r in Role], "default": Role.OPERATOR.value},
                "nombre_completo": FULL_NAME,
            },
        ),
        "CambioUsuario": strict(
            [],
            {
                "rol": {"enum": [r.value for r in Role]},
                "activo": {"type": "boolean"},
                "nombre_completo": FULL_NAME,
                "email": EMAIL,
            },
            minProperties=1,
        ),
    }


def query_param(name: str, schema: Schema, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


PAGE = query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "página (1…)")
PER_PAGE = query_param(
    "per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}, "elementos por página"
)
SINCE = query_param("desde", {"type": "string", "format": "date"}, "desde este día (incluido)")
UNTIL = query_param("hasta", {"type": "string", "format": "date"}, "hasta este día (incluido)")
USER_FILTER = query_param("usuario", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "id")
QUERY_FILTERS = [
    PAGE,
    PER_PAGE,
    query_param("tipo", {"enum": [t.value for t in QueryType]}, "tipo de consulta"),
    query_param("estado", {"enum": [s.value for s in QueryStatus]}, "estado de la consulta"),
    query_param("ciudad", {"type": "string"}, "nombre exacto de la ciudad"),
    SINCE,
    UNTIL,
]
ACTIVITY_FILTERS = [
    PAGE,
    PER_PAGE,
    query_param("accion", {"type": "string", "maxLength": 50}, "p. ej. login, registro"),
    SINCE,
    UNTIL,
]
USER_FILTERS = [
    PAGE,
    PER_PAGE,
    query_param("rol", {"enum": [r.value for r in Role]}, "rol"),
    query_param("activo", {"type": "string"}, "true/false (también 1/0, si/no)"),
    query_param("q", {"type": "string"}, "texto en username, email o nombre"),
]
DOWNLOAD_OPTIONS = [
    query_param(
        "formato", {"enum": [f.value for f in ExportFormat]}, "por defecto el de la consulta"
    ),
    query_param("separador", {"enum": [",", ";"]}, "separador CSV"),
    query_param("detalle", {"enum": ["fuentes"]}, "una columna por proveedor"),
]


def path_id(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }
