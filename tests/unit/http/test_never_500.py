"""Whatever JSON a client sends to any write endpoint, the answer is a 4xx/2xx, never a 500."""

from __future__ import annotations

import json
import re

import pytest
from dependency_injector import providers
from falcon import testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.http.routes import ROUTES
from climaguru.app import create_app
from domain.model.users import Role
from tests.fakes import FakeGeocoder, FakeProvider
from tests.unit.http.helpers import bearer, register

FIELDS = [
    "username", "email", "password", "nombre_completo", "login", "refresh_token", "ciudad",
    "latitud", "longitud", "pais", "parametros", "proveedores", "formato", "fecha_inicio",
    "fecha_fin", "granularidad", "zona_horaria", "rol", "activo", "password_actual",
    "password_nuevo", "nombre_ciudad", "es_default", "proveedor", "api_key", "api_secret",
    "descripcion", "limite_consultas_diarias", "activa",
]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Cs", "Lu", "Nd"]), max_size=5),  # lone surrogates
    st.integers(min_value=10**300, max_value=10**400),
    st.sampled_from(["2024-01-01", "horaria", "temperatura", "admin", "America/Bogota", "a@b.co"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=5)
bodies = st.dictionaries(st.sampled_from(FIELDS), values, max_size=6)
WRITES = sorted({(r.path, r.method) for r in ROUTES if r.method in ("POST", "PATCH")})


@pytest.fixture(scope="module", params=["memory", "sqlite"])
def world(request):
    import tempfile

    from climaguru.container import Container, use_memory
    from climaguru.migrations import upgrade
    from climaguru.settings import load_settings
    from tests.conftest import app_env

    folder = tempfile.mkdtemp()
    url = f"sqlite:///{folder}/fuzz.db"
    upgrade(url)
    container = Container(
        settings=load_settings(app_env(CLIMAGURU_DATA_DIR=folder, DATABASE_URL=url), env_file=None)
    )
    if request.param == "memory":
        use_memory(container)
    container.weather_providers.override(
        providers.Object({"a": FakeProvider("a", {"temperatura": 10.0})})
    )
    container.geocoder.override(providers.Object(FakeGeocoder()))
    client = testing.TestClient(create_app(container))
    session = register(client, "fuzz_admin")
    with container.uow() as uow:
        admin = uow.users.get(session["usuario"]["id"])
        admin.role = Role.ADMIN
        uow.users.update(admin)
        uow.commit()
    return client, bearer(session["access_token"])


@pytest.mark.parametrize(("template", "method"), WRITES)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies, ident=st.sampled_from(["1", "2", "999", "99999999999999999999999", "0"]))
def test_no_body_makes_a_500(world, template, method, body, ident):
    client, auth = world
    path = re.sub(r"\{[^}]+\}", ident, template)
    raw = json.dumps(body).encode()  # ASCII escapes: lone surrogates travel as "\\ud800"
    headers = {**auth, "Content-Type": "application/json"}
    result = client.simulate_request(method, path, body=raw, headers=headers)
    assert result.status_code < 500 or result.status_code == 502, (path, body, result.text)
    assert result.headers["Content-Type"].startswith("application/json")


READS = sorted(r.path for r in ROUTES if r.method == "GET")
PARAMS = ["page", "per_page", "tipo", "estado", "ciudad", "desde", "hasta", "usuario", "accion",
          "rol", "activo", "q", "formato", "separador", "detalle"]  # fmt: skip
param_values = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["9999-12-31", "0001-01-01", "2024-02-30", "10" * 12, "-1", "0", ";", "csv"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


@pytest.mark.parametrize("template", READS)
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=st.dictionaries(st.sampled_from(PARAMS), param_values, max_size=4))
def test_no_query_string_makes_a_500(world, template, params):
    client, auth = world
    path = re.sub(r"\{[^}]+\}", "1", template)
    result = client.simulate_get(path, params=params, headers=auth)
    assert result.status_code < 500, (path, params, result.text)
