"""Operations for keys, favourites, administration, reports, health and the docs themselves."""

from __future__ import annotations

from adapters.http.openapi import bodies as b
from adapters.http.openapi.paths import FAV, KEY, NO_CONTENT, USER, Operation, ok, op

HTML = {"text/html": {"schema": {"type": "string"}}}


def account_paths() -> dict[str, dict[str, Operation]]:
    return {
        "/api/api-keys": {
            "get": op(
                "Mis claves de proveedor", "claves", (200, ok("Sus claves.", "ListaApiKeys"))
            ),
            "post": op(
                "Guardar una clave de proveedor (se cifra; nunca se devuelve)",
                "claves",
                (201, ok("Clave guardada.", "ApiKeyEnvuelta")),
                body="NuevaApiKey",
                errors={409},
            ),
        },
        "/api/api-keys/{key_id}": {
            "get": op(
                "Una clave", "claves", (200, ok("La clave.", "ApiKeyEnvuelta")), params=[KEY]
            ),
            "patch": op(
                "Cambiar descripción, límite diario o activa",
                "claves",
                (200, ok("Clave cambiada.", "ApiKeyEnvuelta")),
                params=[KEY],
                body="CambioApiKey",
            ),
            "delete": op("Borrar una clave", "claves", (204, NO_CONTENT), params=[KEY]),
        },
        "/api/api-keys/{key_id}/probar": {
            "post": op(
                "Probar una clave con una llamada mínima al proveedor",
                "claves",
                (200, ok("Resultado de la prueba.", "PruebaApiKey")),
                params=[KEY],
            )
        },
        "/api/ciudades-favoritas": {
            "get": op(
                "Mis ciudades favoritas",
                "favoritas",
                (200, ok("Sus favoritas.", "ListaCiudadesFavoritas")),
            ),
            "post": op(
                "Guardar una ciudad favorita",
                "favoritas",
                (201, ok("Favorita guardada.", "CiudadFavoritaEnvuelta")),
                body="NuevaCiudadFavorita",
                errors={409},
            ),
        },
        "/api/ciudades-favoritas/{favorite_id}": {
            "patch": op(
                "Cambiar una ciudad favorita (es_default: la usada cuando no se indica lugar)",
                "favoritas",
                (200, ok("Favorita cambiada.", "CiudadFavoritaEnvuelta")),
                params=[FAV],
                body="CambioCiudadFavorita",
                errors={409},
            ),
            "delete": op(
                "Borrar una ciudad favorita", "favoritas", (204, NO_CONTENT), params=[FAV]
            ),
        },
        "/api/usuarios": {
            "get": op(
                "Usuarios (admin)",
                "administración",
                (200, ok("Una página de usuarios.", "PaginaUsuarios")),
                params=b.USER_FILTERS,
            ),
            "post": op(
                "Crear un usuario con cualquier rol (admin)",
                "administración",
                (201, ok("Usuario creado.", "UsuarioEnvuelto")),
                body="NuevoUsuario",
                errors={409},
            ),
        },
        "/api/usuarios/{user_id}": {
            "get": op(
                "Un usuario (admin)",
                "administración",
                (200, ok("El usuario.", "UsuarioEnvuelto")),
                params=[USER],
            ),
            "patch": op(
                "Cambiar rol, estado, nombre o email (admin)",
                "administración",
                (200, ok("Usuario cambiado.", "UsuarioEnvuelto")),
                params=[USER],
                body="CambioUsuario",
                errors={409},
                description="409 si dejaría el sistema sin ningún administrador activo.",
            ),
            "delete": op(
                "Desactivar un usuario (admin; no se borra)",
                "administración",
                (200, ok("Usuario desactivado.", "UsuarioEnvuelto")),
                params=[USER],
                errors={409},
            ),
        },
        "/api/logs": {
            "get": op(
                "Registro de auditoría (admin)",
                "administración",
                (200, ok("Una página del registro.", "PaginaLogs")),
                params=[*b.ACTIVITY_FILTERS, b.USER_FILTER],
            )
        },
        "/api/reportes/estadisticas": {
            "get": op(
                "Estadísticas de uso (operario: las propias; admin y consultor: globales)",
                "reportes",
                (200, ok("Las estadísticas.", "Estadisticas")),
                params=[b.SINCE, b.UNTIL],
            )
        },
    }


def service_paths() -> dict[str, dict[str, Operation]]:
    health = {
        "description": "La base de datos no responde.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Salud"}}},
    }
    health_op = op(
        "Estado del servicio",
        "servicio",
        (200, ok("Todo funciona.", "Salud")),
        public=True,
        database=False,  # its own 503 below, with the Salud body
    )
    health_op["responses"]["503"] = health
    asset = {
        "name": "asset",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": "nombre de un archivo de Swagger UI servido por ClimaGuru",
    }
    asset_types = ["text/css", "text/javascript", "image/png"]
    asset_op = op(
        "Archivos de la documentación interactiva",
        "servicio",
        (200, {"description": "El archivo.", "content": {t: {} for t in asset_types}}),
        public=True,
        database=False,
        params=[asset],
        description="Solo los archivos de la lista; cualquier otro nombre es 404.",
    )
    asset_op["responses"]["304"] = {"description": "Sin cambios (If-None-Match con su ETag)."}
    return {
        "/api/health": {"get": health_op},
        "/api/openapi.json": {
            "get": op(
                "Este documento OpenAPI 3.1",
                "servicio",
                (200, {"description": "El documento.", "content": {"application/json": {}}}),
                public=True,
                database=False,
            )
        },
        "/api/docs": {
            "get": op(
                "Documentación interactiva (Swagger UI)",
                "servicio",
                (200, {"description": "La página.", "content": HTML}),
                public=True,
                database=False,
            )
        },
        "/api/docs/{asset}": {"get": asset_op},
    }
