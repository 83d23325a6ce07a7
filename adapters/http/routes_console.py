"""The web console's rows of the route table: its page and its files, public, routed only
while CONSOLE is on. The console is a client of the API; these rows only serve its files."""

from __future__ import annotations

from adapters.http.resources import console
from adapters.http.route import PUBLIC, Route, tagged

FILE = {
    "description": "El archivo.",
    "content": {t: {} for t in ("text/javascript", "text/css", "image/svg+xml")},
}
UNCHANGED = {304: {"description": "Sin cambios (If-None-Match con su ETag)."}}

CONSOLE_ROUTES: tuple[Route, ...] = tagged(
    "consola",
    Route(
        "/consola",
        "GET",
        console.ConsolePageResource,
        PUBLIC,
        "Consola web (páginas en español sobre esta misma API)",
        {"description": "La página.", "content": {"text/html": {"schema": {"type": "string"}}}},
        database=False,
        console=True,
        extra=UNCHANGED,
    ),
    Route(
        "/consola/{asset}",
        "GET",
        console.ConsoleAssetResource,
        PUBLIC,
        "Archivos de la consola web (módulos, estilos, la biblioteca de gráficas)",
        FILE,
        database=False,
        console=True,
        extra=UNCHANGED,
        description="Solo los archivos de la lista; cualquier otro nombre es 404.",
    ),
)
