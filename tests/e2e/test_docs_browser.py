"""Headless Chromium loads /api/docs from a real server on 127.0.0.1 and renders the document."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from climaguru.app import create_app
from tests.conftest import require_tool
from tests.e2e.cdp import FLAGS
from tests.e2e.loopback import serving


@pytest.fixture
def docs_url(container) -> Iterator[str]:
    with serving(create_app(container)) as base:
        yield f"{base}/api/docs"


def chromium(*args: str, profile) -> subprocess.CompletedProcess[str]:
    flags = [*FLAGS, f"--user-data-dir={profile}"]
    binary = require_tool("chromium")
    return subprocess.run(
        [binary, *flags, *args], capture_output=True, text=True, timeout=90, check=False
    )


def test_swagger_ui_renders_every_documented_path(docs_url, tmp_path):
    done = chromium("--virtual-time-budget=15000", "--dump-dom", docs_url, profile=tmp_path)
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    # These strings exist only once Swagger UI fetched /api/openapi.json and rendered it.
    assert "ClimaGuru API" in dom
    for path in ("/api/consultas/tiempo-real", "/api/auth/login", "/api/usuarios/{user_id}"):
        assert f'class="opblock-summary-path" data-path="{path}"' in dom, path
    assert "opblock-summary-path" in dom
    assert "Unable to render this definition" not in dom
    assert "Failed to load API definition" not in dom
