"""POST /api/consultas/tiempo-real over the in-memory container with canned providers."""

from __future__ import annotations

import time

import pytest
from dependency_injector import providers

from domain.model.api_keys import ApiKey, quota_day, seconds_until_next_quota_day
from domain.model.consensus import Reason
from domain.model.queries import QueryLimits
from domain.model.users import Role
from tests.fakes import FakeProvider
from tests.unit.http.helpers import app_client, bearer, register, register_as

BOGOTA = {"latitud": 4.61, "longitud": -74.08}


def build(container, fakes, deadline: float = 2.0):
    container.query_limits.override(providers.Object(QueryLimits(deadline=deadline)))
    client = app_client(container, *fakes)
    session = register(client, "operaria")
    return client, bearer(session["access_token"]), session["usuario"]["id"]


def three_models():
    return [
        FakeProvider("a", {"temperatura": 14.0, "precipitacion": 0.0, "direccion_viento": 350.0}),
        FakeProvider("b", {"temperatura": 14.4, "precipitacion": 0.0, "direccion_viento": 10.0}),
        FakeProvider("c", {"temperatura": 14.2, "precipitacion": 6.0, "direccion_viento": None}),
    ]


def post(client, auth, **body):
    return client.simulate_post("/api/consultas/tiempo-real", json=body, headers=auth)


def test_consensus_with_spread_and_provenance(container):
    client, auth, _ = build(container, three_models())
    result = post(
        client, auth, **BOGOTA, parametros=["temperatura", "precipitacion", "direccion_viento"]
    )
    assert result.status_code == 201, result.json
    datos = result.json["datos"]
    temp = datos["consenso"]["temperatura"]
    assert temp["valor"] == pytest.approx(14.2)
    assert (temp["min"], temp["max"], temp["unidad"], temp["n_fuentes"]) == (14.0, 14.4, "°C", 3)
    assert temp["fuentes"] == ["a", "b", "c"]
    assert temp["desviacion"] == pytest.approx(0.1633, abs=1e-3)
    # One wet source does not invent rain: the median.
    assert datos["consenso"]["precipitacion"]["valor"] == 0.0
    wind = datos["consenso"]["direccion_viento"]
    assert wind["valor"] == pytest.approx(0.0, abs=1e-6)
    assert wind["descartadas"] == [{"fuente": "c", "motivo": "sin_dato"}]
    assert datos["proveedores"]["a"]["estado"] == "ok"
    assert datos["proveedores"]["a"]["valores"]["temperatura"] == 14.0
    consulta = result.json["consulta"]
    assert consulta["estado"] == "completada"
    assert consulta["tipo_consulta"] == "tiempo_real"
    assert consulta["tiempo_respuesta_ms"] is not None
    assert set(result.json["datos"]["consenso"]) == {
        "temperatura",
        "precipitacion",
        "direccion_viento",
    }


def test_query_row_goes_through_its_life_cycle_and_is_stored(container):
    client, auth, user_id = build(container, three_models())
    result = post(client, auth, **BOGOTA, formato="csv")
    query_id = result.json["consulta"]["id"]
    with container.uow() as uow:
        stored = uow.queries.get(query_id)
        summary = uow.queries.get_result(query_id)
    assert stored.status.value == "completada"
    assert stored.user_id == user_id
    assert stored.export_format.value == "csv"
    assert stored.client_ip
    assert stored.provider_answers["b"].values["temperatura"] == 14.4
    assert list(summary.sources_used) == ["a", "b", "c"]
    assert summary.consensus["temperatura"].value == pytest.approx(14.2)


def test_failures_are_listed_and_the_rest_answers(container):
    fakes = [
        *three_models(),
        FakeProvider("roto", fail=(Reason.ERROR, "http_500")),
        FakeProvider("lento", fail=(Reason.TIMEOUT, "timeout")),
    ]
    client, auth, _ = build(container, fakes)
    result = post(client, auth, **BOGOTA, parametros=["temperatura"])
    assert result.status_code == 201
    temp = result.json["datos"]["consenso"]["temperatura"]
    assert temp["n_fuentes"] == 3
    assert {"fuente": "roto", "motivo": "error"} in temp["descartadas"]
    assert {"fuente": "lento", "motivo": "timeout"} in temp["descartadas"]
    broken = result.json["datos"]["proveedores"]["roto"]
    assert (broken["estado"], broken["motivo"], broken["codigo"]) == ("error", "error", "http_500")
    assert isinstance(broken["latencia_ms"], int)
    assert result.json["datos"]["proveedores"]["a"]["meta"]["latencia_ms"] >= 0


def test_all_providers_failing_is_502_and_the_query_is_stored_as_error(container):
    fakes = [
        FakeProvider("x", fail=(Reason.ERROR, "http_500")),
        FakeProvider("y", fail=(Reason.TIMEOUT, "timeout")),
    ]
    client, auth, _ = build(container, fakes)
    result = post(client, auth, **BOGOTA)
    assert result.status_code == 502
    assert int(result.headers["Retry-After"]) > 0
    assert result.json["error"] == "sin_datos"
    listing = client.simulate_get("/api/consultas/mis-consultas", headers=auth).json
    stored = listing["consultas"][0]
    assert stored["estado"] == "error"
    assert stored["mensaje_error"] == "sin_respuesta_de_proveedores"


