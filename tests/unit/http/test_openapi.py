"""The OpenAPI document: valid 3.1, in step with the route table, and the docs it feeds."""

from __future__ import annotations

import re
from secrets import token_urlsafe

import pytest
from cryptography.fernet import Fernet
from falcon import testing
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from adapters.http.converter import CONTROL
from adapters.http.route import openapi_path
from adapters.http.routes import ROUTES
from climaguru.app import create_app
from climaguru.container import Container, use_memory
from climaguru.settings import load_settings
from domain.errors import ValidationError
from domain.model.paging import parse_bool
from domain.model.users import EMAIL_RE
from tests.conftest import app_env
from tests.unit.http.helpers import PASSWORD, register


@pytest.fixture
def document(client) -> dict:
    result = client.simulate_get("/api/openapi.json")
    assert result.status_code == 200
    assert result.headers["Content-Type"].startswith("application/json")
    return result.json


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_route_table_and_document_describe_the_same_operations(document):
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    routed = {(openapi_path(route.path), route.method.lower()) for route in ROUTES}
    assert routed - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routed == set(), "documented operations that no route answers"


def test_every_policy_route_is_documented_with_matching_security(document):
    for route in ROUTES:
        operation = document["paths"][openapi_path(route.path)][route.method.lower()]
        where = (route.path, route.method)
        if route.public:
            assert operation["security"] == [], where
        else:
            assert "security" not in operation, where  # the global bearerAuth
            assert {"401", "403"} <= set(operation["responses"]), where
            headers = document["components"]["responses"]["NoAutenticado"]["headers"]
            assert "WWW-Authenticate" in headers
    assert document["security"] == [{"bearerAuth": []}]
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


