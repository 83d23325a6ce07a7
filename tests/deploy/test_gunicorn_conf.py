"""deploy/gunicorn.conf.py: values derived from the environment, and the refusals."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest
from gunicorn.config import Config

from climaguru.settings import SettingsError, load_settings
from tests.conftest import app_env

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
KNOBS = ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT",
         "GUNICORN_ACCESSLOG", "QUERY_DEADLINE", "PROVIDER_TIMEOUT", "TRUSTED_PROXIES",
         "LOG_LEVEL", "RUNTIME_DIRECTORY", "GUNICORN_MAX_REQUESTS")  # fmt: skip


@pytest.fixture
def load(monkeypatch, tmp_path):
    """Load the conf file the way gunicorn does, in an empty directory, with only `env` set."""
    monkeypatch.chdir(tmp_path)
    for name in KNOBS:
        monkeypatch.delenv(name, raising=False)

    def _load(**env: str) -> dict:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONF))

    return _load


def test_defaults_are_gthread_sized_for_the_fan_out_and_accepted_by_gunicorn(load):
    conf = load()
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["worker_class"] == "gthread"
    # One process per CPU, 2 to 6: more only preempt each other (p99, issue 15).
    assert conf["workers"] == max(2, min(len(os.sched_getaffinity(0)), 6))
    assert conf["threads"] == 4  # measured: issue 15, deploy/gunicorn.conf.py
    assert conf["worker_connections"] == 8  # no worker takes every keep-alive client
    assert conf["timeout"] == 30 > 20  # above the default QUERY_DEADLINE
    assert conf["graceful_timeout"] == conf["timeout"]
    assert conf["accesslog"] is None  # the app writes the per-request JSON line itself
    assert conf["errorlog"] == "-"
    assert (conf["limit_request_line"], conf["limit_request_fields"]) == (8190, 100)
    assert conf["limit_request_field_size"] == 8200  # nginx's 8190 + CRLF + the space it adds
    assert conf["preload_app"] is False
    # Recycled rarely: a worker boot costs ~0.9 s of CPU (bench/README.md, load).
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (1_000_000, 100_000)
    assert conf["control_socket_disable"] is True  # no shared ~/.gunicorn/gunicorn.ctl
    cfg = Config()
    for name, value in conf.items():
        if name in cfg.settings:
            cfg.set(name, value)  # gunicorn's own validators
    assert cfg.worker_class_str == "gthread"
    assert cfg.limit_request_line == 8190
    assert cfg.threads == 4


def test_environment_overrides(load):
    conf = load(
        GUNICORN_BIND="127.0.0.1:9123",
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="16",
        GUNICORN_TIMEOUT="45",
        QUERY_DEADLINE="40",
        TRUSTED_PROXIES="10.0.0.10, 127.0.0.1",
        LOG_LEVEL="WARNING",
        RUNTIME_DIRECTORY="/run/climaguru",
        GUNICORN_MAX_REQUESTS="0",
    )
    assert conf["bind"] == "127.0.0.1:9123"
    assert (conf["workers"], conf["threads"], conf["timeout"]) == (3, 16, 45)
    assert conf["worker_connections"] == 32
    assert conf["forwarded_allow_ips"] == "10.0.0.10,127.0.0.1"
    assert conf["loglevel"] == "warning"
    assert conf["control_socket"] == "/run/climaguru/gunicorn.ctl"
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (0, 0)  # never recycled
    assert "control_socket_disable" not in conf


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", None), ("0", None), ("off", None), ("1", "-"), ("true", "-"), ("-", "-"),
     ("/var/log/climaguru/access.log", "/var/log/climaguru/access.log")],
)  # fmt: skip
def test_access_log_only_on_request(load, value, expected):
    assert load(GUNICORN_ACCESSLOG=value)["accesslog"] == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GUNICORN_TIMEOUT": "20"}, "GUNICORN_TIMEOUT (20 s) must be greater than QUERY_DEADLINE"),
        ({"GUNICORN_TIMEOUT": "25", "QUERY_DEADLINE": "25"}, "must be greater than QUERY_DEADLINE"),
        ({"QUERY_DEADLINE": "31"}, "GUNICORN_TIMEOUT (30 s) must be greater"),
        ({"QUERY_DEADLINE": "soon"}, "QUERY_DEADLINE must be a number"),
        ({"GUNICORN_WORKERS": "many"}, "GUNICORN_WORKERS must be an integer"),
        ({"GUNICORN_THREADS": "0"}, "GUNICORN_THREADS must be between 1 and 64"),
        ({"GUNICORN_TIMEOUT": "2"}, "GUNICORN_TIMEOUT must be between 5 and 3600"),
    ],
)
def test_refuses_unsafe_values_loudly(load, env, message):
    with pytest.raises(SystemExit) as exc:
        load(**env)
    assert message in str(exc.value)


def test_reads_dotenv_like_the_app_and_agrees_with_its_settings(load, tmp_path):
    """A deadline in .env counts here as in the app: both refuse it, neither alone."""
    (tmp_path / ".env").write_text("QUERY_DEADLINE=35\n")
    with pytest.raises(SystemExit, match="QUERY_DEADLINE"):
        load()
    with pytest.raises(SettingsError, match="GUNICORN_TIMEOUT"):
        load_settings(app_env(), env_file=tmp_path / ".env")
    conf = load(GUNICORN_TIMEOUT="40")  # the environment wins over .env, for both
    assert conf["timeout"] == 40
    settings = load_settings(app_env(GUNICORN_TIMEOUT="40"), env_file=tmp_path / ".env")
    assert settings.providers.deadline == 35 < conf["timeout"]
