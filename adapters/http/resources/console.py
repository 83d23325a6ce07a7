"""GET /consola and its files: the web console, served by ClimaGuru itself (as /api/docs is)."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import falcon

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


class _Files:
    """Files read on first use and kept with their ETag (sha-256 of the bytes)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[bytes, str]] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> tuple[bytes, str]:
        with self._lock:
            if name not in self._cache:
                data = (CONSOLE / name).read_bytes()
                self._cache[name] = (data, hashlib.sha256(data).hexdigest()[:32])
            return self._cache[name]


def _send(req: falcon.Request, resp: falcon.Response, data: bytes, tag: str, kind: str) -> None:
    """Revalidated on every use (no-cache + ETag): after an upgrade no stale module lingers."""
    resp.etag = tag
    resp.cache_control = ["no-cache"]
    resp.set_header("X-Content-Type-Options", "nosniff")
    resp.set_header("Referrer-Policy", "no-referrer")
    if req.if_none_match and any(t == tag or t == "*" for t in req.if_none_match):
        resp.status = falcon.HTTP_304
        return
    resp.content_type = kind
    resp.data = data


class ConsolePageResource:
    """The one HTML page of the console; its CSP forbids inline code and other origins."""

    public = True

    def __init__(self) -> None:
        self._files = _Files()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        data, tag = self._files.get("index.html")
        resp.set_header("Content-Security-Policy", CSP)
        resp.set_header("X-Frame-Options", "DENY")
        resp.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        _send(req, resp, data, tag, falcon.MEDIA_HTML)


class ConsoleAssetResource:
    """One file of the allow-list."""

    public = True

    def __init__(self) -> None:
        self._files = _Files()

    def on_get(self, req: falcon.Request, resp: falcon.Response, asset: str) -> None:
        if asset not in ASSETS:
            raise falcon.HTTPNotFound()
        data, tag = self._files.get(asset)
        _send(req, resp, data, tag, ASSETS[asset])
