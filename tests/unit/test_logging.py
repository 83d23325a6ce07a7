"""Structured logs: one JSON line per request and per provider call, level from the settings."""

from __future__ import annotations

import json
import logging
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from falcon import testing

from adapters.log_context import safe_traceback
from climaguru.app import create_app
from climaguru.container import use_memory
from climaguru.logging_setup import TextFormatter, configure_logging
from climaguru.settings import SettingsError, load_settings
from domain.use_cases.get_current_user import GetCurrentUser
from tests.conftest import app_env, container_of
from tests.unit.http.helpers import bearer, register

OWM = Path(__file__).parents[1] / "fixtures" / "provider-samples" / "openweathermap"
KEY = "owm-CLAVE-DEL-SISTEMA-5e4d"
REQUEST_FIELDS = {"ts", "level", "logger", "event", "request_id", "user_id", "method", "route",
                  "status", "latency_ms", "client_ip"}  # fmt: skip
PROVIDER_FIELDS = {"ts", "level", "logger", "event", "request_id", "provider", "path", "status",
                   "reason", "latency_ms", "from_cache"}  # fmt: skip


@pytest.fixture
def logs(capsys):
    """configure_logging(level) as the app does; returns a reader of the JSON lines on stderr."""
    root = logging.getLogger()
    saved = root.level, list(root.handlers)

    def read() -> list[dict]:
        lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
        parsed = [json.loads(line) for line in lines]  # every line is one JSON document
        # werkzeug is the fake upstream's own access log (another machine in real life).
        return [line for line in parsed if line["logger"] != "werkzeug"]

    read.configure = lambda level="INFO": configure_logging(level, "json")  # type: ignore[attr-defined]
    read.configure()  # type: ignore[attr-defined]
    yield read
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]


def _requests(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["event"] == "peticion"]


def test_each_request_is_one_json_line_with_the_promised_fields(client, logs):
    session = register(client, "registrada")
    client.simulate_get("/api/auth/me", headers={**bearer(session["access_token"])})
    lines = logs()
    requests = _requests(lines)
    assert len(requests) == 2
    for line in requests:
        assert set(line) == REQUEST_FIELDS
        stamp = datetime.fromisoformat(line["ts"])
        assert line["ts"].endswith("Z") and stamp.utcoffset() == UTC.utcoffset(None)
        assert abs((datetime.now(UTC) - stamp).total_seconds()) < 60
        assert (line["level"], line["logger"]) == ("INFO", "climaguru.http")
        assert isinstance(line["status"], int) and isinstance(line["latency_ms"], float)
        assert len(line["request_id"]) == 32 and line["client_ip"]
    register_line, me_line = requests
    assert (register_line["method"], register_line["route"], register_line["status"]) == (
        "POST", "/api/auth/register", 201,
    )  # fmt: skip
    assert register_line["user_id"] is None  # nobody was authenticated yet
    assert me_line["user_id"] == session["usuario"]["id"]
    assert (me_line["route"], me_line["status"]) == ("/api/auth/me", 200)


def test_the_route_is_the_template_never_the_raw_path_or_query_string(client, logs):
    auth = bearer(register(client, "curiosa")["access_token"])
    result = client.simulate_get(
        "/api/consultas/987654/descargar",
        query_string="formato=csv&token=NO-DEBE-APARECER",
        headers={**auth, "X-Request-ID": "rid-plantilla"},
    )
    assert result.status_code == 404
    client.simulate_get("/api/no-existe/987654")
    lines = _requests(logs())
    download = next(line for line in lines if line["request_id"] == "rid-plantilla")
    assert download["route"] == "/api/consultas/{query_id:id}/descargar"
    assert download["status"] == 404 and download["user_id"] is not None
    assert lines[-1]["route"] is None and lines[-1]["status"] == 404  # no route: no path either
    text = json.dumps(lines)
    assert "987654" not in text and "NO-DEBE-APARECER" not in text


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def owm_client(tmp_path, httpserver):
    """The real OpenWeatherMap adapter (system key) over a loopback server, memory storage."""

    def build(origin: str) -> testing.TestClient:
        env = app_env(
            CLIMAGURU_DATA_DIR=str(tmp_path),
            OPENWEATHER_BASE_URL=origin,
            OPENWEATHER_API_KEY=KEY,
            PROVIDERS_ENABLED="openweathermap",
            PROVIDER_CACHE="memory",
            PROVIDER_TIMEOUT="1",
            QUERY_DEADLINE="2",
        )
        container = container_of(env)
        use_memory(container)
        return testing.TestClient(create_app(container))

    return build


def _query(client, auth, rid: str):
    return client.simulate_post(
        "/api/consultas/tiempo-real",
        json={"latitud": 44.34, "longitud": 10.99, "parametros": ["temperatura"]},
        headers={**auth, "X-Request-ID": rid},
    )


