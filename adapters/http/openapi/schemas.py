"""Response schemas (components.schemas): the JSON the resources and render.py really return."""

from __future__ import annotations

from adapters.http.openapi.common import (
    ID,
    INSTANT,
    INSTANT_OR_NULL,
    NUMBER_OR_NULL,
    Schema,
    nullable,
    obj,
    page_of,
    ref,
)
from adapters.http.openapi.result_schemas import RESULT_SCHEMAS
from domain.model.users import Role

_USER = obj(
    ["id", "username", "email", "rol", "activo", "creado_en"],
    {
        "id": ID,
        "username": {"type": "string"},
        "email": {"type": "string"},
        "nombre_completo": nullable("string"),
        "rol": {"enum": [r.value for r in Role]},
        "activo": {"type": "boolean"},
        "ultimo_login": INSTANT_OR_NULL,
        "creado_en": INSTANT,
    },
    description="Una cuenta de ClimaGuru (nunca incluye la contraseña ni su hash).",
)

_TOKENS = {
    "access_token": {"type": "string", "description": "JWT de acceso (Authorization: Bearer)"},
    "refresh_token": {"type": "string", "description": "JWT de refresco, de un solo uso"},
    "token_type": {"const": "Bearer"},
    "expires_in": {"type": "integer", "description": "segundos de vida del token de acceso"},
}
_TOKEN_KEYS = ["access_token", "refresh_token", "token_type", "expires_in"]

SCHEMAS: dict[str, Schema] = {
    **RESULT_SCHEMAS,
    "Error": obj(
        ["error", "message", "request_id"],
        {
            "error": {"type": "string", "description": "código estable, p. ej. validacion"},
            "message": {"type": "string", "description": "mensaje en español para una persona"},
            "detalles": {"type": "object", "description": "campo → problema"},
            "request_id": {**nullable("string"), "description": "el mismo que X-Request-ID"},
        },
        description="Cuerpo de todo error de la API.",
    ),
    "Mensaje": obj(["message"], {"message": {"type": "string"}}),
    "Usuario": _USER,
    "UsuarioEnvuelto": obj(["usuario"], {"usuario": ref("Usuario")}),
    "Tokens": obj(_TOKEN_KEYS, _TOKENS, description="Un par de tokens nuevo."),
    "Sesion": obj(
        ["usuario", *_TOKEN_KEYS],
        {"usuario": ref("Usuario"), **_TOKENS},
        description="El usuario y su primer par de tokens.",
    ),
    "Salud": obj(
        ["estado", "base_de_datos"],
        {"estado": {"enum": ["ok", "degradado"]}, "base_de_datos": {"enum": ["ok", "error"]}},
    ),
    "PaginaConsultas": page_of("consultas", "Consulta", "consultas, las más recientes primero"),
    "PaginaUsuarios": page_of("usuarios", "Usuario", "usuarios"),
    "Actividad": obj(
        ["id", "usuario_id", "accion", "detalle", "creado_en"],
        {
            "id": nullable("integer"),
            "usuario_id": nullable("integer"),
            "accion": {"type": "string"},
            "detalle": {"type": "object"},
            "ip_address": nullable("string"),
            "user_agent": nullable("string"),
            "creado_en": INSTANT_OR_NULL,
        },
    ),
    "PaginaActividad": page_of("actividad", "Actividad", "acciones propias"),
    "PaginaLogs": page_of("logs", "Actividad", "registro de auditoría"),
    "ApiKey": obj(
        ["id", "proveedor", "clave", "tiene_secreto", "activa", "limite_consultas_diarias"],
        {
            "id": ID,
            "proveedor": {"type": "string"},
            "clave": {"type": "string", "description": "enmascarada; la clave nunca se devuelve"},
            "tiene_secreto": {"type": "boolean"},
            "descripcion": nullable("string"),
            "activa": {"type": "boolean"},
            "limite_consultas_diarias": {"type": "integer", "minimum": 1},
            "consultas_hoy": {"type": "integer", "minimum": 0},
            "ultimo_uso": INSTANT_OR_NULL,
            "creada_en": INSTANT_OR_NULL,
        },
    ),
    "ApiKeyEnvuelta": obj(["api_key"], {"api_key": ref("ApiKey")}),
    "ListaApiKeys": obj(["api_keys"], {"api_keys": {"type": "array", "items": ref("ApiKey")}}),
    "PruebaApiKey": obj(
        ["resultado", "codigo"],
        {
            "resultado": {"enum": ["valida", "invalida", "sin_acceso_al_plan", "no_verificable"]},
            "codigo": nullable("string"),
        },
    ),
    "CiudadFavorita": obj(
        ["id", "nombre_ciudad", "latitud", "longitud", "es_default"],
        {
            "id": ID,
            "nombre_ciudad": {"type": "string"},
            "pais": nullable("string"),
            "latitud": {"type": "number"},
            "longitud": {"type": "number"},
            "es_default": {"type": "boolean"},
            "creada_en": INSTANT_OR_NULL,
        },
    ),
    "CiudadFavoritaEnvuelta": obj(["ciudad_favorita"], {"ciudad_favorita": ref("CiudadFavorita")}),
    "ListaCiudadesFavoritas": obj(
        ["ciudades_favoritas"],
        {"ciudades_favoritas": {"type": "array", "items": ref("CiudadFavorita")}},
    ),
    "Estadisticas": obj(
        ["alcance", "total_consultas", "completadas", "errores", "por_tipo", "proveedores"],
        {
            "alcance": {"enum": ["global", "propio"]},
            "desde": nullable("string"),
            "hasta": nullable("string"),
            "total_consultas": {"type": "integer", "minimum": 0},
            "completadas": {"type": "integer", "minimum": 0},
            "errores": {"type": "integer", "minimum": 0},
            "tasa_exito": NUMBER_OR_NULL,
            "por_tipo": {"type": "object", "additionalProperties": {"type": "integer"}},
            "ciudades_principales": {"type": "array", "items": {"type": "object"}},
            "tiempo_respuesta_medio_ms": NUMBER_OR_NULL,
            "ultima_consulta": INSTANT_OR_NULL,
            "proveedores": {"type": "object", "additionalProperties": {"type": "object"}},
            "cuotas_hoy": {"type": "array", "items": {"type": "object"}},
            "por_usuario": {
                "type": "array",
                "items": {"type": "object"},
                "description": "solo con alcance global (admin y consultor)",
            },
        },
    ),
}
