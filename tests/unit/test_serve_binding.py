"""`climaguru serve`: the implicit development default never binds a network address."""

from __future__ import annotations

import os

import pytest

from climaguru import cli


@pytest.fixture
def served(monkeypatch, tmp_path) -> list[tuple[str, int, int]]:
    """Run `serve` in an empty directory with no CLIMAGURU_* set; record, never start gunicorn."""
    calls: list[tuple[str, int, int]] = []
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in [n for n in os.environ if n.startswith("CLIMAGURU_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("CLIMAGURU_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("climaguru.migrations.upgrade", lambda *a, **k: None)
    monkeypatch.setattr("climaguru.server.run_gunicorn", lambda *a: calls.append(a))
    return calls


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "servidor.interno", ""])
def test_implicit_development_refuses_a_non_loopback_address(served, capsys, host):
    assert cli.main(["serve", "--host", host]) == 2
    assert served == []
    assert "CLIMAGURU_ENV" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.1.1", "localhost", "::1"])
def test_implicit_development_serves_on_loopback(served, host):
    assert cli.main(["serve", "--host", host, "--port", "8123"]) == 0
    assert served == [(host, 8123, 1)]


@pytest.mark.parametrize("env", ["development", "testing"])
def test_an_explicit_environment_may_bind_every_interface(served, monkeypatch, env):
    monkeypatch.setenv("CLIMAGURU_ENV", env)
    assert cli.main(["serve", "--host", "0.0.0.0"]) == 0
    assert served == [("0.0.0.0", 8000, 1)]


def test_an_explicit_environment_in_the_env_file_counts(served, tmp_path):
    (tmp_path / ".env").write_text("CLIMAGURU_ENV=development\n")
    assert cli.main(["serve", "--host", "0.0.0.0"]) == 0
    assert len(served) == 1
