"""SIATA adapter against a loopback server serving payloads CONSTRUCTED from the documentation.

No verbatim SIATA JSON exists (PROVIDERS.md §8): siata-constructed/README.md says how the files
were written. The real SIATA sample used here is the air-quality station list (CSV, latin-1).
"""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from werkzeug import Response

from adapters.providers.siata import (
    CURRENT_TTL,
    STATIONS_PATH,
    STATIONS_TTL,
    SiataProvider,
    in_coverage,
)
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import DataKind, Granularity, TimeRange
from tests.integration.providers.helpers import failure, recording_factory

FIXTURES = Path(__file__).parents[2] / "fixtures" / "provider-samples"
CONSTRUCTED = FIXTURES / "siata-constructed"
NOW = datetime(2026, 4, 6, 5, 30, tzinfo=UTC)
MEDELLIN = Location(6.2442, -75.5812, "Medellín")
BOGOTA = Location(4.711, -74.0721, "Bogotá")
ALL = ["temperatura", "humedad_relativa", "velocidad_viento", "direccion_viento", "precipitacion"]


def constructed(name: str) -> bytes:
    return (CONSTRUCTED / name).read_bytes()


def serve(httpserver, path: str, data: bytes, status: int = 200, ctype="application/json"):
    httpserver.expect_request(path).respond_with_data(data, status=status, content_type=ctype)


def serve_all(httpserver) -> None:
    serve(httpserver, STATIONS_PATH, constructed("PluviometricaMeteo.json"))
    for code in ("1001", "1002", "1003"):
        serve(httpserver, f"/data/siata_app/{code}.json", constructed(f"{code}.json"))


def paths(httpserver) -> list[str]:
    return [request.path for request, _ in httpserver.log]


@pytest.fixture
def make(httpserver):
    return recording_factory(httpserver, SiataProvider, "siata", NOW)


def test_capabilities():
    caps = SiataProvider.capabilities
    assert SiataProvider.name == "siata"
    assert (caps.current, caps.history_hourly, caps.history_daily, caps.needs_key) == (
        True, False, False, False
    )  # fmt: skip
    assert caps.variables == set(ALL)
    assert "presion_atmosferica" not in caps.variables  # `p`: station level, unit undocumented


def test_coverage_box_holds_every_station_of_the_real_siata_list():
    text = (FIXTURES / "siata" / "estaciones-calidadaire-list.csv").read_bytes().decode("latin-1")
    stations = list(csv.DictReader(io.StringIO(text)))
    assert len(stations) == 30
    assert all(in_coverage(float(s["Latitud"]), float(s["Longitud"])) for s in stations)
    assert not in_coverage(BOGOTA.latitude, BOGOTA.longitude)
    assert not in_coverage(6.2442, -75.80)  # west of the valley's rim (Santa Fe de Antioquia road)


def test_outside_the_valley_no_request_at_all(make, httpserver):
    provider = make()
    assert failure(lambda: provider.current(BOGOTA, ALL, None)) == (
        Reason.FUERA_DE_COBERTURA, "fuera_del_valle_de_aburra"
    )  # fmt: skip
    assert httpserver.log == []


def test_history_and_unknown_variables_are_refused_without_network(make, httpserver):
    provider = make()
    time_range = TimeRange(NOW.date(), NOW.date(), Granularity.HOURLY)
    assert failure(lambda: provider.history(MEDELLIN, time_range, ALL, None)) == (
        Reason.ERROR, "no_soportado"
    )  # fmt: skip
    assert failure(lambda: provider.current(MEDELLIN, ["presion_atmosferica"], None)) == (
        Reason.ERROR, "no_soportado"
    )  # fmt: skip
    assert httpserver.log == []


def test_medellin_each_variable_from_the_nearest_station_with_a_fresh_value(make, httpserver):
    serve_all(httpserver)
    answer = make().current(MEDELLIN, ALL, None)
    assert (answer.provider, answer.kind) == ("siata", DataKind.OBSERVED)
    (reading,) = answer.readings
    # 1002 (0.955 km): t/h are -999, ws "2.5" m/s, wd 10, p1h a measured 0.
    # 1003 (2.006 km) is 6.5 h old; so t/h come from 1001 (2.121 km).
    assert reading.values == {
        "temperatura": 21.7,
        "humedad_relativa": 74.2,
        "velocidad_viento": pytest.approx(9.0),  # 2.5 m/s x 3.6
        "direccion_viento": 10.0,
        "precipitacion": 0.0,
    }
    assert reading.missing_reasons == {}
    assert reading.provenance["velocidad_viento"] == {
        "estacion": "1002",
        "nombre": "Construida B - Estadio",
        "distancia_km": 0.955,
        "altitud_estacion_m": None,  # SIATA publishes no elevation
        "observado_en": "2026-04-06T05:25:00+00:00",  # "date": "1775453100"
    }
    assert reading.provenance["temperatura"]["estacion"] == "1001"
    assert reading.provenance["temperatura"]["observado_en"] == "2026-04-06T05:20:00+00:00"
    assert reading.instant == datetime(2026, 4, 6, 5, 25, tzinfo=UTC)
    assert [s["estacion"] for s in answer.meta["estaciones"]] == ["1002", "1001"]
    # the unsafe code "../1001" (nearest of all) and the station without latitud are never asked
    assert paths(httpserver) == [
        STATIONS_PATH, "/data/siata_app/1002.json", "/data/siata_app/1003.json",
        "/data/siata_app/1001.json",
    ]  # fmt: skip
    assert make.http.ttls_at(STATIONS_PATH) == {STATIONS_TTL}
    assert make.http.ttls_at("/data/siata_app/1001.json") == {CURRENT_TTL}