def test_error_statuses_are_documented_where_the_code_returns_them(document):
    paths = document["paths"]
    for item in paths.values():
        for operation in item.values():
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= set(operation["responses"])
    assert "429" in paths["/api/auth/login"]["post"]["responses"]
    for kind in ("tiempo-real", "historico"):
        assert "502" in paths[f"/api/consultas/{kind}"]["post"]["responses"]
    limits = document["components"]["responses"]
    assert "Retry-After" in limits["DemasiadosIntentos"]["headers"]
    assert "Retry-After" in limits["SinDatos"]["headers"]
    download = paths["/api/consultas/{query_id}/descargar"]["get"]["responses"]["200"]
    assert set(download["content"]) == {
        "application/json",
        "text/csv",
        "text/plain",
        "application/yaml",
    }
    error = document["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"error", "message", "detalles", "request_id"}


LOGINS_ACCEPTED = [
    {"login": "ana_gomez"},
    {"username": "ana_gomez"},
    {"email": "ana_gomez@ejemplo.co"},
    {"username": "ana_gomez", "email": "otra@ejemplo.co"},  # the e-mail beside it is ignored
]
LOGINS_REFUSED = [
    {"login": "ana_gomez", "email": "ana_gomez@ejemplo.co"},
    {"login": "ana_gomez", "username": "ana_gomez"},
    {"email": "ana_gomez@ejemplo.co", "recordar": True},
]


def test_the_document_tells_a_permanent_422_from_a_retryable_502(document):
    components = document["components"]["responses"]
    for kind in ("tiempo-real", "historico"):
        answers = document["paths"][f"/api/consultas/{kind}"]["post"]["responses"]
        assert answers["422"] == {"$ref": "#/components/responses/ProveedoresNoAplicables"}
        assert answers["502"] == {"$ref": "#/components/responses/SinDatos"}
    permanent, passing = components["ProveedoresNoAplicables"], components["SinDatos"]
    assert "headers" not in permanent and "Retry-After" in passing["headers"]
    assert "no reintente" in permanent["description"]
    assert "fuera_de_cobertura" in permanent["description"]
    assert "reintente" in passing["description"]
    example = permanent["content"]["application/json"]["example"]
    assert example["error"] == "proveedores_no_aplicables"


@pytest.mark.parametrize("body", LOGINS_ACCEPTED + LOGINS_REFUSED)
def test_the_login_schema_accepts_exactly_what_the_app_accepts(client, document, body):
    register(client, "ana_gomez")
    schema = {"$ref": "#/components/schemas/Login", "components": document["components"]}
    valid = Draft202012Validator(schema).is_valid({**body, "password": PASSWORD})
    result = client.simulate_post("/api/auth/login", json={**body, "password": PASSWORD})
    assert valid == (body in LOGINS_ACCEPTED)
    assert result.status_code == (200 if valid else 400), result.json


TRICKY = [
    "ana@ejemplo.co",
    " ana@ejemplo.co\t",
    "ana\x1e@ejemplo.co",
    "\x1cana@ejemplo.co",
    "\ufeffana@ejemplo.co",
    "ana\xa0@ejemplo.co",
    "ana @ejemplo.co",
    "\u2003a@" + "b." * 48 + "co ",  # 100 characters once stripped
    "\u2003a@" + "b." * 49 + "co ",  # 102: refused
]
WORDS = ["true", " Sí ", "NO", "0", "quizas", "\x1c1", "\ufefftrue", "truee"]


@pytest.mark.parametrize("text", TRICKY)
def test_the_email_pattern_says_what_the_app_accepts(document, text):
    """Python's \\s (which strip() and EMAIL_RE use) is not ECMA's: the pattern spells it out;
    and the converter refuses control characters before the use case strips anything."""
    pattern = document["components"]["schemas"]["Registro"]["properties"]["email"]["pattern"]
    documented = Draft202012Validator({"type": "string", "pattern": pattern}).is_valid(text)
    stripped = text.strip()
    accepted = len(stripped) <= 100 and bool(EMAIL_RE.match(stripped))
    assert documented == (accepted and not CONTROL.search(text))


@pytest.mark.parametrize("text", WORDS)
def test_the_activo_filter_says_what_the_app_accepts(document, text):
    params = document["paths"]["/api/usuarios"]["get"]["parameters"]
    schema = next(p["schema"] for p in params if p["name"] == "activo")
    try:
        accepted = parse_bool(text, "activo") is not None
    except ValidationError:
        accepted = False
    assert Draft202012Validator(schema).is_valid(text) == accepted


def test_every_operation_has_an_example_of_what_it_takes_or_answers(document):
    """Examples live on the schemas' fields; every error body has an example code."""
    error = document["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["examples"]
    for name in ("Registro", "ConsultaTiempoReal", "Usuario", "Consenso", "NuevaCiudadFavorita"):
        fields = document["components"]["schemas"][name]["properties"].values()
        assert any("examples" in field for field in fields), name


def test_the_document_is_built_once_per_app(client):
    first = client.simulate_get("/api/openapi.json")
    second = client.simulate_get("/api/openapi.json")
    assert first.content == second.content and len(first.content) > 10_000


def test_docs_page_has_a_strict_csp_and_no_inline_script(client):
    result = client.simulate_get("/api/docs")
    assert result.status_code == 200
    assert result.headers["Content-Type"].startswith("text/html")
    csp = result.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert re.search(r"<script>\s*\S", result.text) is None  # every script has a src
    for src in re.findall(r'(?:src|href)="([^"]+)"', result.text):
        assert src.startswith("/api/docs/"), src  # nothing from outside this host


@pytest.mark.parametrize(
    ("asset", "kind"),
    [
        ("swagger-ui-bundle.js", "text/javascript"),
        ("swagger-ui.css", "text/css"),
        ("docs-init.js", "text/javascript"),
        ("favicon-32x32.png", "image/png"),
    ],
)
def test_assets_are_served_with_type_and_caching(client, asset, kind):
    result = client.simulate_get(f"/api/docs/{asset}")
    assert result.status_code == 200
    assert result.headers["Content-Type"].startswith(kind)
    assert "max-age=86400" in result.headers["Cache-Control"]
    assert result.headers["X-Content-Type-Options"] == "nosniff"
    again = client.simulate_get(
        f"/api/docs/{asset}", headers={"If-None-Match": result.headers["ETag"]}
    )
    assert again.status_code == 304 and again.content == b""


def test_swagger_ui_is_version_5_which_renders_openapi_3_1(client):
    bundle = client.simulate_get("/api/docs/swagger-ui-bundle.js").text
    version = re.search(r'PACKAGE_VERSION:"(\d+)\.\d+\.\d+"', bundle)
    assert version and int(version.group(1)) >= 5  # Swagger UI 4 cannot render OpenAPI 3.1


@pytest.mark.parametrize(
    "path",
    [
        "/api/docs/../../climaguru/settings.py",
        "/api/docs/..%2F..%2Fclimaguru%2Fsettings.py",
        "/api/docs/%2e%2e%2fsettings.py",
        "/api/docs/swagger-ui-bundle.js.map",
        "/api/docs/index.html",
        "/api/docs/oauth2-redirect.html",
    ],
)
def test_only_listed_assets_are_served(client, path):
    result = client.simulate_get(path)
    assert result.status_code == 404
    assert result.json["error"] == "no_encontrado"


def _client_for(tmp_path, **env) -> testing.TestClient:
    container = Container(
        settings=load_settings(app_env(CLIMAGURU_DATA_DIR=str(tmp_path), **env), env_file=None)
    )
    use_memory(container)
    return testing.TestClient(create_app(container))


@pytest.mark.parametrize("path", ["/api/docs", "/api/openapi.json", "/api/docs/swagger-ui.css"])
def test_docs_off_answers_404_json_like_any_unknown_route(tmp_path, path):
    client = _client_for(tmp_path, API_DOCS="false")
    result = client.simulate_get(path)
    assert result.status_code == 404
    assert result.json["error"] == "no_encontrado"


def test_docs_are_off_by_default_in_production_only(tmp_path):
    secrets = {
        "JWT_SECRET_KEY": token_urlsafe(48),  # production refuses low-entropy secrets
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DATABASE_URL": "sqlite://",
    }
    base = {k: v for k, v in app_env(CLIMAGURU_DATA_DIR=str(tmp_path), **secrets).items()}
    production = load_settings({**base, "CLIMAGURU_ENV": "production"}, env_file=None)
    assert production.api_docs is False
    forced = load_settings(
        {**base, "CLIMAGURU_ENV": "production", "API_DOCS": "true"}, env_file=None
    )
    assert forced.api_docs is True
    assert load_settings({**base, "CLIMAGURU_ENV": "development"}, env_file=None).api_docs is True
    assert load_settings(base, env_file=None).api_docs is True  # testing
