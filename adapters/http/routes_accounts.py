"""The route table's part for provider keys, favourite cities, administration and reports."""

from __future__ import annotations

from adapters.http.resources import accounts as acc
from adapters.http.resources import keys_and_favorites as kf
from adapters.http.route import Route, tagged
from adapters.http.schemas import params as q
from adapters.http.schemas import requests as i
from adapters.http.schemas import responses as o
from domain.model.permissions import Permission as P

KEYS, FAVS, ADMIN = "claves", "favoritas", "administración"
MY_KEYS, MY_FAVS, USERS = (
    frozenset({p}) for p in (P.MANAGE_OWN_API_KEYS, P.MANAGE_OWN_FAVORITES, P.MANAGE_USERS)
)
NO_CONTENT = {"description": "Hecho; sin cuerpo."}

ACCOUNT_ROUTES: tuple[Route, ...] = (
    *tagged(
        KEYS,
        Route(
            "/api/api-keys",
            "GET",
            kf.ApiKeysResource,
            MY_KEYS,
            "Mis claves de proveedor",
            o.ApiKeyList,
        ),
        Route(
            "/api/api-keys",
            "POST",
            kf.ApiKeysResource,
            MY_KEYS,
            "Guardar una clave de proveedor (se cifra; nunca se devuelve)",
            o.ApiKeyBody,
            201,
            i.NewApiKey,
            errors={409},
        ),
        Route(
            "/api/api-keys/{key_id:id}",
            "GET",
            kf.ApiKeyResource,
            MY_KEYS,
            "Una clave",
            o.ApiKeyBody,
        ),
        Route(
            "/api/api-keys/{key_id:id}",
            "PATCH",
            kf.ApiKeyResource,
            MY_KEYS,
            "Cambiar descripción, límite diario o activa",
            o.ApiKeyBody,
            body=i.ApiKeyChange,
        ),
        Route(
            "/api/api-keys/{key_id:id}",
            "DELETE",
            kf.ApiKeyResource,
            MY_KEYS,
            "Borrar una clave",
            NO_CONTENT,
            204,
        ),
        Route(
            "/api/api-keys/{key_id:id}/probar",
            "POST",
            kf.ApiKeyProbeResource,
            MY_KEYS,
            "Probar una clave con una llamada mínima al proveedor",
            o.KeyProbe,
        ),
    ),
    *tagged(
        FAVS,
        Route(
            "/api/ciudades-favoritas",
            "GET",
            kf.FavoritesResource,
            MY_FAVS,
            "Mis ciudades favoritas",
            o.FavoriteList,
        ),
        Route(
            "/api/ciudades-favoritas",
            "POST",
            kf.FavoritesResource,
            MY_FAVS,
            "Guardar una ciudad favorita",
            o.FavoriteBody,
            201,
            i.NewFavorite,
            errors={409},
        ),
        Route(
            "/api/ciudades-favoritas/{favorite_id:id}",
            "PATCH",
            kf.FavoriteResource,
            MY_FAVS,
            "Cambiar una ciudad favorita (es_default: la usada cuando no se indica lugar)",
            o.FavoriteBody,
            body=i.FavoriteChange,
            errors={409},
        ),
        Route(
            "/api/ciudades-favoritas/{favorite_id:id}",
            "DELETE",
            kf.FavoriteResource,
            MY_FAVS,
            "Borrar una ciudad favorita",
            NO_CONTENT,
            204,
        ),
    ),
    *tagged(
        ADMIN,
        Route(
            "/api/usuarios",
            "GET",
            acc.UsersResource,
            USERS,
            "Usuarios (admin)",
            o.UserPage,
            params=q.UserFilters,
        ),
        Route(
            "/api/usuarios",
            "POST",
            acc.UsersResource,
            USERS,
            "Crear un usuario con cualquier rol (admin)",
            o.AccountBody,
            201,
            i.NewUser,
            errors={409},
        ),
        Route(
            "/api/usuarios/{user_id:id}",
            "GET",
            acc.UserResource,
            USERS,
            "Un usuario (admin)",
            o.AccountBody,
        ),
        Route(
            "/api/usuarios/{user_id:id}",
            "PATCH",
            acc.UserResource,
            USERS,
            "Cambiar rol, estado, nombre o email (admin)",
            o.AccountBody,
            body=i.UserChange,
            errors={409},
            description="409 si dejaría el sistema sin ningún administrador activo.",
        ),
        Route(
            "/api/usuarios/{user_id:id}",
            "DELETE",
            acc.UserResource,
            USERS,
            "Desactivar un usuario (admin; no se borra)",
            o.AccountBody,
            errors={409},
        ),
        Route(
            "/api/logs",
            "GET",
            acc.LogsResource,
            frozenset({P.READ_ALL_LOGS}),
            "Registro de auditoría (admin)",
            o.LogPage,
            params=q.LogFilters,
        ),
    ),
    *tagged(
        "reportes",
        Route(
            "/api/reportes/estadisticas",
            "GET",
            kf.StatisticsResource,
            frozenset({P.READ_OWN_STATS, P.READ_GLOBAL_STATS}),
            "Estadísticas de uso (operario: las propias; admin y consultor: globales)",
            o.Statistics,
            params=q.Period,
        ),
    ),
)
