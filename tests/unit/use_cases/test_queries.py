"""Running, reading, listing, exporting and counting weather queries, called directly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import (
    Conflict,
    NoProviderCanAnswer,
    NoReadings,
    NotFound,
    PermissionDenied,
    QuotaExceeded,
    ValidationError,
)
from domain.model.consensus import Reason
from domain.model.queries import QueryStatus
from domain.model.readings import Granularity
from domain.model.statistics import Scope
from domain.model.users import Role
from domain.use_cases.export_query import ExportQueryCommand
from domain.use_cases.list_queries import ListQueriesCommand
from domain.use_cases.manage_api_keys import ApiKeyCommand
from domain.use_cases.manage_favorites import FavoriteCommand
from domain.use_cases.run_current_query import RunCurrentQueryCommand
from domain.use_cases.run_history_query import RunHistoryQueryCommand
from tests.fakes import FakeProvider
from tests.unit.use_cases.conftest import CLIENT

BOGOTA = {"latitude": 4.60971, "longitude": -74.08175, "city": "Bogotá"}


def current(world, principal, **body):
    return world.run_current(RunCurrentQueryCommand(principal, **{**BOGOTA, **body}))


def history(world, principal, **body):
    fields = {"start_date": "2026-02-01", "end_date": "2026-02-03", "granularity": "diaria"}
    return world.run_history(RunHistoryQueryCommand(principal, **{**BOGOTA, **fields, **body}))


def test_a_current_query_combines_every_provider_and_is_stored_completed(world):
    world.providers["b"] = FakeProvider("b", {"temperatura": 15.0})
    world.providers["c"] = FakeProvider("c", fail=(Reason.TIMEOUT, "lento"))
    ana = world.user("ana")
    result = current(world, ana, variables=["temperatura"], client=CLIENT)
    assert result.consensus["temperatura"].value == 14.5
    assert result.query.status is QueryStatus.COMPLETED
    stored = world.get_query(ana, result.query.id)
    assert stored.query.status is QueryStatus.COMPLETED and stored.query.client_ip == "10.0.0.7"
    assert stored.result.sources_used == ("a", "b")
    assert stored.query.provider_answers["b"].values == {"temperatura": 15.0}
    assert (stored.query.provider_answers["c"].reason, stored.query.provider_answers["c"].code) == (
        "timeout",
        "lento",
    )
    assert world.actions() == ["consulta_tiempo_real"]
    assert world.store.activity[0].detail == {"query_id": result.query.id, "city": "Bogotá"}


def test_a_query_without_a_location_uses_the_default_favourite_or_geocodes(world):
    ana = world.user("ana")
    with pytest.raises(ValidationError) as caught:
        world.run_current(RunCurrentQueryCommand(ana))
    assert caught.value.details == {"ciudad": "obligatoria"}
    world.favorites.create(FavoriteCommand(ana, "Cali", 3.45, -76.53, is_default=True))
    assert world.run_current(RunCurrentQueryCommand(ana)).where.location.latitude == 3.45
    found = world.run_current(RunCurrentQueryCommand(ana, city="Medellín"))
    assert found.where.chosen.admin1 == "Antioquia" and len(found.where.alternatives) == 1
    with pytest.raises(NotFound):
        world.run_current(RunCurrentQueryCommand(ana, city="Atlántida"))


@pytest.mark.parametrize(
    ("providers", "error", "code"),
    [
        (
            {"k": FakeProvider("k", {"temperatura": 1.0}, needs_key=True)},
            NoProviderCanAnswer,
            "proveedores_no_aplicables",
        ),
        (
            {"x": FakeProvider("x", fail=(Reason.ERROR, "http_500"))},
            NoReadings,
            "sin_respuesta_de_proveedores",
        ),
    ],
)
def test_when_no_provider_answers_the_query_is_stored_as_error(world, providers, error, code):
    world.providers = providers
    ana = world.user("ana")
    with pytest.raises(error):
        current(world, ana)
    page = world.list_queries(ListQueriesCommand(ana))
    assert [(q.status, q.error_code) for q in page.items] == [(QueryStatus.ERROR, code)]
    assert world.actions()[-1] == "consulta_error"
    assert world.store.activity[-1].detail["code"] == code


def test_providers_that_cannot_cover_the_place_are_not_a_retryable_failure(world):
    world.providers = {
        "ideam": FakeProvider("ideam", fail=(Reason.OUT_OF_COVERAGE, "sin_estaciones_cercanas")),
        "siata": FakeProvider("siata", fail=(Reason.OUT_OF_COVERAGE, "fuera_del_valle_de_aburra")),
    }
    ana = world.user("ana")
    with pytest.raises(NoProviderCanAnswer) as caught:
        current(world, ana, latitude=0.0, longitude=0.0)
    assert caught.value.details == {"ideam": "fuera_de_cobertura", "siata": "fuera_de_cobertura"}
    listed = world.list_queries(ListQueriesCommand(ana)).items[0]
    stored = world.get_query(ana, listed.id).query  # a listing does not carry the answers
    assert stored.error_code == "proveedores_no_aplicables"
    assert stored.provider_answers["siata"].code == "fuera_del_valle_de_aburra"


def test_a_history_range_no_asked_provider_serves_is_not_retryable(world):
    world.providers = {"a": FakeProvider("a", fail=(Reason.ERROR, "rango_no_soportado"))}
    ana = world.user("ana")
    with pytest.raises(NoProviderCanAnswer) as caught:
        history(world, ana)
    assert caught.value.details == {"a": "rango_no_soportado"}
    world.providers = {"a": FakeProvider("a", {"temperatura": 1.0}, history=False)}
    with pytest.raises(NoProviderCanAnswer) as caught:
        history(world, ana, providers=["a"])
    assert caught.value.details == {"proveedores": "no_soportado"}


def test_a_timeout_beside_a_provider_out_of_coverage_is_worth_a_retry(world):
    world.providers = {
        "ideam": FakeProvider("ideam", fail=(Reason.OUT_OF_COVERAGE, "sin_estaciones_cercanas")),
        "lento": FakeProvider("lento", fail=(Reason.TIMEOUT, "timeout")),
    }
    with pytest.raises(NoReadings) as caught:
        current(world, world.user("ana"))
    assert caught.value.retry_after > 0


def test_spent_quotas_are_a_429_until_local_midnight_and_charged_per_call(world):
    world.providers = {"k": FakeProvider("k", {"temperatura": 1.0}, needs_key=True)}
    ana = world.user("ana")
    view = world.keys.create(ApiKeyCommand(ana, "k", "clave-1234", daily_limit=1))
    assert current(world, ana).consensus["temperatura"].value == 1.0
    with pytest.raises(QuotaExceeded) as caught:
        current(world, ana)
    assert caught.value.retry_after == 41_401  # 17:30 UTC is 12:30 in Bogotá: 11.5 h + 1 s
    assert world.keys.get(ana, view.key.id).used_today == 1


def test_an_unexpected_failure_leaves_the_row_marked_error_interno(world):
    class Broken(FakeProvider):
        def current(self, *args):
            raise RuntimeError("se rompió")

    world.providers = {"r": Broken("r")}
    ana = world.user("ana")
    with pytest.raises(RuntimeError):
        current(world, ana)
    stored = world.list_queries(ListQueriesCommand(ana)).items[0]
    assert (stored.status, stored.error_code) == (QueryStatus.ERROR, "error_interno")


def test_a_history_query_aligns_timesteps_summarises_and_keeps_the_series(world):
    world.providers["b"] = FakeProvider("b", {"temperatura": 16.0})
    ana = world.user("ana")
    result = history(world, ana, variables=["temperatura"])
    assert result.total_points == 3 and len(result.series) == 3
    assert result.series[0].instant == datetime(2026, 2, 1, 5, tzinfo=UTC)
    assert result.summary["temperatura"].mean == 15.0 and result.summary["temperatura"].count == 3
    stored = world.get_query(ana, result.query.id)
    assert stored.total_points == 3 and stored.result.summary["temperatura"].mean == 15.0
    assert stored.series[1].by_provider == {"a": {"temperatura": 14.0}, "b": {"temperatura": 16.0}}
    assert stored.query.parameters.granularity is Granularity.DAILY


def test_a_history_range_is_checked_before_any_provider_is_called(world):
    ana = world.user("ana")
    with pytest.raises(ValidationError) as caught:
        history(world, ana, end_date="2026-03-05")
    assert caught.value.details == {"fecha_fin": "futura"}
    with pytest.raises(ValidationError):
        history(world, ana, start_date="2000-01-01", granularity="horaria")
    assert world.providers["a"].calls == [] and world.store.queries == {}


def test_others_queries_look_missing_and_consultores_see_only_completed_ones(world):
    ana, luis = world.user("ana"), world.user("luis")
    viewer, admin = world.user("vera", Role.VIEWER), world.user("jefa", Role.ADMIN)
    done = current(world, ana).query
    world.providers["a"].fail = (Reason.ERROR, "http_500")
    with pytest.raises(NoReadings):
        current(world, ana)
    with pytest.raises(NotFound):
        world.get_query(luis, done.id)
    assert world.get_query(viewer, done.id).query.id == done.id
    assert world.list_queries.everyone(ListQueriesCommand(viewer)).total == 1
    assert world.list_queries.everyone(ListQueriesCommand(admin)).total == 2
    with pytest.raises(PermissionDenied):
        world.list_queries.everyone(ListQueriesCommand(viewer, status="error"))
    with pytest.raises(PermissionDenied):
        world.list_queries.everyone(ListQueriesCommand(ana))
    mine = world.list_queries(ListQueriesCommand(ana, status="completada", city="BOGOTÁ"))
    assert [q.id for q in mine.items] == [done.id]


def test_a_completed_query_downloads_and_an_unfinished_one_is_a_conflict(world):
    ana = world.user("ana")
    result = history(world, ana, variables=["temperatura"], export_format="csv")
    download = world.export(ExportQueryCommand(ana, result.query.id, separator=";"))
    assert (download.filename, download.media_type) == (
        f"consulta_{result.query.id}.csv",
        "text/csv",
    )
    text = "".join(download.chunks)
    assert "14" in text and text.count("2026-02-0") >= 3
    with world.uow() as uow:
        query = uow.queries.get(result.query.id)
        query.status = QueryStatus.PROCESSING
        uow.queries.update(query)
        uow.commit()
    with pytest.raises(Conflict):
        world.export(ExportQueryCommand(ana, result.query.id))
    with pytest.raises(ValidationError):
        world.export(ExportQueryCommand(ana, result.query.id, export_format="pdf"))


def test_statistics_count_own_queries_or_everyone_s_with_providers_and_quotas(world):
    world.providers["c"] = FakeProvider("c", fail=(Reason.TIMEOUT, "lento"))
    ana, viewer = world.user("ana"), world.user("vera", Role.VIEWER)
    current(world, ana)
    history(world, ana)
    own = world.statistics(ana, "2026-03-01", None)
    assert (own.scope, own.since, own.queries.total, own.queries.completed) == (
        Scope.OWN,
        "2026-03-01",
        2,
        2,
    )
    assert own.queries.success_rate == 1.0 and own.per_user is None
    assert own.providers["c"].calls == 2 and own.providers["c"].timeouts == 2
    assert [c.city for c in own.queries.top_cities] == ["Bogotá"]
    everyone = world.statistics(viewer, None, None)
    assert everyone.scope is Scope.GLOBAL
    assert [(u.username, u.total) for u in everyone.per_user][:2] == [("ana", 2), ("vera", 0)]
    with pytest.raises(ValidationError):
        world.statistics(ana, "2026-03-02", "2026-03-01")
