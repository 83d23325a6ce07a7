"""QueryRepository: queries, results, series and statistics as domain values."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import attrs

from domain.model.consensus import ConsensusValue, Discarded, Reason
from domain.model.forecast import ForecastFacts, ProviderHorizon
from domain.model.horizon import Horizon
from domain.model.location import Location
from domain.model.queries import (
    ExportFormat,
    QueryParameters,
    QueryStatus,
    QueryType,
    SeriesPoint,
    WeatherQuery,
    summarise,
)
from domain.model.readings import Granularity
from domain.model.results import ProviderReport, QueryResult, skipped_report
from domain.model.statistics import CityCount
from ports.repositories import QueryFilter
from tests.contract.conftest import T0, stored_user


def test_queries_series_and_stats(uow_factory):
    owner = stored_user(uow_factory)
    query = WeatherQuery(
        None, owner, QueryType.HISTORY, Location(4.61, -74.08, "Bogotá"), ExportFormat.CSV,
        QueryParameters(("temperatura",)), QueryStatus.PENDING, T0,
        date(2026, 1, 1), date(2026, 1, 2),
    )  # fmt: skip
    with uow_factory() as uow:
        query = uow.queries.add(query)
        uow.commit()
    value = ConsensusValue("temperatura", 14.2, "°C", 14.0, 14.4, 0.2, 2, ("a", "b"), ())
    points = [
        SeriesPoint(datetime(2026, 1, 1, 5, tzinfo=UTC) + timedelta(days=i), {"temperatura": value})
        for i in range(2)
    ]
    query.status = QueryStatus.COMPLETED
    query.response_ms = 120
    with uow_factory() as uow:
        uow.queries.update(query)
        uow.queries.add_series(query.id, points)
        uow.commit()
    with uow_factory() as uow:
        rows = list(uow.queries.iter_series(query.id))
        fast = list(uow.queries.iter_series_values(query.id))
        stats = uow.queries.stats(QueryFilter(user_id=owner))
        page, total = uow.queries.search(QueryFilter(city="BOGOTÁ"), 0, 10)
    assert [r.instant for r in rows] == [p.instant for p in points]
    assert rows[0].consensus["temperatura"].value == 14.2
    assert fast[1].values["temperatura"] == 14.2 and fast[1].values["precipitacion"] is None
    assert stats.by_status == {QueryStatus.COMPLETED: 1} and stats.mean_response_ms == 120
    assert total == 1 and page[0].location.city == "Bogotá"


def _query(owner: int, query_type: QueryType = QueryType.CURRENT, city: str = "Bogotá"):
    return WeatherQuery(
        None, owner, query_type, Location(4.61, -74.08, city), ExportFormat.JSON,
        QueryParameters(("temperatura", "descripcion_clima"), ("a", "c", "k"), extra={"x": 1}),
        QueryStatus.PENDING, T0,
    )  # fmt: skip


def _stored(uow_factory, query: WeatherQuery) -> WeatherQuery:
    with uow_factory() as uow:
        query = uow.queries.add(query)
        uow.commit()
    return query


TEMPERATURE = ConsensusValue(
    "temperatura", 14.25, "°C", 14.0, 14.5, 0.25, 2, ("a", "b"),
    (Discarded("c", Reason.TIMEOUT), Discarded("d", Reason.OUTLIER)),
)  # fmt: skip
SKY = ConsensusValue("descripcion_clima", 3, "", None, None, None, 1, ("a",), ())
ORIGINS = {
    "temperatura": {"a": {"tipo": "modelo"}, "b": {"tipo": "observado", "estacion": "0021"}},
    "descripcion_clima": {"a": {"tipo": "modelo"}},
}
REPORTS = {
    "a": ProviderReport(
        True, kind="modelo", reading_count=1, meta={"latencia_ms": 12, "cache": "hit"},
        instant=datetime(2026, 5, 4, 10, 0, tzinfo=UTC), values={"temperatura": 14.0},
        provenance={"temperatura": {"estacion": "0021"}}, missing={"humedad_relativa": "x"},
    ),
    "c": ProviderReport(False, "timeout", "plazo_global", latency_ms=20000, cache="miss"),
    "k": ProviderReport(False, "sin_clave", "sin_clave"),
}  # fmt: skip


def test_a_current_result_and_provider_reports_come_back_as_they_went_in(uow_factory):
    query = _stored(uow_factory, _query(stored_user(uow_factory)))
    query.status, query.provider_answers = QueryStatus.COMPLETED, REPORTS
    consensus = {"temperatura": TEMPERATURE, "descripcion_clima": SKY}
    result = QueryResult(("a", "b"), consensus, ORIGINS)
    columns = summarise([SeriesPoint(T0, consensus)], ["temperatura", "descripcion_clima"])
    with uow_factory() as uow:
        uow.queries.update(query)
        uow.queries.save_result(query.id, result, columns)
        uow.commit()
    with uow_factory() as uow:
        assert uow.queries.get_result(query.id) == result
        assert uow.queries.get(query.id).provider_answers == REPORTS
        assert uow.queries.get_result(query.id + 1000) is None


def test_a_history_series_streams_back_whole_or_values_only(uow_factory):
    query = _stored(uow_factory, _query(stored_user(uow_factory), QueryType.HISTORY))
    readings = {"a": {"temperatura": 14.0}, "b": {"temperatura": 14.5}}
    points = [
        SeriesPoint(T0.replace(microsecond=0) + timedelta(hours=i), {"temperatura": TEMPERATURE},
                    readings, {"temperatura": ORIGINS["temperatura"]})
        for i in range(3)
    ]  # fmt: skip
    summary = summarise(points, ["temperatura"])
    with uow_factory() as uow:
        uow.queries.add_series(query.id, points)
        uow.queries.save_result(query.id, QueryResult(("a", "b"), summary=summary), summary)
        uow.commit()
    with uow_factory() as uow:
        assert list(uow.queries.iter_series(query.id, limit=2)) == points[:2]
        plain = list(uow.queries.iter_series_values(query.id))
        detailed = list(uow.queries.iter_series_values(query.id, with_readings=True))
        assert uow.queries.get_result(query.id) == QueryResult(("a", "b"), summary=summary)
        assert uow.queries.count_series(query.id) == 3
    assert [v.instant for v in plain] == [p.instant for p in points]
    assert plain[0].values["temperatura"] == 14.25 and plain[0].readings is None
    assert plain[0].values["precipitacion"] is None
    assert detailed[2].readings == readings


def test_statistics_totals_reports_and_per_user_rows(uow_factory):
    owner = stored_user(uow_factory)
    other = stored_user(uow_factory, "luis", "luis@ejemplo.co")
    for city, status, ms in (("Cali", QueryStatus.COMPLETED, 100), ("Bogotá", QueryStatus.ERROR,
                             None), ("Cali", QueryStatus.COMPLETED, 201)):  # fmt: skip
        query = _stored(uow_factory, _query(owner, city=city))
        query.status, query.response_ms, query.provider_answers = status, ms, REPORTS
        with uow_factory() as uow:
            uow.queries.update(query)
            uow.commit()
    with uow_factory() as uow:
        stats = uow.queries.stats(QueryFilter(user_id=owner))
        answers = list(uow.queries.answers(QueryFilter(status=QueryStatus.COMPLETED)))
        rows = uow.queries.per_user(QueryFilter(user_id=owner))
        nothing = uow.queries.stats(QueryFilter(user_id=other))
    assert (stats.total, stats.completed, stats.errors, stats.mean_response_ms) == (3, 2, 1, 150.5)
    assert stats.by_type == {QueryType.CURRENT: 3} and stats.last_query_at == T0
    assert stats.top_cities == (CityCount("Cali", 2), CityCount("Bogotá", 1))
    assert answers == [REPORTS, REPORTS]
    assert [(r.username, r.total, r.completed, r.last_query_at) for r in rows] == [
        ("Ana_Rios", 3, 2, T0),
        ("luis", 0, 0, None),
    ]
    assert (nothing.total, nothing.success_rate, nothing.last_query_at) == (0, None, None)


def test_the_parameters_asked_come_back_as_they_were_asked(uow_factory):
    asked = QueryParameters(("temperatura",), ("a", "b"), Granularity.HOURLY, "America/Bogota")
    query = _query(stored_user(uow_factory), QueryType.HISTORY)
    query.parameters = asked
    query = _stored(uow_factory, query)
    with uow_factory() as uow:
        assert uow.queries.get(query.id).parameters == asked


def test_unfinished_queries_older_than_the_cutoff_are_abandoned(uow_factory):
    """Issue 12.7: a query whose worker died does not stay procesando for ever."""
    owner = stored_user(uow_factory)
    old = _stored(uow_factory, _query(owner))
    running = _stored(uow_factory, attrs.evolve(_query(owner), created_at=T0 + timedelta(hours=1)))
    done = _stored(uow_factory, attrs.evolve(_query(owner), status=QueryStatus.COMPLETED))
    for q in (old, running):
        q.status = QueryStatus.PROCESSING
        with uow_factory() as uow:
            uow.queries.update(q)
            uow.commit()
    at = T0 + timedelta(hours=1, seconds=30)
    with uow_factory() as uow:
        assert uow.queries.abandon_stale(T0 + timedelta(minutes=59), at) == 1
        uow.commit()
    with uow_factory() as uow:
        gone, alive, kept = (uow.queries.get(q.id) for q in (old, running, done))
    assert (gone.status, gone.error_code) == (QueryStatus.ERROR, "abandonada")
    assert gone.completed_at == at.replace(microsecond=gone.completed_at.microsecond)
    assert alive.status is QueryStatus.PROCESSING
    assert kept.status is QueryStatus.COMPLETED


def test_farm_values_keep_their_band_and_derivation_when_stored(uow_factory):
    query = _stored(uow_factory, _query(stored_user(uow_factory), QueryType.HISTORY))
    ith = ConsensusValue("ith", 79.84, "", 79.8, 79.9, 0.05, 2, ("a", "b"), (), "peligro")
    frost = ConsensusValue("riesgo_helada", 3, "nivel", 3, 3, 0.0, 1, ("a",), (), "alto")
    derived = {"tipo": "derivado", "metodo": "nrc_1971", "tipo_entradas": "modelo"}
    origins = {"ith": {"a": derived, "b": derived}, "riesgo_helada": {"a": {"tipo": "derivado"}}}
    point = SeriesPoint(
        T0.replace(microsecond=0), {"ith": ith, "riesgo_helada": frost}, {}, origins
    )
    with uow_factory() as uow:
        uow.queries.add_series(query.id, [point])
        uow.commit()
    with uow_factory() as uow:
        (back,) = uow.queries.iter_series(query.id)
    assert back.consensus == point.consensus and back.origins == origins


def test_a_forecast_keeps_its_facts_series_and_skipped_providers(uow_factory):
    owner = stored_user(uow_factory)
    params = QueryParameters(
        ("probabilidad_precipitacion",), ("om",), Granularity.HOURLY, "America/Bogota",
        extra={"dias": 2},
    )  # fmt: skip
    query = attrs.evolve(_query(owner, QueryType.FORECAST), parameters=params)
    query = _stored(uow_factory, query)
    chance = ConsensusValue(
        "probabilidad_precipitacion", 40.0, "%", 40.0, 40.0, 0.0, 1, ("om",), ()
    )
    point = SeriesPoint(
        datetime(2026, 1, 1, 17, tzinfo=UTC), {"probabilidad_precipitacion": chance}
    )
    facts = ForecastFacts(
        T0,
        point.instant,
        {"om": ProviderHorizon(T0 + timedelta(days=16), Horizon(16, "dias"), "best_match")},
    )
    reports = {
        "om": ProviderReport(ok=True, kind="modelo"),
        "ideam": skipped_report("no_soportado"),
    }
    query.status, query.provider_answers = QueryStatus.COMPLETED, reports
    with uow_factory() as uow:
        uow.queries.update(query)
        uow.queries.add_series(query.id, [point])
        uow.queries.save_result(query.id, QueryResult(("om",), forecast=facts), {})
        uow.commit()
    with uow_factory() as uow:
        result = uow.queries.get_result(query.id)
        fast = list(uow.queries.iter_series_values(query.id))
        back = uow.queries.get(query.id)
        page, total = uow.queries.search(QueryFilter(query_type=QueryType.FORECAST), 0, 10)
        stats = uow.queries.stats(QueryFilter(user_id=owner))
    assert result.forecast == facts
    assert fast[0].values["probabilidad_precipitacion"] == 40.0
    assert back.parameters == params and back.query_type is QueryType.FORECAST
    assert back.provider_answers["ideam"].skipped and not back.provider_answers["ideam"].ok
    assert total == 1 and page[0].id == query.id
    assert stats.by_type == {QueryType.FORECAST: 1}


def test_a_forecasts_alerts_come_back_as_they_went_in(uow_factory):
    from domain.model.agro.alerts import Alert, AlertType

    query = _stored(uow_factory, _query(stored_user(uow_factory), QueryType.FORECAST))
    facts = ForecastFacts(T0, None, {})
    alerts = (
        Alert(AlertType.HEAT_STRESS, "peligro", T0, T0 + timedelta(hours=5), 81.5, "ith",
              "Estrés calórico (peligro) para el ganado"),
        Alert(AlertType.FROST, "alto", T0 + timedelta(days=1), T0 + timedelta(days=2), 3.0,
              "riesgo_helada", "Riesgo de helada alto"),
    )  # fmt: skip
    result = QueryResult(("om",), forecast=facts, alerts=alerts)
    with uow_factory() as uow:
        uow.queries.save_result(query.id, result, {})
        uow.commit()
    with uow_factory() as uow:
        assert uow.queries.get_result(query.id).alerts == alerts