def test_stops_asking_once_every_variable_has_a_value(make, httpserver):
    serve_all(httpserver)
    (reading,) = make().current(MEDELLIN, ["velocidad_viento", "precipitacion"], None).readings
    assert reading.values == {"velocidad_viento": pytest.approx(9.0), "precipitacion": 0.0}
    assert paths(httpserver) == [STATIONS_PATH, "/data/siata_app/1002.json"]


def test_old_observations_are_desactualizado(make, httpserver):
    serve_all(httpserver)
    later = lambda: NOW + timedelta(hours=4)  # noqa: E731  every station is then > 3 h old
    (reading,) = make(clock=later).current(MEDELLIN, ALL, None).readings
    assert reading.values == dict.fromkeys(ALL)
    assert reading.missing_reasons == dict.fromkeys(ALL, "desactualizado")
    # the nearest station that has the field: t from 1003 (the -999 of 1002 is no value)
    assert reading.provenance["temperatura"]["estacion"] == "1003"
    assert reading.provenance["velocidad_viento"]["estacion"] == "1002"
    assert reading.instant == datetime(2026, 4, 6, 5, 25, tzinfo=UTC)


def test_missing_sentinels_are_never_zero(make, httpserver):
    serve(httpserver, STATIONS_PATH, constructed("PluviometricaMeteo.json"))
    serve(httpserver, "/data/siata_app/1002.json", constructed("1002.json"))
    for code in ("1003", "1001"):  # the other stations are down
        serve(httpserver, f"/data/siata_app/{code}.json", b"{}", status=503)
    (reading,) = make().current(MEDELLIN, ["temperatura", "velocidad_viento"], None).readings
    assert reading.values == {"temperatura": None, "velocidad_viento": pytest.approx(9.0)}
    assert "temperatura" not in reading.provenance


def test_a_smaller_radius_leaves_no_station(make, httpserver):
    serve(httpserver, STATIONS_PATH, constructed("PluviometricaMeteo.json"))
    assert failure(lambda: make(radius_km=0.5).current(MEDELLIN, ALL, None)) == (
        Reason.FUERA_DE_COBERTURA, "sin_estaciones_cercanas"
    )  # fmt: skip
    assert paths(httpserver) == [STATIONS_PATH]


@pytest.mark.parametrize(
    ("status", "body", "ctype", "code"),
    [
        (500, b"{}", "application/json", "http_500"),
        (429, b"{}", "application/json", "limite_del_proveedor"),
        (200, b"<html>mantenimiento</html>", "text/html", "respuesta_no_json"),
        (200, b'{"red": "meteorologica", "estaciones": [', "application/json", "json_invalido"),
        (200, b'{"red": "meteorologica", "estaciones": []}', "application/json", "sin_datos"),
        (200, b'{"red": "meteorologica"}', "application/json", "respuesta_inesperada"),
    ],
)
def test_station_list_failures(make, httpserver, status, body, ctype, code):
    serve(httpserver, STATIONS_PATH, body, status=status, ctype=ctype)
    assert failure(lambda: make().current(MEDELLIN, ALL, None)) == (Reason.ERROR, code)


def test_a_station_feed_that_is_not_an_object_is_skipped(make, httpserver):
    serve(httpserver, STATIONS_PATH, constructed("PluviometricaMeteo.json"))
    serve(httpserver, "/data/siata_app/1002.json", json.dumps([1, 2]).encode())
    serve(httpserver, "/data/siata_app/1003.json", constructed("1003.json"))
    serve(httpserver, "/data/siata_app/1001.json", constructed("1001.json"))
    (reading,) = make().current(MEDELLIN, ["velocidad_viento"], None).readings
    assert reading.values == {"velocidad_viento": pytest.approx(3.96)}  # 1001: 1.1 m/s
    assert reading.provenance["velocidad_viento"]["estacion"] == "1001"


def test_every_station_timing_out_is_a_timeout(make, httpserver):
    # its own origin (/lento): the server is single-threaded and logs slow requests late
    base = "/lento/data/siata_app"
    serve(httpserver, "/lento" + STATIONS_PATH, constructed("PluviometricaMeteo.json"))
    for code in ("1002", "1003", "1001"):
        httpserver.expect_request(f"{base}/{code}.json").respond_with_handler(
            lambda _req: (time.sleep(0.7), Response("{}", content_type="application/json"))[1]
        )
    provider = make(timeout=0.3, origin="/lento")
    assert failure(lambda: provider.current(MEDELLIN, ["temperatura"], None)) == (
        Reason.TIMEOUT, "timeout"
    )  # fmt: skip
