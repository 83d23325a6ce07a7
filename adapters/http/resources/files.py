"""Static files of the API documentation and the web console: read once, sent with an ETag."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

import falcon


class FileCache:
    """Files read on first use and kept with their ETag (sha-256 of the bytes); `locate` says
    where the file of a name is."""

    def __init__(self, locate: Callable[[str], Path]) -> None:
        self._locate = locate
        self._cache: dict[str, tuple[bytes, str]] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> tuple[bytes, str]:
        with self._lock:
            if name not in self._cache:
                data = self._locate(name).read_bytes()
                self._cache[name] = (data, hashlib.sha256(data).hexdigest()[:32])
            return self._cache[name]


def hardened(resp: falcon.Response) -> None:
    resp.set_header("X-Content-Type-Options", "nosniff")
    resp.set_header("Referrer-Policy", "no-referrer")


def send_file(
    req: falcon.Request,
    resp: falcon.Response,
    file: tuple[bytes, str],
    kind: str,
    cache_control: list[str],
) -> None:
    """The file's bytes as `kind` with its ETag and `cache_control`; 304 without a body when
    the client already holds it (If-None-Match)."""
    data, tag = file
    resp.etag = tag
    resp.cache_control = cache_control
    hardened(resp)
    if req.if_none_match and any(t == tag or t == "*" for t in req.if_none_match):
        resp.status = falcon.HTTP_304
        return
    resp.content_type = kind
    resp.data = data
