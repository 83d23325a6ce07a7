"""THE route table: app registration, the permission check, the role-matrix test and the OpenAPI
document are all derived from it. Summaries and descriptions are for users, so in Spanish."""

from __future__ import annotations

from adapters.http.resources import accounts as acc
from adapters.http.resources import auth, docs, health, queries
from adapters.http.resources.downloads import DownloadResource
from adapters.http.route import ANY_USER, PUBLIC, Route, tagged
from adapters.http.routes_accounts import ACCOUNT_ROUTES
from adapters.http.routes_console import CONSOLE_ROUTES
from adapters.http.schemas import params as q
from adapters.http.schemas import requests as i
from adapters.http.schemas import responses as o
from adapters.http.schemas import results as r
from domain.model.permissions import Permission as P

AUTH, QUERIES = "autenticación", "consultas"
OWN_QUERIES = frozenset({P.READ_OWN_QUERIES, P.READ_ALL_QUERIES})
NO_KEY = (
    "Si ningún proveedor da datos: 422 proveedores_no_aplicables (permanente, sin Retry-After) "
    "si todos quedaron fuera por un motivo que reintentar no cambia (sin_clave, clave_invalida, "
    "fuera_de_cobertura, no_soportado, rango_no_soportado, rango_invalido), con el motivo de "
    "cada uno en detalles; 429 cuota_agotada si además solo faltó cuota (Retry-After hasta la "
    "medianoche de QUOTA_TIMEZONE); 502 sin_datos (transitorio, con Retry-After) si alguno "
    "falló por un error o un plazo vencido. 429 demasiadas_consultas pasadas "
    "QUERIES_PER_MINUTE consultas en un minuto (Retry-After hasta el minuto siguiente)."
)
RUN = frozenset({P.RUN_QUERY})
# What every route that runs a weather query shares: who, 201, its errors, quota 429s.
RUNS = dict(permission=RUN, ok=201, errors={404, 422, 429, 502}, quota=True)
FILE = {
    "description": "El archivo, en UTF-8, enviado por partes.",
    "headers": {
        "Content-Disposition": {
            "description": "attachment; filename=consulta_<id>.<extensión>",
            "schema": {"type": "string"},
        }
    },
    "content": {
        "application/json": {"schema": {"type": "object"}},
        "text/csv": {"schema": {"type": "string"}},
        "text/plain": {"schema": {"type": "string"}},
        "application/yaml": {"schema": {"type": "object"}},
    },
}
ASSET = {
    "description": "El archivo.",
    "content": {t: {} for t in ("text/css", "text/javascript", "image/png")},
}
HEALTH_DOWN = {"description": "La base de datos no responde.", "schema": o.Health}
_register = dict(
    resource=auth.RegisterResource,
    permission=PUBLIC,
    response=o.Session,
    ok=201,
    body=i.Registration,
    errors={409, 429},
    description="Limitado por dirección (REGISTER_MAX_PER_ADDRESS por hora): después, 429.",
)

