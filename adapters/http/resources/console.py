"""GET /consola and its files: the web console, served by ClimaGuru itself (as /api/docs is)."""

from __future__ import annotations

from pathlib import Path

import falcon

from adapters.http.resources.files import FileCache, send_file

CONSOLE = Path(__file__).resolve().parent.parent / "static" / "console"
JS = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"
# The only files /consola/{asset} serves: every module, stylesheet and the vendored chart
# library by name. Anything else (the licence, a source map, a path with dots) is 404.
ASSETS: dict[str, str] = {
    "app.js": JS,
    "api.js": JS,
    "dom.js": JS,
    "session.js": JS,
    "format.js": JS,
    "chart.js": JS,
    "forecast.js": JS,
    "view-forecast.js": JS,
    "view-auth.js": JS,
    "view-panel.js": JS,
    "view-query.js": JS,
    "view-result.js": JS,
    "view-queries.js": JS,
    "view-keys.js": JS,
    "view-favorites.js": JS,
    "view-admin.js": JS,
    "console.css": CSS,
    "controls.css": CSS,
    "results.css": CSS,
    "uPlot.esm.js": JS,
    "uPlot.min.css": CSS,
    "icon.svg": "image/svg+xml",
}
# Nothing inline, nothing from another origin: the API is this same origin (connect-src),
# downloads are blob: URLs made by the page itself.
CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


def _files() -> FileCache:
    return FileCache(lambda name: CONSOLE / name)


def _send(req: falcon.Request, resp: falcon.Response, file: tuple[bytes, str], kind: str) -> None:
    """Revalidated on every use (no-cache + ETag): after an upgrade no stale module lingers."""
    send_file(req, resp, file, kind, ["no-cache"])


class ConsolePageResource:
    """The one HTML page of the console; its CSP forbids inline code and other origins."""

    public = True

    def __init__(self) -> None:
        self._files = _files()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._files.get("index.html")
        resp.set_header("Content-Security-Policy", CSP)
        resp.set_header("X-Frame-Options", "DENY")
        resp.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        _send(req, resp, page, falcon.MEDIA_HTML)


class ConsoleAssetResource:
    """One file of the allow-list."""

    public = True

    def __init__(self) -> None:
        self._files = _files()

    def on_get(self, req: falcon.Request, resp: falcon.Response, asset: str) -> None:
        if asset not in ASSETS:
            raise falcon.HTTPNotFound()
        _send(req, resp, self._files.get(asset), ASSETS[asset])
