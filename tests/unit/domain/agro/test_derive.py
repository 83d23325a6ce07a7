"""Farm variables per provider reading, before consensus (issue 14 point 2)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.model.agro.derive import (
    DerivationContext,
    derive_outcomes,
    derive_reading,
    fetch_variables,
)
from domain.model.queries import ProviderOutcome, combine_readings
from domain.model.readings import Reading

HOUR = datetime(2026, 12, 5, 15, tzinfo=UTC)
BOGOTA = ZoneInfo("America/Bogota")
LOWLAND = DerivationContext(latitude=4.6)
DAILY = DerivationContext(latitude=4.6, daily=True)


def _derive(values, asked, context=LOWLAND, **reading):
    return derive_reading(Reading(HOUR, values, **reading), asked, "modelo", context)


def test_inputs_are_fetched_after_what_was_asked_each_once() -> None:
    assert fetch_variables(["ith", "temperatura"]) == ("ith", "temperatura", "humedad_relativa")
    assert fetch_variables(["et0", "grados_dia"]) == (
        "et0", "grados_dia", "temperatura_max", "temperatura_min",
    )  # fmt: skip
    assert fetch_variables(["precipitacion"]) == ("precipitacion",)


def test_ith_is_derived_from_the_providers_own_inputs_which_are_then_dropped() -> None:
    reading = _derive({"temperatura": 30.0, "humedad_relativa": 60.0}, ["ith"])
    assert reading.values == {"ith": pytest.approx(79.84, abs=0.005)}
    assert reading.provenance == {
        "ith": {"tipo": "derivado", "metodo": "nrc_1971", "tipo_entradas": "modelo"}
    }


def test_an_asked_input_stays_beside_what_it_derives() -> None:
    reading = _derive({"temperatura": 20.0, "humedad_relativa": 50.0}, ["temperatura", "ith"])
    assert set(reading.values) == {"temperatura", "ith"}


def test_a_dew_point_the_provider_reports_is_used_as_reported() -> None:
    reading = _derive(
        {"punto_de_rocio": 11.0, "temperatura": 20.0, "humedad_relativa": 50.0},
        ["punto_de_rocio"],
        provenance={"punto_de_rocio": {"modelo": "best_match"}},
    )
    assert reading.values == {"punto_de_rocio": 11.0}  # Magnus would give 9.26
    assert reading.provenance == {"punto_de_rocio": {"modelo": "best_match"}}


def test_a_dew_point_is_derived_by_magnus_when_not_reported() -> None:
    reading = _derive({"temperatura": 20.0, "humedad_relativa": 50.0}, ["punto_de_rocio"])
    assert reading.values["punto_de_rocio"] == pytest.approx(9.26, abs=0.005)
    assert reading.provenance["punto_de_rocio"]["metodo"] == "magnus"


def test_a_missing_input_is_sin_dato_never_a_guess() -> None:
    reading = _derive({"temperatura": 30.0}, ["ith", "ith_ajustado"])
    assert reading.values == {"ith": None, "ith_ajustado": None}
    assert reading.missing_reasons == {"ith": "sin_dato", "ith_ajustado": "sin_dato"}


def test_adjusted_ith_needs_the_providers_wind_and_radiation() -> None:
    inputs = {"temperatura": 30.0, "humedad_relativa": 60.0, "velocidad_viento": 7.2}
    assert _derive(inputs, ["ith_ajustado"]).missing_reasons == {"ith_ajustado": "sin_dato"}
    full = _derive({**inputs, "radiacion_solar": 500.0}, ["ith_ajustado"])
    # 79.84 + 4.51 - 1.992 x 2 m/s + 0.0068 x 500
    assert full.values["ith_ajustado"] == pytest.approx(79.8394 + 4.51 - 3.984 + 3.4, abs=1e-3)
    assert full.provenance["ith_ajustado"]["metodo"] == "mader_2006"


def test_a_stale_input_passes_its_reason_on() -> None:
    reading = _derive(
        {"temperatura": 30.0, "humedad_relativa": None},
        ["ith"],
        missing_reasons={"humedad_relativa": "desactualizado"},
    )
    assert reading.missing_reasons == {"ith": "desactualizado"}


def test_daily_readings_get_et0_degree_days_and_frost_risk() -> None:
    day = datetime(2026, 1, 15, tzinfo=BOGOTA)  # J = 15 at 4.6° N: Ra 34.29 (AGRO.md)
    reading = derive_reading(
        Reading(day, {"temperatura_max": 20.0, "temperatura_min": 7.0}),
        ["et0", "grados_dia", "riesgo_helada"],
        "reanalisis",
        DAILY,
    )
    assert reading.values["et0"] == pytest.approx(3.63, abs=0.005)
    assert reading.values["grados_dia"] == 5.0  # (20 + max(7, 10))/2 - 10
    assert reading.values["riesgo_helada"] == 0.0  # ninguno
    methods = {n: p["metodo"] for n, p in reading.provenance.items()}
    assert methods == {
        "et0": "hargreaves_samani",
        "grados_dia": "promedio_modificado",
        "riesgo_helada": "heuristica_minima",
    }


def test_a_freezing_minimum_is_frost_risk_level_3() -> None:
    day = datetime(2026, 12, 5, tzinfo=BOGOTA)
    reading = derive_reading(
        Reading(day, {"temperatura_min": -0.5}), ["riesgo_helada"], "modelo", DAILY
    )
    assert reading.values == {"riesgo_helada": 3.0}


def test_a_maximum_below_the_minimum_is_atipico() -> None:
    day = datetime(2026, 12, 5, tzinfo=BOGOTA)
    reading = derive_reading(
        Reading(day, {"temperatura_max": 5.0, "temperatura_min": 9.0}), ["et0"], "modelo", DAILY
    )
    assert reading.values == {"et0": None} and reading.missing_reasons == {"et0": "atipico"}


def test_daily_quantities_are_not_derived_for_an_hour() -> None:
    reading = _derive({"temperatura_max": 20.0, "temperatura_min": 7.0}, ["et0"])
    assert reading.values == {}


def test_derived_values_go_through_the_usual_consensus_with_their_provenance() -> None:
    hot = {"temperatura": 30.0, "humedad_relativa": 60.0}
    outcomes = {
        name: ProviderOutcome(name, kind="modelo", readings=(Reading(HOUR, values),))
        for name, values in {
            "a": hot,
            "b": hot,
            "c": {"temperatura": 30.2, "humedad_relativa": 61.0},
            "d": {"temperatura": 45.0, "humedad_relativa": 60.0},  # far off: an outlier
            "e": {"temperatura": 30.0},  # no humidity
        }.items()
    }
    derived = derive_outcomes(outcomes, ["ith"], LOWLAND)
    rows = {n: o.readings[0] for n, o in derived.items()}
    consensus, origins = combine_readings(rows, {}, ["ith"], {n: "modelo" for n in rows})
    ith = consensus["ith"]
    assert ith.sources == ("a", "b", "c")
    assert {(d.source, d.reason.value) for d in ith.discarded} == {
        ("d", "atipico"),
        ("e", "sin_dato"),
    }
    assert ith.category == "peligro"
    assert origins["ith"]["a"] == {
        "tipo": "derivado",
        "metodo": "nrc_1971",
        "tipo_entradas": "modelo",
    }


def test_without_a_farm_variable_the_outcomes_are_untouched() -> None:
    outcome = ProviderOutcome("a", kind="modelo", readings=(Reading(HOUR, {"temperatura": 1.0}),))
    assert derive_outcomes({"a": outcome}, ["temperatura"], LOWLAND) == {"a": outcome}


@settings(deadline=None)
@given(st.lists(st.tuples(st.floats(-20.0, 45.0), st.floats(1.0, 100.0)), min_size=1, max_size=6))
def test_the_consensus_ith_lies_within_the_providers_own_ith(pairs) -> None:
    outcomes = {
        f"p{i}": ProviderOutcome(
            f"p{i}",
            kind="modelo",
            readings=(Reading(HOUR, {"temperatura": t, "humedad_relativa": h}),),
        )
        for i, (t, h) in enumerate(pairs)
    }
    derived = derive_outcomes(outcomes, ["ith"], LOWLAND)
    each = [o.readings[0].values["ith"] for o in derived.values()]
    rows = {n: o.readings[0] for n, o in derived.items()}
    value = combine_readings(rows, {}, ["ith"], {})[0]["ith"].value
    assert min(each) - 1e-9 <= value <= max(each) + 1e-9
