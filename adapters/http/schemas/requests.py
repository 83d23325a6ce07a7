"""Request bodies: the JSON fields each operation accepts, the command field each one fills.

The converter structures a body into one of these (unknown field → 400 campo_no_permitido,
missing field without a default → 400 obligatorio), then `to_command` renames the fields given
into the use case's command. Values stay raw: the use cases validate them and word the errors.
A `required=True` in `meta` is documented only: the use case itself answers its absence.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from attrs import NOTHING, field, frozen

from adapters.http.json_schema import PY_SPACE, meta, named
from domain.model.forecast import DEFAULT_DAYS, MAX_DAYS
from domain.model.queries import ExportFormat
from domain.model.readings import Granularity
from domain.model.users import EMAIL_RE, PASSWORD_MIN_CHARS, Role
from domain.use_cases.change_password import ChangePasswordCommand
from domain.use_cases.login import LoginCommand
from domain.use_cases.manage_api_keys import MAX_DAILY_LIMIT, ApiKeyCommand
from domain.use_cases.manage_favorites import FavoriteCommand
from domain.use_cases.manage_users import CreateUserCommand, UpdateUserCommand
from domain.use_cases.refresh_tokens import RefreshTokensCommand
from domain.use_cases.register_user import RegisterUserCommand
from domain.use_cases.run_current_query import RunCurrentQueryCommand
from domain.use_cases.run_forecast_query import RunForecastQueryCommand
from domain.use_cases.run_history_query import RunHistoryQueryCommand

ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT"})()
BODIES: list[type] = []  # every request schema, for the converter to register


def body(command: type, name: str, description: str | None = None, **keywords: Any):
    """Class decorator: a closed request schema named `name` that builds `command`."""

    def apply(cls: type) -> type:
        cls = named(name, description, closed=True, **keywords)(frozen(cls))
        cls.command = command
        BODIES.append(cls)
        return cls

    return apply


def wire(to: str | None = None, *, given: bool = False, hidden: bool = False, **schema: Any) -> Any:
    """A body field: `to` the command field (default the same name); `given` = no default."""
    metadata = {**meta(**schema), "to": to, "hidden": hidden}
    return field(default=NOTHING if given else ABSENT, metadata=metadata)


def to_command(value: Any, **server_fields: Any) -> Any:
    """The command of a structured body: the fields given, renamed, plus the server's own."""
    given = {
        (f.metadata["to"] or f.name): getattr(value, f.name)
        for f in type(value).__attrs_attrs__
        if getattr(value, f.name) is not ABSENT
    }
    return type(value).command(**given, **server_fields)


