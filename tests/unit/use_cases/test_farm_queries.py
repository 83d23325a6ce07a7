"""Farm variables in current and history queries, called directly (issue 14)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.errors import ValidationError
from domain.model.agro import hargreaves_et0
from domain.model.agro.heat_stress import HeatStressCategory
from domain.use_cases.run_current_query import RunCurrentQueryCommand
from domain.use_cases.run_history_query import RunHistoryQueryCommand
from tests.fakes import FakeProvider

BOGOTA = {"latitude": 4.60971, "longitude": -74.08175, "city": "Bogotá"}
HOT = {"temperatura": 30.0, "humedad_relativa": 60.0}


def current(world, principal, **body):
    return world.run_current(RunCurrentQueryCommand(principal, **{**BOGOTA, **body}))


def history(world, principal, **body):
    fields = {"start_date": "2026-02-01", "end_date": "2026-02-03", "granularity": "diaria"}
    return world.run_history(RunHistoryQueryCommand(principal, **{**BOGOTA, **fields, **body}))


def test_current_ith_is_derived_per_provider_and_inputs_stay_hidden(world):
    world.providers = {n: FakeProvider(n, HOT) for n in ("a", "b")}
    ana = world.user("ana")
    result = current(world, ana, variables=["ith"])
    ith = result.consensus["ith"]
    assert ith.value == pytest.approx(79.84, abs=0.005) and ith.category == "peligro"
    assert ith.sources == ("a", "b") and set(result.consensus) == {"ith"}
    assert result.origins["ith"]["a"]["tipo"] == "derivado"
    # the providers were asked for the inputs; nobody sees them
    assert world.get_query(ana, result.query.id).query.provider_answers["a"].values == {
        "ith": pytest.approx(79.84, abs=0.005)
    }


def test_a_default_query_asks_no_farm_variable(world):
    ana = world.user("ana")
    result = current(world, ana)
    assert "ith" not in result.consensus and "punto_de_rocio" not in result.consensus


def test_daily_quantities_are_refused_for_a_single_instant(world):
    ana = world.user("ana")
    with pytest.raises(ValidationError) as info:
        current(world, ana, variables=["temperatura", "et0"])
    assert info.value.details == {"parametros": "solo_diarios"}


def test_daily_history_has_et0_and_degree_days_per_day(world):
    day = {"temperatura_max": 20.0, "temperatura_min": 7.0}
    world.providers = {n: FakeProvider(n, day) for n in ("a", "b")}
    ana = world.user("ana")
    result = history(world, ana, variables=["et0", "grados_dia", "riesgo_helada"])
    assert result.total_points == 3
    for j, point in enumerate(result.series, start=32):  # 1-3 February
        expected = hargreaves_et0(20.0, 7.0, BOGOTA["latitude"], j)
        assert point.consensus["et0"].value == pytest.approx(expected)
        assert point.origins["et0"]["a"]["metodo"] == "hargreaves_samani"
        assert point.consensus["grados_dia"].value == 5.0
        assert point.consensus["riesgo_helada"].category == "ninguno"
    assert result.farm_days is None  # a daily series is its own summary


def test_hourly_history_gets_a_farm_day_per_local_day(world):
    def hourly(instant: datetime):
        hour = instant.hour  # local Bogotá hours: 30 °C from 12 to 17 h, 12 °C otherwise
        return {**HOT, "temperatura": 30.0 if 12 <= hour < 18 else 12.0, "velocidad_viento": 10.0}

    world.providers = {"a": FakeProvider("a", daily=hourly)}
    ana = world.user("ana")
    result = history(
        world, ana, granularity="horaria", end_date="2026-02-02", variables=["ith", "et0"]
    )
    assert result.total_points == 48
    assert set(result.series[0].consensus) == {"ith"}  # et0 is daily; inputs are not shown
    first, second = result.farm_days
    assert first.thi_hours[HeatStressCategory.DANGER] == 6
    assert first.thi_hours[HeatStressCategory.NORMAL] == 18
    assert first.relief_hours == 12  # every night hour below 75
    assert first.et0 == pytest.approx(hargreaves_et0(30.0, 12.0, BOGOTA["latitude"], 32))
    assert first.degree_days == 11.0  # (30 + 12)/2 - 10
    assert second.degree_days_total == 22.0
    assert (first.day + timedelta(days=1)) == second.day
