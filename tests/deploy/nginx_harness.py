"""A throwaway nginx prefix running deploy/nginx-climaguru.conf on loopback; an echo upstream."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import re
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx-climaguru.conf"
HOST = "api.example.org"  # the site's server_name; only ever a Host header, never resolved


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the site's host name and 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(HOST), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _sub(text: str, pattern: str, repl: str, count: int) -> str:
    """re.sub that insists on `count` matches, so a reshaped site file fails loudly here."""
    new, n = re.subn(pattern, repl, text, flags=re.MULTILINE)
    assert n == count, f"{pattern!r} matched {n} times in {SITE.name}, expected {count}"
    return new


@dataclass
class NginxPrefix:
    """The site file with only ports, certificate and log paths rewritten, plus a nginx.conf."""

    root: Path
    upstream_port: int
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        for sub in ("logs", "tmp", "certs"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.cert, key = write_certificate(self.root / "certs")
        site = SITE.read_text()
        site = _sub(site, r"^\s*listen \[::\]:\d+.*;\n", "", 2)
        site = _sub(site, r"^(\s*)listen 80;", f"\\1listen 127.0.0.1:{self.http_port};", 1)
        site = _sub(site, r"^(\s*)listen 443 ssl", f"\\1listen 127.0.0.1:{self.https_port} ssl", 1)
        site = _sub(site, r"ssl_certificate\s+\S+;", f"ssl_certificate {self.cert};", 1)
        site = _sub(site, r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", 1)
        site = _sub(site, r"/var/log/nginx/", f"{self.root}/logs/", 3)
        site = _sub(
            site, r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{self.upstream_port};", 1
        )
        (self.root / "site.conf").write_text(site)
        tmp = self.root / "tmp"
        mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").is_file() else ""
        user = "user root;" if os.geteuid() == 0 else ""  # workers may enter the 0700 tmp_path
        self.conf = self.root / "nginx.conf"
        self.conf.write_text(
            f"""{user}
daemon off;
worker_processes 1;
pid {self.root}/nginx.pid;
error_log {self.root}/logs/error.log warn;
events {{ worker_connections 128; }}
http {{
    {mime}
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {self.root}/site.conf;
}}
"""
        )

    def command(self, nginx: str, *extra: str) -> list[str]:
        return [nginx, "-p", str(self.root), "-c", str(self.conf), *extra]

    def start(self, nginx: str) -> subprocess.Popen:
        proc = subprocess.Popen(
            self.command(nginx), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {proc.stderr.read()}")
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=0.2).close()
                return proc
            except OSError:
                time.sleep(0.05)
        proc.kill()
        raise RuntimeError("nginx did not listen within 10 s")


class EchoUpstream:
    """A loopback HTTP server standing in for gunicorn: records what nginx forwarded."""

    def __init__(self) -> None:
        self.seen: list[dict] = []
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def _echo(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                record = {"path": self.path, "headers": dict(self.headers), "bytes": length}
                seen.append(record)
                data = json.dumps(record).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _echo

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)

    def paths(self) -> list[str]:
        return [r["path"] for r in self.seen]
