"""schemathesis over /api/openapi.json against the in-process app: every operation, positive and
negative data, authenticated. No 5xx; responses match their schema, status and content type;
data that breaks the schema is refused with a 4xx.

Open-Meteo (forecast, archive, geocoding) is a real HTTP server on 127.0.0.1 serving the stored
sample payloads, so a valid query completes (201) instead of failing over to 502.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import schemathesis
from falcon import testing
from hypothesis import HealthCheck, settings
from pytest_httpserver import HTTPServer
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug import Request, Response

from adapters.http.openapi import build_document
from adapters.http.route import openapi_path
from adapters.http.routes import ROUTES
from climaguru.app import create_app
from climaguru.container import Container
from climaguru.migrations import upgrade
from climaguru.settings import load_settings
from domain.model.permissions import POLICY
from domain.model.users import Role
from domain.use_cases.register_user import RegisterUserCommand
from tests.conftest import app_env

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "provider-samples"
UPSTREAM = {
    "/v1/search": "open-meteo/frenck-geocoding-enschede.json",
    "/v1/forecast": "open-meteo/public-forecast-current-meteofrance-kmh.json",
    "/data/2.5/weather": "openweathermap/current-2.5-zocca-docs-example.json",
}
ARCHIVE = "open-meteo/frenck-archive-historical_weather.json"
# Open-Meteo answers every query; OpenWeatherMap (no system key: asked only with a key the
# fuzzer stored) gives the api-key operations real keys to read, change, probe and delete.
PROVIDERS = ["open_meteo", "openweathermap"]
KEYED = ["openweathermap"]
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    negative_data_rejection,
]
MAX_EXAMPLES = 25  # per operation; the whole run stays around a minute on two cores

schema = schemathesis.openapi.from_dict(build_document(65536, PROVIDERS, KEYED))
# Unknown query parameters are ignored, as most HTTP APIs do (proxies and links add some);
# the bearer token is set by the test, so schemathesis does not generate or drop it.
schema.config.generation.update(
    max_examples=MAX_EXAMPLES,
    deterministic=True,
    allow_extra_parameters=False,
    with_security_parameters=False,
)


class Api:
    """The app over a migrated SQLite file, an operario and an admin made by the use cases."""

    def __init__(self, tmp: Path, upstream: HTTPServer, **extra: str) -> None:
        url = f"sqlite:///{tmp / 'fuzz.db'}"
        upgrade(url)
        origin = upstream.url_for("").rstrip("/")
        env = app_env(
            DATABASE_URL=url,
            CLIMAGURU_DATA_DIR=str(tmp),
            PROVIDERS_ENABLED=",".join(PROVIDERS),
            OPENWEATHER_BASE_URL=origin,
            OPENMETEO_FORECAST_URL=origin,
            OPENMETEO_ARCHIVE_URL=origin,
            OPENMETEO_GEOCODING_URL=origin,
            PROVIDER_CACHE="memory",
            PROVIDER_TIMEOUT="2",
            QUERY_DEADLINE="4",
            **extra,
        )
        self.env = env  # what a `climaguru serve` over the same database runs with
        self.container = Container(settings=load_settings(env, env_file=None))
        self.app = create_app(self.container)
        register = self.container.register_user()
        self.users = {}
        for role in (Role.OPERATOR, Role.ADMIN):
            command = RegisterUserCommand(
                f"fuzz_{role.value}", f"fuzz_{role.value}@ejemplo.co", secrets.token_urlsafe(16)
            )
            session = register(command, role=role, sign_in=False)
            self.users[role] = session.user.id

    def token(self, role: Role) -> str:
        """A fresh access token; the fuzzer may have deactivated, demoted or logged it out."""
        with self.container.uow() as uow:
            user = uow.users.get(self.users[role], for_update=True)
            user.active, user.role, user.tokens_valid_after = True, role, None
            uow.users.update(user)
            uow.login_attempts.clear(f"cuenta:{user.id}")
            pair = self.container.token_issuer().new_family(uow, user.id)
            uow.commit()
        return pair.access_token


@pytest.fixture(scope="module")
def api(tmp_path_factory) -> Api:
    upstream = HTTPServer(host="127.0.0.1", port=0)
    for path, sample in UPSTREAM.items():
        upstream.expect_request(path).respond_with_data(
            (SAMPLES / sample).read_bytes(), content_type="application/json"
        )
    upstream.expect_request("/v1/archive").respond_with_handler(_archive)
    upstream.start()
    try:
        yield Api(tmp_path_factory.mktemp("fuzz"), upstream)
    finally:
        upstream.stop()


def _archive(request: Request) -> Response:
    """The real archive payload, its values repeated over the asked days (it holds only two)."""
    payload = json.loads((SAMPLES / ARCHIVE).read_bytes())
    start = date.fromisoformat(request.args["start_date"])
    end = date.fromisoformat(request.args["end_date"])
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    zone = ZoneInfo(request.args.get("timezone", "UTC"))
    offset = zone.utcoffset(datetime.combine(start, time(12)))
    payload["timezone"] = request.args.get("timezone", "UTC")
    payload["utc_offset_seconds"] = int(offset.total_seconds()) if offset else 0
    stamps = {
        "daily": [d.isoformat() for d in days],
        "hourly": [f"{d.isoformat()}T{h:02d}:00" for d in days for h in range(24)],
    }
    for block, times in stamps.items():
        values = payload[block]
        payload[block] = {
            key: times if key == "time" else [series[i % len(series)] for i in range(len(times))]
            for key, series in values.items()
        }
    return Response(json.dumps(payload), content_type="application/json")


def _role_for(path: str, method: str) -> Role | None:
    route = next(r for r in ROUTES if r.method == method and openapi_path(r.path) == path)
    if route.public:
        return None
    return Role.OPERATOR if route.permission & POLICY[Role.OPERATOR] else Role.ADMIN


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_keeps_its_documented_promises(case, api):
    role = _role_for(case.operation.path, case.operation.method.upper())
    headers = {"Authorization": f"Bearer {api.token(role)}"} if role else {}
    case.call_and_validate(app=api.app, headers=headers, checks=CHECKS)


def test_the_fuzzed_document_is_the_one_the_app_serves(api):
    served = testing.TestClient(api.app).simulate_get("/api/openapi.json").json
    assert served == schema.raw_schema


def test_every_operation_is_fuzzed():
    found = (result.ok() for result in schema.get_all_operations())
    operations = {(op.path, op.method.upper()) for op in found}
    assert operations == {(openapi_path(r.path), r.method) for r in ROUTES}
