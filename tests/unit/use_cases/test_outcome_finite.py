"""A provider's non-finite numbers are missing values in its outcome; finite ones untouched."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from domain.model.readings import DataKind, ProviderAnswer, Reading
from domain.use_cases.provider_calls import outcome_of

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def test_nan_and_infinities_become_missing_and_finite_readings_stay_as_they_are():
    clean = Reading(WHEN, {"temperatura": 21.5, "humedad_relativa": None, "nubosidad": 3})
    odd = Reading(
        WHEN.replace(hour=1),
        {"temperatura": math.nan, "presion_atmosferica": 1e999, "nubosidad": -math.inf,
         "humedad_relativa": 80.0},
        provenance={"humedad_relativa": {"tipo": "modelo"}},
    )  # fmt: skip
    answer = ProviderAnswer("p", DataKind.MODEL, (clean, odd), {"a": 1})
    outcome = outcome_of("p", answer)
    assert outcome.readings[0] == clean
    assert outcome.readings[1].values == {
        "temperatura": None, "presion_atmosferica": None, "nubosidad": None,
        "humedad_relativa": 80.0,
    }  # fmt: skip
    assert outcome.readings[1].provenance == odd.provenance
    assert odd.values["temperatura"] != odd.values["temperatura"]  # the answer is not changed
