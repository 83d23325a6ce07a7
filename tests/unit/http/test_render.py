"""render.current_result builds its JSON by hand: it must be what cattrs made of the schema."""

from __future__ import annotations

import orjson

from adapters import wire
from adapters.http import render
from adapters.http.converter import unstructure
from adapters.http.resources import queries
from adapters.http.schemas import results as res
from tests.fakes import FakeProvider
from tests.unit.http.test_current_queries import BOGOTA, build, post


def _cattrs_form(result) -> dict:
    data = res.CurrentData(
        instante=wire.iso(result.instant),
        consenso=wire.consensus_map(result.consensus, result.origins),
        proveedores=wire.reports(result.query.provider_answers),
    )
    place = render.location(result.where)
    return unstructure(res.CurrentResult(wire.query(result.query), place, data))


def test_a_current_answer_is_the_schema_unstructured_to_the_byte(container, monkeypatch):
    seen = []
    real = render.current_result

    def capture(result):
        seen.append(result)
        return real(result)

    monkeypatch.setattr(queries.CurrentQueriesResource, "view", staticmethod(capture))
    fakes = [
        FakeProvider("a", {"temperatura": 14.0, "direccion_viento": 350.0, "descripcion_clima": 3}),
        FakeProvider("b", {"temperatura": 14.4, "direccion_viento": 10.0, "descripcion_clima": 61}),
        FakeProvider("c", {"temperatura": 99.0, "direccion_viento": None}),
        FakeProvider("d", {"temperatura": 14.1, "direccion_viento": 5.0}),
    ]
    client, auth, _ = build(container, fakes)
    params = ["temperatura", "direccion_viento", "descripcion_clima"]
    answer = post(client, auth, **BOGOTA, parametros=params)
    assert answer.status_code == 201, answer.json
    (result,) = seen
    assert orjson.dumps(real(result)) == orjson.dumps(_cattrs_form(result))
    assert answer.json == orjson.loads(orjson.dumps(_cattrs_form(result)))
