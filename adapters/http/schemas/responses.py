"""Response bodies of accounts, sessions, keys, favourites, audit pages, health and errors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from attrs import field, frozen, make_class

from adapters.http.json_schema import meta, named
from adapters.http.schemas.results import Query, optional
from domain.model.users import Role

INSTANT = datetime | None
COUNT = meta(minimum=0)


@frozen
@named("Error", "Cuerpo de todo error de la API.")
class Error:
    error: str = field(metadata=meta("código estable, p. ej. validacion", examples=["validacion"]))
    message: str = field(metadata=meta("mensaje en español para una persona"))
    detalles: dict[str, Any] | None = optional(description="campo → problema")
    request_id: str | None = field(kw_only=True, metadata=meta("el mismo que X-Request-ID"))


@frozen
@named("Mensaje")
class Message:
    message: str


@frozen
@named("Usuario", "Una cuenta de ClimaGuru (nunca incluye la contraseña ni su hash).")
class Account:
    id: int = field(metadata=meta(minimum=1))
    username: str = field(metadata=meta(examples=["ana_gomez"]))
    email: str
    nombre_completo: str | None
    rol: Literal[tuple(r.value for r in Role)]  # type: ignore[valid-type]
    activo: bool
    ultimo_login: INSTANT
    creado_en: datetime


@frozen
@named("Tokens", "Un par de tokens nuevo.")
class Tokens:
    access_token: str = field(metadata=meta("JWT de acceso (Authorization: Bearer)"))
    refresh_token: str = field(metadata=meta("JWT de refresco, de un solo uso"))
    token_type: Literal["Bearer"]
    expires_in: int = field(metadata=meta("segundos de vida del token de acceso"))


@frozen
@named("Sesion", "El usuario y su primer par de tokens.")
class Session:
    usuario: Account
    access_token: str = field(metadata=meta("JWT de acceso (Authorization: Bearer)"))
    refresh_token: str = field(metadata=meta("JWT de refresco, de un solo uso"))
    token_type: Literal["Bearer"]
    expires_in: int = field(metadata=meta("segundos de vida del token de acceso"))


@frozen
@named("Salud")
class Health:
    estado: Literal["ok", "degradado"]
    base_de_datos: Literal["ok", "error"]


@frozen
@named("Actividad")
class Activity:
    id: int | None
    usuario_id: int | None
    accion: str = field(metadata=meta(examples=["login"]))
    detalle: dict[str, Any]
    ip_address: str | None
    user_agent: str | None
    creado_en: INSTANT


@frozen
@named("ApiKey")
class ApiKey:
    id: int = field(metadata=meta(minimum=1))
    proveedor: str
    clave: str = field(metadata=meta("enmascarada; la clave nunca se devuelve"))
    tiene_secreto: bool
    descripcion: str | None
    activa: bool
    limite_consultas_diarias: int = field(metadata=meta(minimum=1))
    consultas_hoy: int = field(metadata=COUNT)
    ultimo_uso: INSTANT
    creada_en: INSTANT


@frozen
@named("PruebaApiKey")
class KeyProbe:
    resultado: Literal["valida", "invalida", "sin_acceso_al_plan", "no_verificable"]
    codigo: str | None


@frozen
@named("CiudadFavorita")
class Favorite:
    id: int = field(metadata=meta(minimum=1))
    nombre_ciudad: str
    pais: str | None
    latitud: float
    longitud: float
    es_default: bool
    creada_en: INSTANT


@frozen
@named("UsoProveedor", "Cómo respondió un proveedor cuando se le preguntó.")
class ProviderUsage:
    llamadas: int = field(metadata=COUNT)
    errores: int = field(metadata=COUNT)
    timeouts: int = field(metadata=COUNT)
    latencia_media_ms: float | None
    tasa_aciertos_cache: float | None


@frozen
@named("CuotaHoy")
class QuotaToday:
    api_key_id: int | None
    usuario_id: int
    proveedor: str
    activa: bool
    usadas_hoy: int = field(metadata=COUNT)
    limite_diario: int = field(metadata=meta(minimum=1))


@frozen
@named(
    "ClaveSistemaHoy",
    "Lo gastado hoy por un usuario del presupuesto diario de una clave del sistema.",
)
class SystemKeyToday:
    usuario_id: int
    proveedor: str
    usadas_hoy: int = field(metadata=COUNT)
    presupuesto_diario: int = field(metadata=meta(minimum=1))


@frozen
@named("TotalesUsuario")
class UserTotals:
    id: int
    username: str
    nombre_completo: str | None
    total_consultas: int = field(metadata=COUNT)
    consultas_exitosas: int = field(metadata=COUNT)
    ultima_consulta: INSTANT


@frozen
@named("CiudadPrincipal")
class TopCity:
    ciudad: str
    consultas: int = field(metadata=COUNT)


@frozen
@named("Estadisticas")
class Statistics:
    alcance: Literal["global", "propio"]
    desde: str | None = field(metadata=meta("el parámetro desde, tal como llegó"))
    hasta: str | None = field(metadata=meta("el parámetro hasta, tal como llegó"))
    total_consultas: int = field(metadata=COUNT)
    completadas: int = field(metadata=COUNT)
    errores: int = field(metadata=COUNT)
    tasa_exito: float | None
    por_tipo: dict[str, int]
    ciudades_principales: list[TopCity]
    tiempo_respuesta_medio_ms: float | None
    ultima_consulta: INSTANT
    proveedores: dict[str, ProviderUsage]
    cuotas_hoy: list[QuotaToday]
    claves_sistema_hoy: list[SystemKeyToday]
    por_usuario: list[UserTotals] = optional(
        description="solo con alcance global (admin y consultor)"
    )


def wrapper(name: str, key: str, kind: Any, description: str | None = None) -> type:
    """A body holding one value (or list) under `key`, e.g. {"usuario": {...}}; any held
    value is unstructured by its own type (a domain User, an ApiKey body…)."""
    held = field(type=Any, metadata={**meta(description), "of": kind})
    return named(name)(make_class(name, {key: held}, frozen=True))


def page(name: str, key: str, item: type, description: str) -> type:
    """A page: the items under `key`, then page, per_page, total and pages."""
    fields = {
        key: field(type=Any, metadata={**meta(description), "of": list[item]}),
        "page": field(type=int, metadata=meta(minimum=1)),
        "per_page": field(type=int, metadata=meta(minimum=1, maximum=100)),
        "total": field(type=int, metadata=COUNT),
        "pages": field(type=int, metadata=COUNT),
    }
    return named(name)(make_class(name, fields, frozen=True))


AccountBody = wrapper("UsuarioEnvuelto", "usuario", Account)
ApiKeyBody = wrapper("ApiKeyEnvuelta", "api_key", ApiKey)
ApiKeyList = wrapper("ListaApiKeys", "api_keys", list[ApiKey])
FavoriteBody = wrapper("CiudadFavoritaEnvuelta", "ciudad_favorita", Favorite)
FavoriteList = wrapper("ListaCiudadesFavoritas", "ciudades_favoritas", list[Favorite])
QueryPage = page("PaginaConsultas", "consultas", Query, "consultas, las más recientes primero")
UserPage = page("PaginaUsuarios", "usuarios", Account, "usuarios")
ActivityPage = page("PaginaActividad", "actividad", Activity, "acciones propias")
LogPage = page("PaginaLogs", "logs", Activity, "registro de auditoría")