def test_providers_that_cannot_cover_the_place_are_a_422_without_retry_after(container):
    fakes = [
        FakeProvider("ideam", fail=(Reason.OUT_OF_COVERAGE, "sin_estaciones_cercanas")),
        FakeProvider("siata", fail=(Reason.OUT_OF_COVERAGE, "fuera_del_valle_de_aburra")),
    ]
    client, auth, _ = build(container, fakes)
    result = post(client, auth, latitud=0.0, longitud=0.0)
    assert result.status_code == 422, result.text
    assert "Retry-After" not in result.headers
    assert result.json["error"] == "proveedores_no_aplicables"
    assert result.json["detalles"] == {"ideam": "fuera_de_cobertura", "siata": "fuera_de_cobertura"}
    stored = client.simulate_get("/api/consultas/mis-consultas", headers=auth).json["consultas"][0]
    assert (stored["estado"], stored["mensaje_error"]) == ("error", "proveedores_no_aplicables")
    siata = client.simulate_get(f"/api/consultas/{stored['id']}", headers=auth).json["proveedores"][
        "siata"
    ]
    assert (siata["estado"], siata["motivo"], siata["codigo"]) == (
        "error",
        "fuera_de_cobertura",
        "fuera_del_valle_de_aburra",
    )


def test_a_provider_timing_out_beside_one_out_of_coverage_is_a_502_with_retry_after(container):
    fakes = [
        FakeProvider("ideam", fail=(Reason.OUT_OF_COVERAGE, "sin_estaciones_cercanas")),
        FakeProvider("mudo", {"temperatura": 30.0}, delay=2.0),
    ]
    client, auth, _ = build(container, fakes, deadline=0.3)
    result = post(client, auth, latitud=0.0, longitud=0.0)
    assert result.status_code == 502, result.text
    assert int(result.headers["Retry-After"]) > 0
    assert result.json["error"] == "sin_datos"


def test_a_no_key_answer_names_each_provider_and_is_stored_with_its_code(container):
    client, auth, _ = build(
        container, [FakeProvider("con_clave", {"temperatura": 1.0}, needs_key=True)]
    )
    result = post(client, auth, **BOGOTA)
    assert result.status_code == 422 and "Retry-After" not in result.headers
    assert result.json["detalles"] == {"con_clave": "sin_clave"}
    assert "/api/api-keys" in result.json["message"]
    stored = client.simulate_get("/api/consultas/mis-consultas", headers=auth).json["consultas"][0]
    assert stored["mensaje_error"] == "proveedores_no_aplicables"


def test_a_silent_provider_costs_no_more_than_the_deadline(container):
    fakes = [*three_models(), FakeProvider("mudo", {"temperatura": 30.0}, delay=5.0)]
    client, auth, _ = build(container, fakes, deadline=0.5)
    started = time.monotonic()
    result = post(client, auth, **BOGOTA, parametros=["temperatura"])
    elapsed = time.monotonic() - started
    assert result.status_code == 201
    assert elapsed < 1.5
    assert result.json["datos"]["proveedores"]["mudo"]["codigo"] == "plazo_global"
    assert result.json["datos"]["consenso"]["temperatura"]["n_fuentes"] == 3


def test_city_is_geocoded_with_alternatives(container):
    client, auth, _ = build(container, three_models())
    result = post(client, auth, ciudad="Medellín", parametros=["temperatura"])
    assert result.status_code == 201
    where = result.json["ubicacion"]
    assert where["ciudad"] == "Medellín"
    assert (where["latitud"], where["longitud"]) == (6.25184, -75.56359)
    assert where["geocodificacion"]["elegida"]["departamento"] == "Antioquia"
    assert where["geocodificacion"]["alternativas"][0]["departamento"] == "Córdoba"


def test_unknown_city_is_404(container):
    client, auth, _ = build(container, three_models())
    result = post(client, auth, ciudad="Macondo")
    assert result.status_code == 404
    assert result.json["error"] == "ciudad_no_encontrada"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"latitud": 91, "longitud": 0}, "latitud"),
        ({"latitud": 4.6, "longitud": -181}, "longitud"),
        ({"latitud": "4.6", "longitud": -74}, "latitud"),
        ({"latitud": 4.6}, "latitud"),
        ({}, "ciudad"),
        ({**BOGOTA, "parametros": ["temperatura", "humor"]}, "parametros"),
        ({**BOGOTA, "parametros": []}, "parametros"),
        ({**BOGOTA, "proveedores": ["nadie"]}, "proveedores"),
        ({**BOGOTA, "formato": "xlsx"}, "formato"),
        ({**BOGOTA, "usuario_id": 7}, "usuario_id"),
        ({**BOGOTA, "ciudad": "x" * 101}, "ciudad"),  # the column holds 100: MySQL would refuse
    ],
)
def test_bad_input_is_400_before_any_provider_call(container, body, field):
    fakes = three_models()
    client, auth, _ = build(container, fakes)
    result = client.simulate_post("/api/consultas/tiempo-real", json=body, headers=auth)
    assert result.status_code == 400, result.json
    assert field in result.json.get("detalles", {}), result.json
    assert all(not f.calls for f in fakes)


