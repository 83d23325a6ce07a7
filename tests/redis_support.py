"""Test support for the shared Redis cache: a unique namespace per test, its keys deleted after."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import pytest
import redis

from tests.conftest import IN_CI

REDIS_URL = os.environ.get("CLIMAGURU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def namespace_keys(client: redis.Redis, namespace: str) -> list[bytes]:
    """Every key requests-cache writes for `namespace` (responses and the redirects hash)."""
    keys = list(client.scan_iter(match=f"{namespace}:*", count=500))
    return keys + [k for k in [f"{namespace}-redirects".encode()] if client.exists(k)]


def fresh_namespace() -> Iterator[tuple[str, str]]:
    """(redis URL, a namespace no other test uses); only that namespace is deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        if IN_CI:
            pytest.fail(f"Redis is mandatory in CI: {exc}")
        pytest.skip(f"Redis not available: {exc}")
    namespace = f"climaguru-test-{uuid.uuid4().hex[:12]}"
    yield REDIS_URL, namespace
    keys = namespace_keys(client, namespace)
    if keys:
        client.delete(*keys)
    client.close()


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
