"""combine_readings: per-variable reasons and the origin of every value."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.model.queries import combine_readings
from domain.model.readings import Reading

T = datetime(2026, 4, 6, 5, 0, tzinfo=UTC)
STATION = {"estacion": "0021205012", "nombre": "X", "distancia_km": 8.2, "altitud_estacion_m": 2556}


def test_station_elevation_difference_when_the_location_elevation_is_known():
    rows = {
        "ideam": Reading(T, {"temperatura": 13.9}, provenance={"temperatura": STATION}),
        "open_meteo": Reading(T, {"temperatura": 15.1}),
    }
    kinds = {"ideam": "observado", "open_meteo": "modelo"}
    _, origins = combine_readings(rows, {}, ["temperatura"], kinds, elevation=2582.0)
    assert origins["temperatura"]["ideam"]["diferencia_elevacion_m"] == -26.0
    assert origins["temperatura"]["ideam"]["tipo"] == "observado"
    assert origins["temperatura"]["open_meteo"] == {"tipo": "modelo"}
    _, unknown = combine_readings(rows, {}, ["temperatura"], kinds, elevation=None)
    assert unknown["temperatura"]["ideam"]["diferencia_elevacion_m"] is None


def test_a_stated_missing_reason_replaces_sin_dato():
    rows = {
        "ideam": Reading(
            T, {"humedad_relativa": None}, missing_reasons={"humedad_relativa": "desactualizado"}
        ),
        "a": Reading(T, {"humedad_relativa": 80.0}),
        "b": Reading(T, {}),
    }
    consensus, _ = combine_readings(rows, {"c": "timeout"}, ["humedad_relativa"], {})
    reasons = {(d.source, d.reason.value) for d in consensus["humedad_relativa"].discarded}
    assert reasons == {("ideam", "desactualizado"), ("b", "sin_dato"), ("c", "timeout")}
    assert consensus["humedad_relativa"].value == 80.0