ROUTES: tuple[Route, ...] = (
    *tagged(
        "servicio",
        Route(
            "/api/health",
            "GET",
            health.HealthResource,
            PUBLIC,
            "Estado del servicio",
            o.Health,
            database=False,
            extra={503: HEALTH_DOWN},
        ),
        Route(
            "/api/openapi.json",
            "GET",
            docs.OpenApiResource,
            PUBLIC,
            "Este documento OpenAPI 3.1",
            {"description": "El documento.", "content": {"application/json": {}}},
            database=False,
            docs=True,
        ),
        Route(
            "/api/docs",
            "GET",
            docs.DocsPageResource,
            PUBLIC,
            "Documentación interactiva (Swagger UI)",
            {"description": "La página.", "content": {"text/html": {"schema": {"type": "string"}}}},
            database=False,
            docs=True,
        ),
        Route(
            "/api/docs/{asset}",
            "GET",
            docs.DocsAssetResource,
            PUBLIC,
            "Archivos de la documentación interactiva",
            ASSET,
            database=False,
            docs=True,
            extra={304: {"description": "Sin cambios (If-None-Match con su ETag)."}},
            description="Solo los archivos de la lista; cualquier otro nombre es 404.",
        ),
    ),
    *tagged(
        AUTH,
        Route(
            "/api/auth/register",
            "POST",
            summary="Crear una cuenta (rol operario) e iniciar sesión",
            **_register,
        ),
        Route(
            "/api/usuarionuevo",
            "POST",
            summary="Alias de /api/auth/register",
            deprecated=True,
            **_register,
        ),
        Route(
            "/api/auth/login",
            "POST",
            auth.LoginResource,
            PUBLIC,
            "Iniciar sesión con username o email",
            o.Session,
            body=i.Login,
            errors={401, 429},
            description=(
                "429 tras 10 fallos en 15 min del par (cuenta, dirección), o desde una dirección "
                "que ya falló con una cuenta que suma 10; una dirección sin fallos recientes "
                "entra hasta que la cuenta suma 100 fallos en una hora; una dirección que falla "
                "con muchas cuentas se bloquea al llegar a LOGIN_ADDRESS_MAX_FAILURES."
            ),
        ),
        Route(
            "/api/auth/refresh",
            "POST",
            auth.RefreshResource,
            PUBLIC,
            "Cambiar un token de refresco por un par nuevo",
            o.Tokens,
            body=i.Refresh,
            errors={401},
            description="Reusar un token de refresco ya usado revoca toda su familia.",
        ),
        Route(
            "/api/auth/logout",
            "POST",
            auth.LogoutResource,
            ANY_USER,
            "Cerrar la sesión (revoca este token y su familia de refresco)",
            o.Message,
        ),
        Route(
            "/api/auth/me",
            "GET",
            auth.MeResource,
            frozenset({P.READ_OWN_ACCOUNT}),
            "Mi cuenta",
            o.AccountBody,
        ),
        Route(
            "/api/auth/me/password",
            "PATCH",
            acc.PasswordResource,
            frozenset({P.CHANGE_OWN_PASSWORD}),
            "Cambiar mi contraseña (cierra las demás sesiones)",
            o.Message,
            body=i.PasswordChange,
            errors={429},
        ),
        Route(
            "/api/auth/me/actividad",
            "GET",
            acc.MyActivityResource,
            frozenset({P.READ_OWN_ACTIVITY}),
            "Mi actividad",
            o.ActivityPage,
            params=q.ActivityFilters,
        ),
    ),
    *tagged(
        QUERIES,
        Route(
            "/api/consultas",
            "GET",
            queries.AllQueriesResource,
            frozenset({P.READ_ALL_QUERIES}),
            "Todas las consultas (admin: todas; consultor: las completadas)",
            o.QueryPage,
            params=q.AnyUserQueryFilters,
        ),
        Route(
            "/api/consultas/tiempo-real",
            "POST",
            queries.CurrentQueriesResource,
            summary="Consultar el tiempo actual: consenso de todos los proveedores",
            response=r.CurrentResult,
            body=i.CurrentQuery,
            **RUNS,
            description=NO_KEY
            + " 404 ciudad_no_encontrada si la geocodificación no halla la ciudad.",
        ),
        Route(
            "/api/consultas/historico",
            "POST",
            queries.HistoryQueriesResource,
            summary="Consultar un rango histórico diario u horario",
            response=r.HistoryResult,
            body=i.HistoryQuery,
            **RUNS,
            description=NO_KEY + " El rango tiene un máximo de días según la granularidad.",
        ),
        Route(
            "/api/consultas/pronostico",
            "POST",
            queries.ForecastQueriesResource,
            summary="Pronóstico de hasta 16 días, horario o diario: consenso por paso",
            response=r.ForecastResult,
            body=i.ForecastQuery,
            **RUNS,
            description=NO_KEY
            + " Cada proveedor dentro de su horizonte (Open-Meteo 16 días, OpenWeatherMap 48 h "
            "u 8 días, Meteoblue 7 días, Meteosource según su plan); pasado él figura como "
            "fuera_de_horizonte en descartadas. IDEAM y SIATA no pronostican: estado omitido.",
        ),
        Route(
            "/api/consultas/mis-consultas",
            "GET",
            queries.MyQueriesResource,
            frozenset({P.READ_OWN_QUERIES}),
            "Mis consultas",
            o.QueryPage,
            params=q.QueryFilters,
        ),
        Route(
            "/api/consultas/{query_id:id}",
            "GET",
            queries.QueryResource,
            OWN_QUERIES,
            "Una consulta guardada y su resultado",
            r.StoredQuery,
        ),
        Route(
            "/api/consultas/{query_id:id}/descargar",
            "GET",
            DownloadResource,
            OWN_QUERIES,
            "Descargar una consulta completada en json, csv, txt o yaml",
            FILE,
            params=q.DownloadOptions,
            errors={409},
            description="409 consulta_no_completada si la consulta no terminó bien.",
        ),
    ),
    *ACCOUNT_ROUTES,
    *CONSOLE_ROUTES,
)
