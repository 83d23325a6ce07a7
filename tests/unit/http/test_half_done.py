"""Issue 12.7: nothing stays half-done (unreadable keys, corrupted hashes, abandoned queries)."""

from __future__ import annotations

import logging

from dependency_injector import providers
from falcon import testing

from climaguru.app import create_app
from domain.model.api_keys import ApiKey
from domain.model.queries import QueryStatus
from tests.fakes import FakeGeocoder, FakeProvider
from tests.unit.http.helpers import PASSWORD, bearer, register

BOGOTA = {"latitud": 4.61, "longitud": -74.08, "parametros": ["temperatura"]}


def build(container):
    keyed = FakeProvider("con_clave", {"temperatura": 14.1}, needs_key=True)
    free = FakeProvider("libre", {"temperatura": 14.3})
    container.weather_providers.override(providers.Object({"con_clave": keyed, "libre": free}))
    container.system_keys.override(providers.Object({"con_clave": _system()}))
    container.geocoder.override(providers.Object(FakeGeocoder()))
    return testing.TestClient(create_app(container)), keyed


def _system():
    from domain.model.readings import Credentials

    return Credentials("clave-sistema")


def test_a_user_key_that_no_longer_decrypts_is_reported_not_replaced(container):
    client, keyed = build(container)
    session = register(client, "operaria")
    auth = bearer(session["access_token"])
    with container.uow() as uow:
        key = uow.api_keys.add(
            ApiKey(None, session["usuario"]["id"], "con_clave", "gAAAAA-bajo-otra-clave", None,
                   True, 100, 0, None, container.clock()()),
        )  # fmt: skip
        uow.commit()
    result = client.simulate_post("/api/consultas/tiempo-real", json=BOGOTA, headers=auth)
    assert result.status_code == 201
    answer = result.json["datos"]["proveedores"]["con_clave"]
    assert (answer["estado"], answer["codigo"]) == ("error", "clave_ilegible")
    assert keyed.calls == []  # the system key was not used in its place
    probe = client.simulate_post(f"/api/api-keys/{key.id}/probar", headers=auth)
    assert probe.json["resultado"] == "no_verificable"


def test_a_corrupted_password_hash_is_401_and_an_error_line(container, caplog):
    client, _ = build(container)
    session = register(client, "operaria")
    with container.uow() as uow:
        uow._store.users[session["usuario"]["id"]].password_hash = "$2b$12$ro\u00f1o"
        uow.commit()
    with caplog.at_level(logging.ERROR):
        result = client.simulate_post(
            "/api/auth/login", json={"username": "operaria", "password": PASSWORD}
        )
    assert result.status_code == 401
    assert result.json["error"] == "no_autenticado"
    assert any(r.levelno == logging.ERROR and "hash" in r.getMessage() for r in caplog.records)


def test_a_query_left_procesando_by_a_dead_worker_is_listed_as_abandonada(container, clock):
    client, _ = build(container)
    auth = bearer(register(client, "operaria")["access_token"])
    done = client.simulate_post("/api/consultas/tiempo-real", json=BOGOTA, headers=auth)
    stuck_id = done.json["consulta"]["id"]
    with container.uow() as uow:  # the worker died between procesando and completada
        stuck = uow.queries.get(stuck_id)
        stuck.status, stuck.completed_at = QueryStatus.PROCESSING, None
        uow.queries.update(stuck)
        uow.commit()

    def listed():
        page = client.simulate_get("/api/consultas/mis-consultas", headers=auth).json
        row = page["consultas"][0]
        return row["estado"], row["mensaje_error"]

    assert listed() == ("procesando", None)  # within the deadline it may still be running
    clock.advance(20 + 61)  # QUERY_DEADLINE (20 s) plus the margin
    assert listed() == ("error", "abandonada")


def test_a_listing_only_reads_and_the_sweep_stores_the_abandoned_query(container, clock):
    client, _ = build(container)
    auth = bearer(register(client, "operaria")["access_token"])
    done = client.simulate_post("/api/consultas/tiempo-real", json=BOGOTA, headers=auth)
    stuck_id = done.json["consulta"]["id"]
    with container.uow() as uow:
        stuck = uow.queries.get(stuck_id)
        stuck.status, stuck.completed_at = QueryStatus.PROCESSING, None
        uow.queries.update(stuck)
        uow.commit()
    clock.advance(20 + 61)

    listed = client.simulate_get("/api/consultas/mis-consultas", headers=auth).json
    assert listed["consultas"][0]["estado"] == "error"
    assert listed["consultas"][0]["completada_en"] is not None
    with container.uow() as uow:  # the listing wrote nothing
        assert uow.queries.get(stuck_id).status is QueryStatus.PROCESSING

    assert container.sweep_abandoned_queries()() == 1  # start-up / periodic sweep
    with container.uow() as uow:
        stored = uow.queries.get(stuck_id)
    assert (stored.status, stored.error_code) == (QueryStatus.ERROR, "abandonada")
    again = client.simulate_get("/api/consultas/mis-consultas", headers=auth).json
    assert again["consultas"][0] == listed["consultas"][0] | {
        "completada_en": again["consultas"][0]["completada_en"]
    }
