"""Through gunicorn and MariaDB: a place no asked provider covers is a 422 to change, not to
retry; a provider that times out is a 502 with Retry-After (issue 18.1)."""

from __future__ import annotations

import pytest
import requests

from tests.e2e.harness import (
    OPEN_METEO_CURRENT,
    FakeProviders,
    Gunicorn,
    app_env,
    bearer,
    my_queries,
    register,
    stored_query,
)

pytestmark = [pytest.mark.e2e, pytest.mark.mysql]


def _query(url: str, token: str, **body) -> requests.Response:
    return requests.post(
        f"{url}/api/consultas/tiempo-real", json=body, headers=bearer(token), timeout=20
    )


def test_out_of_coverage_is_422_without_retry_after_and_a_timeout_is_502_with_it(
    tmp_path, mysql_engine
):
    with FakeProviders() as fake:
        fake.behave(OPEN_METEO_CURRENT, "hang")
        env = app_env(
            tmp_path,
            mysql_engine.url.render_as_string(hide_password=False),
            IDEAM_BASE_URL=fake.origin,
            SIATA_BASE_URL=fake.origin,
            OPENMETEO_FORECAST_URL=fake.origin,
            PROVIDERS_ENABLED="ideam,siata,open_meteo",
            PROVIDER_TIMEOUT="1",
            QUERY_DEADLINE="2",
        )
        with Gunicorn(env, tmp_path, workers=1, threads=4, timeout=10) as server:
            token = register(server.url, "fuera")["access_token"]
            far = _query(
                server.url, token, latitud=0.0, longitud=0.0, proveedores=["ideam", "siata"]
            )
            slow = _query(
                server.url, token, latitud=6.25, longitud=-75.56, proveedores=["open_meteo"]
            )
            first, second = _query_ids(server.url, token)
            far_stored, slow_stored = (
                stored_query(server.url, token, first),
                stored_query(server.url, token, second),
            )
    far_doc = far.json()

    assert far.status_code == 422, far.text
    assert "Retry-After" not in far.headers
    assert far_doc["error"] == "proveedores_no_aplicables"
    assert far_doc["detalles"] == {"ideam": "fuera_de_cobertura", "siata": "fuera_de_cobertura"}
    assert far_stored["consulta"]["estado"] == "error"
    assert far_stored["consulta"]["mensaje_error"] == "proveedores_no_aplicables"
    assert far_stored["proveedores"]["siata"]["motivo"] == "fuera_de_cobertura"
    assert far_stored["proveedores"]["ideam"]["motivo"] == "fuera_de_cobertura"

    assert slow.status_code == 502, slow.text
    assert int(slow.headers["Retry-After"]) > 0
    assert slow.json()["error"] == "sin_datos"
    assert slow_stored["consulta"]["mensaje_error"] == "sin_respuesta_de_proveedores"
    assert slow_stored["proveedores"]["open_meteo"]["motivo"] == "timeout"


def _query_ids(url: str, token: str) -> list[int]:
    """The ids of the user's queries, oldest first."""
    return sorted(q["id"] for q in my_queries(url, token))
