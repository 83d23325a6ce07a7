"""A forecast asked again reuses its derived series only for the very same inputs.

Every variation below is run once warm (after the base request filled the memos) and once
cold (memos cleared): the answers must be equal, so a memo never serves another input's series.
"""

from __future__ import annotations

import attrs
import pytest

from domain.model.agro.heat_stress import HeatStressThresholds
from domain.model.agro.settings import AgroSettings
from domain.model.forecast import STEP_MEMO
from domain.model.repeat_memo import RepeatMemo, fingerprint
from domain.use_cases import run_forecast_query
from domain.use_cases.run_forecast_query import RunForecastQueryCommand
from tests.fakes import FakeForecaster
from tests.unit.use_cases.conftest import World
from tests.unit.use_cases.test_forecast import BOGOTA, DAYS, HOURS

BASE = {**BOGOTA, "days": 3, "variables": ["temperatura", "precipitacion", "ith"]}


@pytest.fixture
def world() -> World:
    w = World()
    w.providers = {
        "om": _humid(w, "om", 20.0, DAYS(16), DAYS(16)),
        "owm": _humid(w, "owm", 21.0, HOURS(48), DAYS(8)),
        "mb": _humid(w, "mb", 22.0, DAYS(7), DAYS(7)),
    }
    return w


def _humid(world, name, temperature, hourly, daily):
    values = {"temperatura": temperature, "humedad_relativa": 80.0, "precipitacion": 1.0}
    return FakeForecaster(name, values, world.clock, hourly, daily)


@pytest.fixture
def ana(world):
    return world.user("ana")


@pytest.fixture(autouse=True)
def _cold_memos():
    run_forecast_query.STEPS.clear()
    STEP_MEMO.clear()
    yield
    run_forecast_query.STEPS.clear()
    STEP_MEMO.clear()


def _run(world, ana, use_case=None, **body):
    command = RunForecastQueryCommand(ana, **{**BASE, **body})
    return (use_case or world.run_forecast)(command)


def _series(result) -> list:
    return [(p.instant, p.consensus, p.by_provider, p.origins) for p in result.series]


def test_the_same_forecast_again_is_stored_again_with_the_same_series(world, ana):
    first = _run(world, ana)
    again = _run(world, ana)
    assert again.query.id != first.query.id  # its own stored query, with its own rows
    assert [p for p in again.series] == [p for p in first.series]
    assert all(a is b for a, b in zip(again.series, first.series, strict=True))  # reused
    with world.uow() as uow:
        assert list(uow.queries.iter_series(again.query.id)) == list(
            uow.queries.iter_series(first.query.id)
        )
    calls = [c for c, _ in world.providers["om"].calls]
    assert calls.count("forecast_horaria") == 2  # the providers are still asked (cache, quota)


VARIATIONS = {
    "dias": {"days": 4},
    "granularidad": {"granularity": "diaria"},
    "parametros": {"variables": ["temperatura"]},
    "proveedores": {"providers": ["om", "mb"]},
    "zona_horaria": {"timezone": "Europe/Madrid"},
}


@pytest.mark.parametrize("change", VARIATIONS.values(), ids=VARIATIONS.keys())
def test_a_different_request_never_reuses_the_series_of_another(world, ana, change):
    base = _run(world, ana)
    warm = _run(world, ana, **change)
    run_forecast_query.STEPS.clear()
    STEP_MEMO.clear()
    cold = _run(world, ana, **change)
    assert _series(warm) == _series(cold)
    assert _series(warm) != _series(base)


def test_another_place_is_its_own_forecast(world, ana):
    _run(world, ana)
    medellin = {"latitude": 6.25, "longitude": -75.56, "city": "Medellín"}
    warm = _run(world, ana, **medellin)
    run_forecast_query.STEPS.clear()
    STEP_MEMO.clear()
    cold = _run(world, ana, **medellin)
    assert _series(warm) == _series(cold)  # the fakes answer alike everywhere
    assert warm.query.location.city == "Medellín"


def test_a_new_answer_from_a_provider_or_a_new_hour_is_computed_again(world, ana):
    base = _run(world, ana)
    world.providers["om"] = _humid(world, "om", 20.5, DAYS(16), DAYS(16))
    moved = _run(world, ana)
    assert _series(moved) != _series(base)
    assert (
        moved.series[0].consensus["temperatura"].value
        != base.series[0].consensus["temperatura"].value
    )
    world.clock.advance(3600)  # the next hour: the window starts one step later
    later = _run(world, ana)
    assert later.series[0].instant > moved.series[0].instant


def test_other_farm_settings_are_computed_again(world, ana):
    base = _run(world, ana)
    hot = AgroSettings(heat_stress=HeatStressThresholds(alert=20.0, danger=21.0, emergency=22.0))
    warm = _run(world, ana, attrs.evolve(world.run_forecast, agro=hot))
    run_forecast_query.STEPS.clear()
    STEP_MEMO.clear()
    cold = _run(world, ana, attrs.evolve(world.run_forecast, agro=hot))
    assert _series(warm) == _series(cold) != _series(base)


def test_the_fingerprint_tells_an_int_from_a_float_and_a_bool():
    assert len({fingerprint({"t": 1}), fingerprint({"t": 1.0}), fingerprint({"t": True})}) == 3
    assert fingerprint({"t": 1.0}) == fingerprint({"t": 1.0})


def test_inputs_that_do_not_pickle_are_computed_every_time():
    memo: RepeatMemo[int] = RepeatMemo()
    key = fingerprint(lambda: 1)
    assert key is None
    made = iter(range(10))
    assert memo.get(key, lambda: next(made)) == 0
    assert memo.get(key, lambda: next(made)) == 1
    same = fingerprint({"t": 1.0})
    assert memo.get(same, lambda: next(made)) == 2
    assert memo.get(same, lambda: next(made)) == 2
