"""POST /api/consultas/pronostico over the in-memory container: shape, errors, stored view."""

from __future__ import annotations

import pytest

from domain.model.horizon import Horizon, HorizonUnit
from domain.model.users import Role
from tests.fakes import FakeForecaster, FakeProvider
from tests.unit.http.helpers import bearer, register
from tests.unit.http.test_current_queries import BOGOTA, build

PATH = "/api/consultas/pronostico"


def models(clock):
    values = {"temperatura": 20.0, "probabilidad_precipitacion": 40.0}
    return [
        FakeForecaster("om", values, clock, Horizon(16, "dias"), Horizon(16, "dias")),
        FakeForecaster("owm", values, clock, Horizon(48, HorizonUnit.HOURS), Horizon(8, "dias")),
        FakeProvider("ideam", {"temperatura": 30.0}),
    ]


def test_a_forecast_answers_201_with_its_facts_and_a_series(container, clock):
    client, auth, _ = build(container, models(clock))
    result = client.simulate_post(PATH, json={**BOGOTA, "dias": 3}, headers=auth)
    assert result.status_code == 201, result.json
    body = result.json
    assert body["consulta"]["tipo_consulta"] == "pronostico"
    assert body["consulta"]["parametros_solicitados"]["dias"] == 3
    assert body["consulta"]["parametros_solicitados"]["granularidad"] == "horaria"
    facts = body["pronostico"]
    assert (facts["dias"], facts["granularidad"], facts["zona_horaria"]) == (
        3, "horaria", "America/Bogota",
    )  # fmt: skip
    assert facts["emitido_en"].endswith("Z")
    assert facts["horizontes"]["owm"]["horizonte"] == {"cantidad": 48, "unidad": "horas"}
    assert facts["horizontes"]["om"]["modelo"] == "fake_model"
    assert facts["horizonte_efectivo"] == body["serie"][-1]["instante"] or body["serie_truncada"]
    assert body["proveedores"]["ideam"] == {
        "estado": "omitido", "motivo": "no_soportado", "codigo": "no_soportado",
    }  # fmt: skip
    assert body["alertas"] == []
    step = body["serie"][0]["consenso"]["probabilidad_precipitacion"]
    assert step["valor"] == 40.0 and step["n_fuentes"] == 2
    stored = client.simulate_get(f"/api/consultas/{body['consulta']['id']}", headers=auth).json
    assert stored["pronostico"]["horizontes"] == facts["horizontes"]
    assert stored["serie_total"] == body["serie_total"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"dias": 0}, "dias"),
        ({"dias": 17}, "dias"),
        ({"dias": "siete"}, "dias"),
        ({"dias": 2.5}, "dias"),
        ({"granularidad": "mensual"}, "granularidad"),
        ({"parametros": ["nieve"]}, "parametros"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(container, clock, body, field):
    client, auth, _ = build(container, models(clock))
    result = client.simulate_post(PATH, json={**BOGOTA, **body}, headers=auth)
    assert result.status_code == 400
    assert result.json["error"] == "validacion" and field in result.json["detalles"]


def test_a_consultor_gets_403(container, clock):
    client, _, _ = build(container, models(clock))
    session = register(client, "mirona")
    with container.uow() as uow:
        uow._store.users[session["usuario"]["id"]].role = Role.VIEWER
        uow.commit()
    result = client.simulate_post(PATH, json=BOGOTA, headers=bearer(session["access_token"]))
    assert result.status_code == 403


def test_only_ideam_asked_is_422_not_retryable(container, clock):
    client, auth, _ = build(container, models(clock))
    result = client.simulate_post(PATH, json={**BOGOTA, "proveedores": ["ideam"]}, headers=auth)
    assert result.status_code == 422 and "Retry-After" not in result.headers
    assert result.json["detalles"] == {"ideam": "no_soportado"}
