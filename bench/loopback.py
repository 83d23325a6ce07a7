"""A fake upstream served in the benchmark's own process, on a free loopback port."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LoopbackServer:
    """`handler` on 127.0.0.1 in a daemon thread; `origin` goes to the app settings. Serves
    from `with` until its end."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], daemon_threads: bool = False) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = daemon_threads
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
