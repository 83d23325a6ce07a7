"""Who may call each route: the table the role-matrix test holds the use cases to.

The checks themselves live in the use cases (domain.model.permissions); this table states the
expected outcome per route and method so a new route without a policy fails the test suite.
"""

from __future__ import annotations

from domain.model.permissions import Permission as P

PUBLIC = "publico"
ANY_USER = frozenset(P)  # any authenticated role (each has at least one permission here)

# (route template, method) → PUBLIC, or the permissions of which a role needs at least one.
ROUTE_POLICY: dict[tuple[str, str], str | frozenset[P]] = {
    ("/api/health", "GET"): PUBLIC,
    ("/api/auth/register", "POST"): PUBLIC,
    ("/api/usuarionuevo", "POST"): PUBLIC,
    ("/api/auth/login", "POST"): PUBLIC,
    ("/api/auth/refresh", "POST"): PUBLIC,
    ("/api/auth/logout", "POST"): ANY_USER,
    ("/api/auth/me", "GET"): frozenset({P.READ_OWN_ACCOUNT}),
    ("/api/auth/me/password", "PATCH"): frozenset({P.CHANGE_OWN_PASSWORD}),
    ("/api/auth/me/actividad", "GET"): frozenset({P.READ_OWN_ACTIVITY}),
    ("/api/consultas", "GET"): frozenset({P.READ_ALL_QUERIES}),
    ("/api/consultas/tiempo-real", "POST"): frozenset({P.RUN_QUERY}),
    ("/api/consultas/historico", "POST"): frozenset({P.RUN_QUERY}),
    ("/api/consultas/mis-consultas", "GET"): frozenset({P.READ_OWN_QUERIES}),
    ("/api/consultas/{query_id:id}", "GET"): frozenset({P.READ_OWN_QUERIES, P.READ_ALL_QUERIES}),
    ("/api/consultas/{query_id:id}/descargar", "GET"): frozenset(
        {P.READ_OWN_QUERIES, P.READ_ALL_QUERIES}
    ),
    ("/api/api-keys", "GET"): frozenset({P.MANAGE_OWN_API_KEYS}),
    ("/api/api-keys", "POST"): frozenset({P.MANAGE_OWN_API_KEYS}),
    ("/api/api-keys/{key_id:id}", "GET"): frozenset({P.MANAGE_OWN_API_KEYS}),
    ("/api/api-keys/{key_id:id}", "PATCH"): frozenset({P.MANAGE_OWN_API_KEYS}),
    ("/api/api-keys/{key_id:id}", "DELETE"): frozenset({P.MANAGE_OWN_API_KEYS}),
    ("/api/api-keys/{key_id:id}/probar", "POST"): frozenset({P.MANAGE_OWN_API_KEYS}),
    ("/api/ciudades-favoritas", "GET"): frozenset({P.MANAGE_OWN_FAVORITES}),
    ("/api/ciudades-favoritas", "POST"): frozenset({P.MANAGE_OWN_FAVORITES}),
    ("/api/ciudades-favoritas/{favorite_id:id}", "PATCH"): frozenset({P.MANAGE_OWN_FAVORITES}),
    ("/api/ciudades-favoritas/{favorite_id:id}", "DELETE"): frozenset({P.MANAGE_OWN_FAVORITES}),
    ("/api/usuarios", "GET"): frozenset({P.MANAGE_USERS}),
    ("/api/usuarios", "POST"): frozenset({P.MANAGE_USERS}),
    ("/api/usuarios/{user_id:id}", "GET"): frozenset({P.MANAGE_USERS}),
    ("/api/usuarios/{user_id:id}", "PATCH"): frozenset({P.MANAGE_USERS}),
    ("/api/usuarios/{user_id:id}", "DELETE"): frozenset({P.MANAGE_USERS}),
    ("/api/logs", "GET"): frozenset({P.READ_ALL_LOGS}),
    ("/api/reportes/estadisticas", "GET"): frozenset({P.READ_OWN_STATS, P.READ_GLOBAL_STATS}),
    # Only routed when settings.api_docs is on (off by default in production).
    ("/api/openapi.json", "GET"): PUBLIC,
    ("/api/docs", "GET"): PUBLIC,
    ("/api/docs/{asset}", "GET"): PUBLIC,
}