def test_provider_calls_carry_the_request_id_of_their_request(owm_client, httpserver, logs, caplog):
    httpserver.expect_request("/data/2.5/weather").respond_with_data(
        (OWM / "current-2.5-zocca-docs-example.json").read_bytes(), content_type="application/json"
    )
    client = owm_client(httpserver.url_for("").rstrip("/"))
    auth = bearer(register(client, "consultora")["access_token"])
    caplog.set_level("INFO", logger="climaguru.providers")
    assert _query(client, auth, "rid-primera").status_code == 201
    assert _query(client, auth, "rid-segunda").status_code == 201  # answered from the cache
    lines = logs()
    calls = [line for line in lines if line["event"] == "llamada_proveedor"]
    assert [c["request_id"] for c in calls] == ["rid-primera", "rid-segunda"]
    for call in calls:
        assert set(call) == PROVIDER_FIELDS
        assert (call["provider"], call["path"], call["status"]) == (
            "openweathermap", "/data/2.5/weather", 200,
        )  # fmt: skip
        assert call["reason"] is None and isinstance(call["latency_ms"], float)
    assert [c["from_cache"] for c in calls] == [False, True]
    # The calls ran on the fan-out's pool threads: the id travelled there by contextvars.
    threads = [r.threadName for r in caplog.records if r.getMessage() == "llamada_proveedor"]
    assert threads and all(name.startswith("proveedor") for name in threads)
    assert KEY not in json.dumps(lines)
    requests = _requests(lines)
    assert [r["request_id"] for r in requests[-2:]] == ["rid-primera", "rid-segunda"]


def test_a_failed_provider_call_logs_its_reason_and_no_url(owm_client, logs):
    client = owm_client(f"http://127.0.0.1:{_closed_port()}")
    auth = bearer(register(client, "sin_red")["access_token"])
    assert _query(client, auth, "rid-caida").status_code == 502
    lines = logs()
    (call,) = [line for line in lines if line["event"] == "llamada_proveedor"]
    assert (call["request_id"], call["status"], call["reason"]) == ("rid-caida", None, "conexion")
    text = json.dumps(lines)
    assert KEY not in text and "appid" not in text and "http://" not in text


def test_warning_level_silences_request_lines_but_not_errors(client, logs, monkeypatch):
    logs.configure("WARNING")
    auth = bearer(register(client, "silenciosa")["access_token"])
    assert client.simulate_get("/api/auth/me", headers=auth).status_code == 200

    def boom(self, principal):
        raise RuntimeError("fallo de prueba")

    monkeypatch.setattr(GetCurrentUser, "__call__", boom)
    failed = client.simulate_get("/api/auth/me", headers={**auth, "X-Request-ID": "rid-500"})
    assert failed.status_code == 500
    lines = logs()
    assert _requests(lines) == []
    (error,) = lines
    assert (error["level"], error["event"], error["request_id"]) == (
        "ERROR", "error_no_controlado", "rid-500",
    )  # fmt: skip
    assert error["route"] == "/api/auth/me"
    assert "RuntimeError: fallo de prueba" in error["traceback"] and "boom" in error["traceback"]


def test_tracebacks_lose_sql_parameters_and_query_strings():
    try:
        try:
            raise ConnectionError("GET http://127.0.0.1:9/data/2.5/weather?lat=1&appid=CLAVE-1")
        except ConnectionError as cause:
            raise sa.exc.IntegrityError(
                "INSERT INTO api_keys (clave) VALUES (%s)", ("CLAVE-2",), cause
            ) from cause
    except sa.exc.IntegrityError as exc:
        text = safe_traceback(exc)
    assert "IntegrityError" in text and "INSERT INTO api_keys" in text
    assert "/data/2.5/weather?<oculto>" in text and "ConnectionError" in text
    assert "CLAVE-1" not in text and "CLAVE-2" not in text


def test_log_format_defaults_to_json_except_in_development(tmp_path):
    def fmt(**extra: str) -> str:
        base = app_env(CLIMAGURU_DATA_DIR=str(tmp_path))
        return load_settings({**base, **extra}, env_file=None).log_format

    assert fmt() == "json"
    assert fmt(CLIMAGURU_ENV="development") == "text"
    assert fmt(CLIMAGURU_ENV="development", LOG_FORMAT="JSON") == "json"
    assert fmt(LOG_FORMAT="text") == "text"
    with pytest.raises(SettingsError, match="LOG_FORMAT"):
        fmt(LOG_FORMAT="xml")


def test_text_format_carries_the_same_fields():
    record = logging.LogRecord("climaguru.http", logging.INFO, __file__, 1, "peticion", (), None)
    record.fields = {"request_id": "r1", "route": "/api/auth/me", "status": 200}
    line = TextFormatter().format(record)
    assert line.endswith("INFO climaguru.http peticion request_id=r1 route=/api/auth/me status=200")
