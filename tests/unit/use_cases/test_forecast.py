"""RunForecastQuery over the memory adapters: steps, horizons, daily values, failures, storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import NoProviderCanAnswer, NoReadings, PermissionDenied, ValidationError
from domain.model.consensus import Reason
from domain.model.horizon import Horizon, HorizonUnit
from domain.model.queries import QueryLimits, QueryStatus, QueryType
from domain.model.users import Role
from domain.use_cases.list_queries import ListQueriesCommand
from domain.use_cases.run_forecast_query import RunForecastQueryCommand
from tests.fakes import FakeForecaster, FakeProvider
from tests.unit.use_cases.conftest import World

BOGOTA = {"latitude": 4.60971, "longitude": -74.08175, "city": "Bogotá"}
NOW = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)  # 12:30 in Bogotá
HOURS = lambda n: Horizon(n, HorizonUnit.HOURS)  # noqa: E731
DAYS = lambda n: Horizon(n, HorizonUnit.DAYS)  # noqa: E731


def forecaster(world, name, temperature, hourly=None, daily=None, **keywords):
    return FakeForecaster(
        name, {"temperatura": temperature, "precipitacion": 1.0}, world.clock, hourly, daily,
        **keywords,
    )  # fmt: skip


@pytest.fixture
def world() -> World:
    w = World()
    w.providers = {
        "om": forecaster(w, "om", 20.0, DAYS(16), DAYS(16), daily_values={"temperatura_max": 25}),
        "owm": forecaster(w, "owm", 21.0, HOURS(48), DAYS(8), daily_values={"temperatura": 21}),
        "mb": forecaster(w, "mb", 22.0, DAYS(7), DAYS(7), daily_values={"temperatura": 22.0}),
        "ideam": FakeProvider("ideam", {"temperatura": 30.0}),
    }
    return w


def forecast(world, principal, **body):
    return world.run_forecast(RunForecastQueryCommand(principal, **{**BOGOTA, **body}))


def test_hourly_sources_fall_at_each_providers_horizon(world):
    world.limits = QueryLimits(inline_series=1000)
    result = forecast(world, world.user("ana"), days=16, variables=["temperatura"])
    assert result.total_points == len(result.series) == 12 + 15 * 24  # from 12:00 local
    first = result.series[0].instant
    assert first == datetime(2026, 3, 1, 17, tzinfo=UTC)  # from the hour of issue
    by_lead = {
        (p.instant - first) // timedelta(hours=1): p.consensus["temperatura"] for p in result.series
    }
    assert by_lead[0].source_count == 3
    assert by_lead[47].source_count == 3 and by_lead[48].source_count == 2  # OWM's 48 h
    past_owm = by_lead[48].discarded
    assert [(d.source, d.reason) for d in past_owm] == [("owm", Reason.OUT_OF_HORIZON)]
    # Meteoblue's 7 local days end at midnight Bogotá (05:00 UTC) of day 8.
    end_mb = datetime(2026, 3, 8, 5, tzinfo=UTC)
    steps = {p.instant: p.consensus["temperatura"] for p in result.series}
    assert steps[end_mb - timedelta(hours=1)].source_count == 2
    assert steps[end_mb].sources == ("om",)
    # Open-Meteo's 16 days: the last step is the last hour of the 16th local day.
    assert result.series[-1].instant == datetime(2026, 3, 17, 4, tzinfo=UTC)
    assert result.facts.effective_horizon == result.series[-1].instant


def test_the_answer_says_who_was_not_asked_and_each_providers_reach(world):
    result = forecast(world, world.user("ana"), days=2)
    answers = result.query.provider_answers
    assert answers["ideam"].skipped and answers["ideam"].code == "no_soportado"
    assert [c for c, _ in world.providers["ideam"].calls] == []
    assert result.query.parameters.providers == ("om", "owm", "mb")
    assert result.query.parameters.extra == {"dias": 2}
    reach = result.facts.horizons
    assert reach["owm"].limit == datetime(2026, 3, 3, 17, tzinfo=UTC)
    assert reach["om"].model == "fake_model"
    assert answers["owm"].meta["limite"] == "2026-03-03T17:00:00+00:00"
    assert result.query.query_type is QueryType.FORECAST
    assert (result.query.start_date.isoformat(), result.query.end_date.isoformat()) == (
        "2026-03-01",
        "2026-03-02",
    )


def test_daily_steps_use_each_providers_days_and_fill_what_they_lack_from_hours(world):
    result = forecast(
        world, world.user("ana"), days=10, granularity="diaria",
        variables=["temperatura", "temperatura_max"],
    )  # fmt: skip
    days = result.series
    assert len(days) == 10 and days[0].instant == datetime(2026, 3, 1, 5, tzinfo=UTC)
    first, eighth, ninth = days[0], days[7], days[8]
    # om has no daily mean: built from its hours, for complete local days only (today is not).
    assert first.consensus["temperatura"].sources == ("mb", "owm")
    assert days[1].consensus["temperatura"].sources == ("mb", "om", "owm")
    assert days[1].origins["temperatura"]["om"]["de_horas"] == 24
    assert eighth.consensus["temperatura"].sources == ("om", "owm")  # past mb's 7 days
    assert ninth.consensus["temperatura"].sources == ("om",)  # past owm's 8 days
    assert ninth.consensus["temperatura_max"].value == 25


@pytest.mark.parametrize(
    "body, field",
    [
        ({"days": 0}, "dias"),
        ({"days": 17}, "dias"),
        ({"days": "7"}, "dias"),
        ({"days": True}, "dias"),
        ({"granularity": "semanal"}, "granularidad"),
        ({"variables": ["nieve"]}, "parametros"),
        ({"timezone": "Marte/Base"}, "zona_horaria"),
    ],
)
def test_bad_input_is_refused_before_any_provider_is_called(world, body, field):
    with pytest.raises(ValidationError) as error:
        forecast(world, world.user("ana"), **body)
    assert field in error.value.details
    assert all(not p.calls for p in world.providers.values())
    assert world.store.queries == {} or not world.store.queries


def test_a_consultor_may_not_run_a_forecast(world):
    with pytest.raises(PermissionDenied):
        forecast(world, world.user("carla", Role.VIEWER))


def test_only_non_forecasting_providers_is_not_retryable(world):
    with pytest.raises(NoProviderCanAnswer) as error:
        forecast(world, world.user("ana"), providers=["ideam"])
    assert error.value.details == {"ideam": "no_soportado"}


def test_every_forecaster_failing_is_a_retryable_failure_stored_as_error(world):
    for name in ("om", "owm", "mb"):
        world.providers[name].fail = (Reason.TIMEOUT, "timeout")
    with pytest.raises(NoReadings):
        forecast(world, world.user("ana"))
    (stored,) = world.store.queries.values()
    assert stored.status is QueryStatus.ERROR and stored.query_type is QueryType.FORECAST


def test_a_failed_provider_is_discarded_with_its_reason_within_its_horizon(world):
    world.providers["owm"].fail = (Reason.TIMEOUT, "plazo")
    result = forecast(world, world.user("ana"), days=3, variables=["temperatura"])
    early, late = result.series[0].consensus["temperatura"], result.series[-1].consensus
    assert ("owm", Reason.TIMEOUT) in [(d.source, d.reason) for d in early.discarded]
    assert ("owm", Reason.OUT_OF_HORIZON) in [
        (d.source, d.reason) for d in late["temperatura"].discarded
    ]


def test_a_stored_forecast_is_listed_by_type_and_keeps_its_series_and_facts(world):
    ana = world.user("ana")
    forecast(world, ana, days=2, variables=["temperatura"])
    page = world.list_queries(ListQueriesCommand(ana, query_type="pronostico"))
    (query,) = page.items
    assert query.query_type is QueryType.FORECAST
    stored = world.get_query(ana, query.id)
    assert stored.total_points == 12 + 24  # 12:00..23:00 today and all of tomorrow
    assert stored.result.forecast.horizons["owm"].horizon == HOURS(48)
