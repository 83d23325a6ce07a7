"""The rules that used to hide inside use cases, tested on their own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.errors import (
    Conflict,
    NoProviderCanAnswer,
    NoReadings,
    QuotaExceeded,
)
from domain.model.activity import Action, audit
from domain.model.api_keys import ProbeOutcome, masked, probe_outcome
from domain.model.auth_policy import AuthPolicy
from domain.model.consensus import Reason
from domain.model.failures import no_readings_error, stored_code
from domain.model.location import Location
from domain.model.permissions import Principal, may_read_query
from domain.model.queries import (
    ExportFormat,
    ProviderOutcome,
    QueryStatus,
    QueryType,
    WeatherQuery,
)
from domain.model.readings import Granularity, Reading, TimeRange
from domain.model.results import ProviderReport, report_of
from domain.model.series import build_series, failures, timestep_key
from domain.model.statistics import provider_stats
from domain.model.tokens import ClientInfo, is_forgiven_retry, issued_before
from domain.model.users import (
    Role,
    User,
    UserChanges,
    check_not_last_admin,
    removes_an_admin,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def user(role: Role = Role.ADMIN, active: bool = True) -> User:
    return User(1, "jefa", "jefa@ejemplo.co", "h", role, active, T0)


@pytest.mark.parametrize(
    ("who", "role", "active", "removes"),
    [
        (user(), Role.OPERATOR, None, True),
        (user(), None, False, True),
        (user(), Role.ADMIN, True, False),
        (user(), None, None, False),
        (user(active=False), Role.OPERATOR, None, False),
        (user(Role.OPERATOR), None, False, False),
    ],
)
def test_removing_an_admin_is_a_demotion_or_deactivation_of_an_active_admin(
    who, role, active, removes
):
    assert removes_an_admin(who, role, active) is removes


def test_the_last_active_admin_stays():
    with pytest.raises(Conflict) as caught:
        check_not_last_admin(1)
    assert caught.value.code == "ultimo_administrador"
    check_not_last_admin(2)


def test_user_changes_apply_and_list_only_what_was_given():
    changes = UserChanges(role=Role.VIEWER, clears_full_name=True)
    target = user()
    target.full_name = "Jefa"
    changes.apply(target)
    assert (target.role, target.full_name, target.active) == (Role.VIEWER, None, True)
    assert changes.given() == {"role": "consultor", "full_name": None}
    assert UserChanges().given() == {}


@pytest.mark.parametrize(
    ("used_seconds_ago", "forgiven"), [(None, False), (0, True), (10, True), (10.5, False)]
)
def test_a_refresh_retry_is_forgiven_only_inside_the_grace_window(used_seconds_ago, forgiven):
    used_at = None if used_seconds_ago is None else T0 - timedelta(seconds=used_seconds_ago)
    assert is_forgiven_retry(used_at, T0, 10) is forgiven


def test_tokens_issued_before_the_account_cut_are_dead():
    assert issued_before(T0.timestamp() - 1, T0)
    assert not issued_before(T0.timestamp(), T0)
    assert not issued_before(0, None)


def test_the_throttle_waits_until_the_oldest_counted_failure_leaves_the_window():
    policy = AuthPolicy(max_failures=2, failure_window=900)
    failures_ = [T0 - timedelta(seconds=600), T0 - timedelta(seconds=60)]
    assert policy.wait([failures_[:1]], T0) is None
    assert policy.wait([failures_[:1], failures_], T0) == 300
    assert policy.window_start(T0) == T0 - timedelta(seconds=900)


def test_timesteps_align_on_the_utc_hour_or_the_local_midnight():
    hourly = TimeRange(date(2026, 1, 1), date(2026, 1, 1), Granularity.HOURLY, "America/Bogota")
    daily = TimeRange(date(2026, 1, 1), date(2026, 1, 1), Granularity.DAILY, "America/Bogota")
    instant = datetime(2026, 1, 1, 14, 45, 30, tzinfo=UTC)
    assert timestep_key(instant, hourly) == datetime(2026, 1, 1, 14, tzinfo=UTC)
    assert timestep_key(instant, daily) == datetime(2026, 1, 1, 5, tzinfo=UTC)


def test_a_series_keeps_only_the_range_and_marks_silent_sources():
    time_range = TimeRange(date(2026, 1, 1), date(2026, 1, 1), Granularity.DAILY, "UTC")
    inside = Reading(datetime(2026, 1, 1, 6, tzinfo=UTC), {"temperatura": 10.0})
    outside = Reading(datetime(2026, 1, 2, 0, tzinfo=UTC), {"temperatura": 99.0})
    outcomes = {
        "a": ProviderOutcome("a", kind="modelo", readings=(inside, outside)),
        "b": ProviderOutcome("b", kind="modelo"),
        "c": ProviderOutcome("c", reason=Reason.TIMEOUT, code="lento"),
    }
    assert failures(outcomes) == {"b": Reason.NO_DATA, "c": Reason.TIMEOUT}
    points = build_series({"a": outcomes["a"]}, outcomes, time_range, ["temperatura"])
    assert [p.instant for p in points] == [datetime(2026, 1, 1, tzinfo=UTC)]
    value = points[0].consensus["temperatura"]
    assert value.value == 10.0 and {d.source for d in value.discarded} == {"b", "c"}


def failed(**reasons: tuple[str, str]) -> dict[str, ProviderReport]:
    return {name: ProviderReport(False, reason, code) for name, (reason, code) in reasons.items()}


def test_the_error_for_no_readings_depends_on_why_nobody_answered():
    no_key = no_readings_error(failed(k=("sin_clave", "sin_clave")), T0, "UTC")
    assert isinstance(no_key, NoProviderCanAnswer) and no_key.details == {"k": "sin_clave"}
    spent = no_readings_error(
        failed(a=("cuota_agotada", "cuota_agotada"), b=("sin_clave", "sin_clave")), T0, "UTC"
    )
    assert isinstance(spent, QuotaExceeded) and spent.retry_after == 12 * 3600 + 1
    passing = failed(a=("timeout", "timeout"), b=("cuota_agotada", "cuota_agotada"))
    assert isinstance(no_readings_error(passing, T0, "UTC"), NoReadings)


@pytest.mark.parametrize(
    ("reason", "code", "cause"),
    [
        ("fuera_de_cobertura", "fuera_del_valle_de_aburra", "fuera_de_cobertura"),
        ("fuera_de_cobertura", "sin_estaciones_cercanas", "fuera_de_cobertura"),
        ("sin_clave", "sin_clave", "sin_clave"),
        ("clave_invalida", "http_401", "clave_invalida"),
        ("error", "no_soportado", "no_soportado"),
        ("error", "rango_no_soportado", "rango_no_soportado"),
        ("error", "rango_invalido", "rango_invalido"),
    ],
)
def test_a_permanent_reason_everywhere_is_a_422_without_retry(reason, code, cause):
    reports = failed(ideam=(reason, code), siata=("fuera_de_cobertura", "sin_estaciones_cercanas"))
    error = no_readings_error(reports, T0, "UTC")
    assert isinstance(error, NoProviderCanAnswer)
    assert not hasattr(error, "retry_after")
    assert error.details == {"ideam": cause, "siata": "fuera_de_cobertura"}
    assert stored_code(error) == error.code == "proveedores_no_aplicables"


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        ("timeout", "timeout"),
        ("timeout", "plazo_global"),
        ("error", "http_500"),
        ("error", "conexion"),
        ("error", "sin_datos"),
        ("desactualizado", "desactualizado"),
    ],
)
def test_one_passing_failure_among_permanent_ones_is_still_worth_a_retry(reason, code):
    reports = failed(ideam=("fuera_de_cobertura", "sin_estaciones_cercanas"), x=(reason, code))
    error = no_readings_error(reports, T0, "UTC")
    assert isinstance(error, NoReadings) and error.retry_after > 0
    assert stored_code(error) == "sin_respuesta_de_proveedores"


def test_no_provider_asked_at_all_is_not_retryable_either():
    error = no_readings_error({}, T0, "UTC")
    assert isinstance(error, NoProviderCanAnswer)
    assert error.details == {"proveedores": "no_soportado"}


def test_a_spent_quota_beside_permanent_reasons_waits_for_the_quota_day():
    reports = failed(
        k=("cuota_agotada", "cuota_agotada"), ideam=("fuera_de_cobertura", "sin_estaciones")
    )
    error = no_readings_error(reports, T0, "UTC")
    assert isinstance(error, QuotaExceeded) and stored_code(error) == "cuota_agotada"


def query(owner: int, status: QueryStatus) -> WeatherQuery:
    return WeatherQuery(
        1, owner, QueryType.CURRENT, Location(4.6, -74.1), ExportFormat.JSON, {}, status, T0
    )


@pytest.mark.parametrize(
    ("role", "status", "visible"),
    [
        (Role.ADMIN, QueryStatus.ERROR, True),
        (Role.VIEWER, QueryStatus.COMPLETED, True),
        (Role.VIEWER, QueryStatus.ERROR, False),
        (Role.OPERATOR, QueryStatus.COMPLETED, False),
    ],
)
def test_who_may_read_someone_else_s_query(role, status, visible):
    principal = Principal(2, "x", role, "t", "f", 0.0)
    assert may_read_query(principal, query(1, status)) is visible
    assert may_read_query(Principal(1, "x", Role.OPERATOR, "t", "f", 0.0), query(1, status))
    assert not may_read_query(principal, None)


def test_a_report_keeps_the_failure_or_the_answer_and_never_a_key():
    failed = ProviderOutcome("a", reason=Reason.TIMEOUT, code="lento", meta={"latency_ms": 5})
    assert report_of(failed) == ProviderReport(False, "timeout", "lento", latency_ms=5)
    reading = Reading(T0, {"temperatura": 1.0}, missing_reasons={"humedad_relativa": "x"})
    ok = ProviderOutcome("b", kind="modelo", readings=(reading,), meta={"cache": "hit"})
    short, full = report_of(ok), report_of(ok, with_reading=True)
    assert (short.reading_count, short.values, short.instant) == (1, None, None)
    assert (full.values, full.instant, full.missing) == (
        {"temperatura": 1.0},
        T0,
        {"humedad_relativa": "x"},
    )


def test_provider_stats_count_calls_errors_latency_and_cache_but_not_uncalled_ones():
    answers = [
        {"a": ProviderReport(True, meta={"latencia_ms": 100, "cache": "hit"})},
        {
            "a": ProviderReport(False, "timeout", "lento", latency_ms=300, cache="miss"),
            "k": ProviderReport(False, "sin_clave", "sin_clave"),
        },
    ]
    stats = provider_stats(answers)
    assert list(stats) == ["a"]
    a = stats["a"]
    assert (a.calls, a.errors, a.timeouts, a.mean_latency_ms, a.cache_hit_ratio) == (
        2,
        1,
        1,
        200.0,
        0.5,
    )


def test_every_audit_entry_comes_from_one_factory():
    entry = audit(Action.LOGIN, 3, T0, ClientInfo("1.2.3.4", "ua"), username="ana")
    assert (entry.action, entry.user_id, entry.occurred_at, entry.ip, entry.user_agent) == (
        "login",
        3,
        T0,
        "1.2.3.4",
        "ua",
    )
    assert entry.detail == {"username": "ana"}
    assert [a.name for a in Action][:3] == ["REGISTERED", "LOGIN", "LOGIN_FAILED"]


def test_reason_members_are_english_and_their_values_the_wire_codes():
    assert {r.name: r.value for r in Reason} == {
        "OUTLIER": "atipico", "NO_DATA": "sin_dato", "ERROR": "error", "TIMEOUT": "timeout",
        "NO_KEY": "sin_clave", "QUOTA_SPENT": "cuota_agotada",
        "OUT_OF_COVERAGE": "fuera_de_cobertura", "INVALID_KEY": "clave_invalida",
        "STALE": "desactualizado", "OUT_OF_HORIZON": "fuera_de_horizonte",
    }  # fmt: skip


def test_a_key_shows_only_its_last_four_characters():
    assert (masked("abcd1234"), masked("1234"), masked("")) == ("****1234", "****", "****")


@pytest.mark.parametrize(
    ("reason", "code", "outcome"),
    [
        (Reason.INVALID_KEY, "clave_rechazada", ProbeOutcome.INVALID),
        (Reason.INVALID_KEY, "sin_acceso_al_plan", ProbeOutcome.PLAN_WITHOUT_ACCESS),
        (Reason.QUOTA_SPENT, "cuota_agotada", ProbeOutcome.UNVERIFIABLE),
        (Reason.TIMEOUT, "lento", ProbeOutcome.UNVERIFIABLE),
    ],
)
def test_only_a_refused_key_is_invalid(reason, code, outcome):
    assert probe_outcome(reason, code) is outcome
