"""/consola: the page and its allow-listed files, their CSP and caching, and CONSOLE=false."""

from __future__ import annotations

import re

import pytest
from falcon import testing

from adapters.http.resources.console import ASSETS, CONSOLE
from climaguru.app import create_app
from climaguru.container import Container, use_memory
from climaguru.settings import SettingsError, load_settings
from tests.conftest import app_env


def _client(tmp_path, **env) -> testing.TestClient:
    container = Container(
        settings=load_settings(app_env(CLIMAGURU_DATA_DIR=str(tmp_path), **env), env_file=None)
    )
    use_memory(container)
    return testing.TestClient(create_app(container))


@pytest.fixture
def console(tmp_path) -> testing.TestClient:
    return _client(tmp_path)


@pytest.mark.parametrize("path", ["/consola", "/consola/"])
def test_page_has_a_strict_csp_and_only_same_origin_files(console, path):
    result = console.simulate_get(path)
    assert result.status_code == 200
    assert result.headers["Content-Type"].startswith("text/html")
    csp = result.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "style-src 'self'" in csp and "connect-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    assert result.headers["X-Frame-Options"] == "DENY"
    assert re.search(r"<script[^>]*>\s*[^<\s]", result.text) is None  # no inline script
    assert "<style" not in result.text and " style=" not in result.text
    for ref in re.findall(r'(?:src|href)="([^"#]+)"', result.text):
        assert ref.startswith("/consola/"), ref
        assert ref.removeprefix("/consola/") in ASSETS, ref  # every file it names is served


def test_every_module_import_is_a_listed_file(console):
    """A module imported by another must be on the allow-list, or the browser gets a 404."""
    for name in (n for n in ASSETS if n.endswith(".js")):
        text = (CONSOLE / name).read_text(encoding="utf-8")
        for target in re.findall(r"""(?:from|import)\s*\(?\s*["']\./([^"']+)["']""", text):
            assert target in ASSETS, f"{name} imports {target}"


def test_no_storage_of_tokens_anywhere_in_the_console():
    """Tokens stay in memory: no web storage, no cookie; and no markup built from text."""
    used = re.compile(
        r"\b(?:localStorage|sessionStorage|indexedDB|document\.cookie)\s*[.\[=]|\.innerHTML\s*="
    )
    for name in (n for n in ASSETS if n.endswith(".js") and not n.startswith("uPlot")):
        text = (CONSOLE / name).read_text(encoding="utf-8")
        assert used.search(text) is None, f"{name}: {used.search(text)}"


@pytest.mark.parametrize(
    ("asset", "kind"),
    [
        ("app.js", "text/javascript"),
        ("console.css", "text/css"),
        ("uPlot.esm.js", "text/javascript"),
    ],
)
def test_assets_have_type_etag_and_are_revalidated(console, asset, kind):
    result = console.simulate_get(f"/consola/{asset}")
    assert result.status_code == 200
    assert result.headers["Content-Type"].startswith(kind)
    assert result.headers["Cache-Control"] == "no-cache"
    assert result.headers["X-Content-Type-Options"] == "nosniff"
    again = console.simulate_get(
        f"/consola/{asset}", headers={"If-None-Match": result.headers["ETag"]}
    )
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/consola/../../climaguru/settings.py",
        "/consola/..%2F..%2Fclimaguru%2Fsettings.py",
        "/consola/index.html",
        "/consola/uPlot.LICENSE.txt",
        "/consola/uPlot.esm.js.map",
        "/consola/nada.js",
    ],
)
def test_only_listed_files_are_served(console, path):
    result = console.simulate_get(path)
    assert result.status_code == 404
    assert result.json["error"] == "no_encontrado"


@pytest.mark.parametrize("path", ["/consola", "/consola/app.js"])
def test_console_off_answers_404(tmp_path, path):
    result = _client(tmp_path, CONSOLE="false").simulate_get(path)
    assert result.status_code == 404
    assert result.json["error"] == "no_encontrado"


def test_console_setting_is_checked(tmp_path):
    with pytest.raises(SettingsError, match="CONSOLE"):
        load_settings(app_env(CLIMAGURU_DATA_DIR=str(tmp_path), CONSOLE="quizas"), env_file=None)


def test_the_vendored_chart_library_carries_its_licence():
    licence = (CONSOLE / "uPlot.LICENSE.txt").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Leon Sorokin" in licence
    assert "export { uPlot as default }" in (CONSOLE / "uPlot.esm.js").read_text(encoding="utf-8")