# C0 (NUL, TAB, CR, LF...), DEL, C1 and U+2028/9, a class Python's re and ECMA-262 read alike:
# the converter refuses them (400 caracteres_de_control) in every text of a body but passwords,
# so every text field's pattern leaves them out and a fuzzer's "valid" text is valid here too.
CONTROL_CHARS = r"\u0000-\u001f\u007f-\u009f\u2028\u2029"
TEXT = {"pattern": f"^[^{CONTROL_CHARS}]*$"}
# What strip() removes and a body may still carry: PY_SPACE without the control characters.
TEXT_SPACE = r"\x20\xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
SPACE = f"[{TEXT_SPACE}]*"  # the use cases strip what surrounds a username or an e-mail
USERNAME = {
    "pattern": f"^{SPACE}[A-Za-z0-9_.-]{{3,50}}{SPACE}$",
    "description": "3 a 50 caracteres: letras, números, '_', '.' o '-'",
}
ADDRESS = EMAIL_RE.pattern.strip("^$").replace(r"\s", PY_SPACE + CONTROL_CHARS)  # its [^@\s]
EMAIL = {
    "pattern": f"^{SPACE}(?=[^{PY_SPACE}]{{1,100}}{SPACE}$){ADDRESS}{SPACE}$",
    "description": "dirección de correo (hasta 100 caracteres)",
    "examples": ["ana@ejemplo.co"],
}
PASSWORD = {
    "minLength": PASSWORD_MIN_CHARS,
    "description": "al menos 8 caracteres y como mucho 72 bytes en UTF-8; no una de las comunes",
}
NAME = {"description": "hasta 100 caracteres", **TEXT}
NOT_BLANK = {"pattern": f"^[^{CONTROL_CHARS}]*[^{CONTROL_CHARS}{PY_SPACE}][^{CONTROL_CHARS}]*$"}
# parse_date's AAAA-MM-DD from the year of domain.model.query_input.HISTORY_START (1940-01-01):
# JSON Schema cannot compare dates, but a pattern can say which years a history may ask for.
HISTORY_DAY = {"pattern": "^(?:19[4-9][0-9]|[2-9][0-9]{3})-[0-9]{2}-[0-9]{2}$"}
LIMIT = {"minimum": 1, "maximum": MAX_DAILY_LIMIT}
LAT = {"minimum": -90, "maximum": 90, "description": "grados WGS84", "examples": [6.2442]}
LON = {"minimum": -180, "maximum": 180, "description": "grados WGS84", "examples": [-75.5812]}
Formats = Literal[tuple(f.value for f in ExportFormat)]  # type: ignore[valid-type]
Roles = Literal[tuple(r.value for r in Role)]  # type: ignore[valid-type]


@body(RegisterUserCommand, "Registro")
class Registration:
    username: str = wire(given=True, **USERNAME, examples=["ana_gomez"])
    email: str = wire(given=True, **EMAIL)
    password: str = wire(given=True, **PASSWORD)
    nombre_completo: str | None = wire("full_name", **NAME)


@body(LoginCommand, "LoginConLogin", "login: username o email")
class Login:
    login: str = wire(given=True, description="username o email", examples=["ana_gomez"], **TEXT)
    password: str = wire(given=True)


@frozen
@named(
    "LoginConUsername", "username: alias de login (un email que lo acompañe se ignora)", closed=True
)
class LoginByUsername:
    username: str = field(metadata=meta(**TEXT))
    password: str
    email: str = field(default="", metadata=meta(**TEXT))


@frozen
@named("LoginConEmail", "email: alias de login", closed=True)
class LoginByEmail:
    email: str = field(metadata=meta(**TEXT))
    password: str


@body(RefreshTokensCommand, "Refresco")
class Refresh:
    refresh_token: str = wire(given=True, **TEXT)


@body(ChangePasswordCommand, "CambioPassword")
class PasswordChange:
    password_actual: str = wire("current_password", required=True)
    password_nuevo: str = wire("new_password", required=True, **PASSWORD)


PLACE = "ciudad, o latitud y longitud; sin nada, la ciudad favorita por defecto"
PAIRED = {"latitud": ["longitud"], "longitud": ["latitud"]}
# Without coordinates the ciudad is geocoded, and a blank one is 400 formato_invalido.
GEOCODED = {
    "if": {"properties": {"latitud": {"type": "null"}, "longitud": {"type": "null"}}},
    "then": {"properties": {"ciudad": NOT_BLANK}},
}
PLACED = {"dependentRequired": PAIRED, **GEOCODED}


@body(RunCurrentQueryCommand, "ConsultaTiempoReal", PLACE, **PLACED)
class CurrentQuery:
    ciudad: str | None = wire(
        "city", maxLength=100, description="se geocodifica si no se dan latitud y longitud",
        examples=["Medellín"], **TEXT,
    )  # fmt: skip
    latitud: float | None = wire("latitude", **LAT)
    longitud: float | None = wire("longitude", **LON)
    pais: Any = wire("country", description="código ISO de dos letras que acota la "
                     "geocodificación; si no, se ignora", **TEXT, items=TEXT)  # fmt: skip
    parametros: Any = wire("variables")  # a names list: its schema is made per deployment
    proveedores: Any = wire("providers")
    formato: Formats | None = wire("export_format", description="por defecto json")


