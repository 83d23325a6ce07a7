"""GET /api/openapi.json, GET /api/docs and its assets: Swagger UI served by ClimaGuru itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import falcon
from swagger_ui_bundle import swagger_ui_path

from adapters.http.resources.files import FileCache, hardened, send_file

STATIC = Path(__file__).resolve().parent.parent / "static"
SWAGGER = Path(swagger_ui_path)
# The only files /api/docs/{asset} serves: name → (file, content type). Anything else is 404.
ASSETS: dict[str, tuple[Path, str]] = {
    "swagger-ui.css": (SWAGGER / "swagger-ui.css", "text/css; charset=utf-8"),
    "swagger-ui-bundle.js": (SWAGGER / "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "favicon-32x32.png": (SWAGGER / "favicon-32x32.png", "image/png"),
    "favicon-16x16.png": (SWAGGER / "favicon-16x16.png", "image/png"),
    "docs-init.js": (STATIC / "docs-init.js", "text/javascript; charset=utf-8"),
    "docs.css": (STATIC / "docs.css", "text/css; charset=utf-8"),
}
CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
PAGE = b"""<!DOCTYPE html>
<html lang="es">
<head>
  <meta charset="utf-8">
  <title>ClimaGuru API</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
  <link rel="stylesheet" href="/api/docs/docs.css">
  <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/docs-init.js"></script>
</body>
</html>
"""


class OpenApiResource:
    """The document, serialised once when the app is built."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._body = json.dumps(document, ensure_ascii=False).encode("utf-8")

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_JSON
        resp.cache_control = ["no-cache"]
        hardened(resp)
        resp.data = self._body


class DocsPageResource:
    """The Swagger UI page: no inline script or style, so its CSP allows only 'self'."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_HTML
        resp.cache_control = ["no-cache"]
        resp.set_header("Content-Security-Policy", CSP)
        resp.set_header("X-Frame-Options", "DENY")
        hardened(resp)
        resp.data = PAGE


class DocsAssetResource:
    """One file of the allow-list, read on first use, with an ETag and a day of caching."""

    def __init__(self) -> None:
        self._files = FileCache(lambda name: ASSETS[name][0])

    def on_get(self, req: falcon.Request, resp: falcon.Response, asset: str) -> None:
        if asset not in ASSETS:
            raise falcon.HTTPNotFound()
        file = self._files.get(asset)
        send_file(req, resp, file, ASSETS[asset][1], ["public", "max-age=86400"])