def test_a_provider_subset_can_be_chosen(container):
    fakes = three_models()
    client, auth, _ = build(container, fakes)
    result = post(client, auth, **BOGOTA, proveedores=["a", "b"], parametros=["temperatura"])
    assert result.json["datos"]["consenso"]["temperatura"]["fuentes"] == ["a", "b"]
    assert not fakes[2].calls


def test_viewer_cannot_run_queries(container):
    client, _, _ = build(container, three_models())
    viewer = register_as(client, container, "lectora", Role.VIEWER)
    result = post(client, bearer(viewer["access_token"]), **BOGOTA)
    assert result.status_code == 403


def test_anonymous_is_401(container):
    client, _, _ = build(container, three_models())
    assert client.simulate_post("/api/consultas/tiempo-real", json=BOGOTA).status_code == 401


def _give_key(container, user_id, provider, limit):
    box = container.secret_box()
    with container.uow() as uow:
        key = uow.api_keys.add(
            ApiKey(
                id=None,
                user_id=user_id,
                provider=provider,
                key_ciphertext=box.encrypt("clave-del-usuario-1234"),
                secret_ciphertext=None,
                active=True,
                daily_limit=limit,
                used_today=0,
                usage_day=None,
                created_at=container.clock()(),
            )
        )
        uow.commit()
    return key.id


def test_provider_needing_a_key_is_skipped_without_one(container):
    keyed = FakeProvider("con_clave", {"temperatura": 14.1}, needs_key=True)
    client, auth, _ = build(container, [*three_models(), keyed])
    result = post(client, auth, **BOGOTA, parametros=["temperatura"])
    assert result.json["datos"]["proveedores"]["con_clave"]["motivo"] == "sin_clave"
    assert keyed.calls == []


def test_user_key_is_used_and_charged_until_its_quota_runs_out(container, clock):
    keyed = FakeProvider("con_clave", {"temperatura": 14.1}, needs_key=True)
    client, auth, user_id = build(container, [*three_models(), keyed])
    key_id = _give_key(container, user_id, "con_clave", limit=2)
    answers = [
        post(client, auth, **BOGOTA, parametros=["temperatura"]).json["datos"]["proveedores"][
            "con_clave"
        ]
        for _ in range(3)
    ]
    assert [a["estado"] for a in answers] == ["ok", "ok", "error"]
    assert answers[2]["motivo"] == "cuota_agotada"
    credentials = keyed.calls[0][1]
    assert credentials.api_key == "clave-del-usuario-1234" and credentials.owner == "usuario"
    assert "clave-del-usuario" not in repr(credentials)
    with container.uow() as uow:
        key = uow.api_keys.get(key_id)
    assert key.used_today == 2
    assert key.usage_day == quota_day(clock(), "America/Bogota")


def test_a_failure_while_storing_the_result_leaves_the_query_marked_error(container, monkeypatch):
    """Nothing is left 'procesando' forever: the stored row says error_interno."""
    from adapters.memory.query_repository import InMemoryQueryRepository

    client, auth, _ = build(container, three_models())

    def broken(self, *args, **kwargs):
        raise RuntimeError("disco lleno")

    monkeypatch.setattr(InMemoryQueryRepository, "save_result", broken)
    result = post(client, auth, **BOGOTA)
    assert result.status_code == 500
    assert result.json["error"] == "error_interno"
    assert "disco" not in result.text
    monkeypatch.undo()
    stored = client.simulate_get("/api/consultas/mis-consultas", headers=auth).json["consultas"]
    assert (stored[0]["estado"], stored[0]["mensaje_error"]) == ("error", "error_interno")


def test_only_spent_quotas_answer_429_until_local_midnight(container, clock):
    """Retrying before the quota day ends cannot help: 429 with Retry-After, not a 502."""
    keyed = FakeProvider("con_clave", {"temperatura": 14.1}, needs_key=True)
    client, auth, user_id = build(container, [keyed])
    key_id = _give_key(container, user_id, "con_clave", limit=1)
    body = {**BOGOTA, "parametros": ["temperatura"], "proveedores": ["con_clave"]}
    assert post(client, auth, **body).status_code == 201
    spent = post(client, auth, **body)
    assert spent.status_code == 429, spent.json
    assert spent.json["error"] == "cuota_agotada"
    assert spent.json["detalles"] == {"proveedores": "cuota_agotada"}
    wait = int(spent.headers["Retry-After"])
    assert wait == seconds_until_next_quota_day(clock(), "America/Bogota")
    assert 0 < wait <= 86_400
    with container.uow() as uow:
        assert uow.api_keys.get(key_id).used_today == 1
