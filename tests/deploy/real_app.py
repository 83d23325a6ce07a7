"""nginx (the shipped site) → gunicorn (deploy/gunicorn.conf.py) → ClimaGuru on SQLite.

Clients connect from their own loopback addresses (127.0.0.2, 127.0.0.3, ...), so nginx sees
a distinct `$remote_addr` per client, as it would for two users on the internet, while it
reaches gunicorn from 127.0.0.1, the app's only trusted proxy.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from climaguru.migrations import upgrade
from tests.deploy.nginx_harness import HOST, NginxPrefix
from tests.e2e.harness import Gunicorn, app_env


class _FromAddress(HTTPAdapter):
    """Connections leave from one loopback source address."""

    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self._address, 0)
        super().init_poolmanager(*args, **kwargs)


@dataclass
class Stack:
    """The running trio; `client(address)` is a verifying HTTPS session from that address."""

    prefix: NginxPrefix
    nginx: subprocess.Popen
    app: Gunicorn

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.prefix.https_port}"

    def client(self, address: str) -> requests.Session:
        session = requests.Session()
        session.verify = str(self.prefix.cert)
        session.trust_env = False  # no proxies from the environment
        session.headers["Host"] = HOST
        session.mount("https://", _FromAddress(address))
        session.mount("http://", _FromAddress(address))
        return session

    def raw(
        self, request: bytes, address: str = "127.0.0.9"
    ) -> tuple[int, CaseInsensitiveDict, bytes]:
        """One hand-written HTTP/1.1 request over TLS (requests would normalise the path)."""
        context = ssl.create_default_context(cafile=str(self.prefix.cert))
        with (
            socket.create_connection(
                ("127.0.0.1", self.prefix.https_port), timeout=10, source_address=(address, 0)
            ) as plain,
            context.wrap_socket(plain, server_hostname=HOST) as sock,
        ):
            sock.sendall(request)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        return _parse(data)

    def direct(self, request: bytes) -> int:
        """The status gunicorn itself answers a raw request with (no nginx in between)."""
        return self.direct_full(request)[0]

    def direct_full(self, request: bytes) -> tuple[int, CaseInsensitiveDict, bytes]:
        with socket.create_connection(("127.0.0.1", self.app.port), timeout=10) as sock:
            sock.sendall(request)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        return _parse(data)

    def app_paths(self) -> list[str]:
        """Paths gunicorn answered (its access log: what really reached the app).

        gunicorn writes a line after the response has gone out, so wait until the log has
        stopped growing for a moment (bounded): a count taken earlier could miss the last one.
        """
        paths, deadline = [hit.path for hit in self.app.access()], time.monotonic() + 3
        while time.monotonic() < deadline:
            time.sleep(0.15)
            again = [hit.path for hit in self.app.access()]
            if again == paths:
                break
            paths = again
        return paths

    def stop(self) -> str:
        self.nginx.terminate()
        self.nginx.wait(timeout=10)
        return self.app.stop()


def _parse(data: bytes) -> tuple[int, CaseInsensitiveDict, bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = CaseInsensitiveDict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def start_stack(nginx: str, root: Path) -> Stack:
    root.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{root / 'climaguru.db'}"
    upgrade(url)
    env = app_env(root, url, TRUSTED_PROXIES="127.0.0.1")
    app = Gunicorn(env, root, workers=1, threads=4).start()
    try:
        prefix = NginxPrefix(root / "nginx", app.port)
        return Stack(prefix, prefix.start(nginx), app)
    except BaseException:
        app.stop()
        raise


def request(method: str, path: str, headers: dict[str, str] | None = None) -> bytes:
    """A raw request with the path exactly as given; `Connection: close` ends the exchange."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    body = b'{"username": "nadie", "password": "no-es-esta-clave"}'
    lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
