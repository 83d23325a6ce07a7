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


def _forecast_cattrs_form(result) -> dict:
    """render.forecast_result as it was: every step through wire.series_point and cattrs."""
    query, zone = result.query, result.window.zone
    body = res.ForecastResult(
        consulta=wire.query(query),
        ubicacion=render.location(result.where),
        pronostico=wire.forecast(result.facts, query.parameters, zone),
        resumen=wire.summary(result.summary),
        serie=[wire.series_point(p, zone) for p in result.series],
        serie_total=result.total_points,
        serie_truncada=result.total_points > len(result.series),
        proveedores=wire.reports(query.provider_answers),
        alertas=[wire.alert(a, zone) for a in result.alerts],
        resumen_diario=res.OMIT
        if result.farm_days is None
        else [wire.farm_day(d) for d in result.farm_days],
    )
    return unstructure(body)


def test_a_forecast_answer_splices_each_step_json_to_the_same_bytes(container, clock, monkeypatch):
    """Cold (first) and cached (second, the steps from the memos) answers: the spliced step
    JSON (adapters/wire_json) is byte for byte what cattrs and orjson made of each step."""
    from tests.unit.http.test_forecast_queries import PATH, models

    seen = []
    real = render.forecast_result

    def capture(result):
        seen.append(result)
        return real(result)

    monkeypatch.setattr(queries.ForecastQueriesResource, "view", staticmethod(capture))
    client, auth, _ = build(container, models(clock))
    for _ in range(2):
        answer = client.simulate_post(PATH, json={**BOGOTA, "dias": 3}, headers=auth)
        assert answer.status_code == 201, answer.json
        result = seen[-1]
        assert result.series
        assert orjson.dumps(real(result)) == orjson.dumps(_forecast_cattrs_form(result))
        assert answer.json == orjson.loads(orjson.dumps(_forecast_cattrs_form(result)))