@body(RunHistoryQueryCommand, "ConsultaHistorica", **PLACED)
class HistoryQuery(CurrentQuery):
    fecha_inicio: date = wire(
        "start_date",
        required=True,
        examples=["2024-01-01"],
        description="AAAA-MM-DD, desde 1940-01-01",
        **HISTORY_DAY,
    )
    fecha_fin: date = wire(
        "end_date", required=True, description="AAAA-MM-DD, desde 1940-01-01, no futura",
        **HISTORY_DAY,
    )  # fmt: skip
    granularidad: Literal[tuple(g.value for g in Granularity)] | None = wire("granularity")  # type: ignore[valid-type]
    zona_horaria: str | None = wire(
        "timezone", minLength=1, maxLength=64, description="IANA", **TEXT
    )
    grados_dia_base: float | None = wire(
        "degree_day_base", description="°C; por defecto GRADOS_DIA_BASE (10)", examples=[10]
    )
    grados_dia_tope: float | None = wire(
        "degree_day_cap", description="°C; por defecto GRADOS_DIA_TOPE (30)", examples=[30]
    )


@body(RunForecastQueryCommand, "ConsultaPronostico", PLACE, dependentRequired=PAIRED)
class ForecastQuery(CurrentQuery):
    dias: int = wire(
        "days",
        minimum=1,
        maximum=MAX_DAYS,
        description=f"días desde hoy, por defecto {DEFAULT_DAYS}",
    )
    granularidad: Literal[tuple(g.value for g in Granularity)] | None = wire(  # type: ignore[valid-type]
        "granularity", description="por defecto horaria"
    )
    zona_horaria: str | None = wire(
        "timezone", minLength=1, maxLength=64, description="IANA", **TEXT
    )


@body(ApiKeyCommand, "CambioApiKey", "proveedor, api_key y api_secret no se pueden cambiar")
class ApiKeyChange:
    descripcion: str | None = wire("description", maxLength=255, **NOT_BLANK)
    limite_consultas_diarias: int = wire("daily_limit", **LIMIT)
    activa: bool = wire("active")
    proveedor: Any = wire("provider", hidden=True)  # the use case refuses them by name
    api_key: Any = wire(hidden=True)
    api_secret: Any = wire(hidden=True)


@body(ApiKeyCommand, "NuevaApiKey", required=["proveedor", "api_key"])
class NewApiKey(ApiKeyChange):
    proveedor: str = wire("provider", description="un proveedor que necesita clave", **TEXT)
    api_key: str = wire(minLength=1, maxLength=500, **NOT_BLANK)
    api_secret: str | None = wire(maxLength=500, **NOT_BLANK)


@body(FavoriteCommand, "CambioCiudadFavorita")
class FavoriteChange:
    nombre_ciudad: str = wire("name", maxLength=100, **NOT_BLANK, examples=["Medellín"])
    latitud: float = wire("latitude", **LAT)
    longitud: float = wire("longitude", **LON)
    pais: str | None = wire("country", maxLength=50, **TEXT)
    es_default: bool = wire("is_default")


@body(FavoriteCommand, "NuevaCiudadFavorita", required=["nombre_ciudad", "latitud", "longitud"])
class NewFavorite(FavoriteChange):
    pass


@body(UpdateUserCommand, "CambioUsuario", minProperties=1)
class UserChange:
    rol: Roles = wire("role")
    activo: bool = wire("active")
    nombre_completo: str | None = wire("full_name", **NAME)
    email: str = wire(**EMAIL)


@body(CreateUserCommand, "NuevoUsuario", required=["username", "email", "password"])
class NewUser:
    username: str = wire(**USERNAME)
    email: str = wire(**EMAIL)
    password: str = wire(**PASSWORD)
    rol: Roles = wire("role", default=Role.OPERATOR.value)
    nombre_completo: str | None = wire("full_name", **NAME)
