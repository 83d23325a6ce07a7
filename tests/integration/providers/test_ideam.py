"""IDEAM adapter against a loopback SODA server serving the recorded datos.gov.co answers.

Byte for byte: public-s54a-sgyg-precipitacion-latest.json and public-62tk-nxj5-presion-latest.json.
The pythia-*-head.txt files are pandas renderings (SOURCES.md), not JSON: where a test serves
their rows, it rebuilds the JSON here with the rendered values copied verbatim, and says so.
Rows or fields no sample has (a station's altitud, rows at other times, duplicates, the stations
9900000001-3) are constructed for the scenario and labelled "constructed".
"""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from werkzeug import Request, Response

from adapters.providers.http_client import ProviderHttp, make_session
from adapters.providers.ideam import (
    CURRENT_TTL,
    PAST_TTL,
    RECENT_TTL,
    IdeamProvider,
    sea_level_pressure,
)
from adapters.providers.ideam_catalog import CATALOGUE_TTL
from climaguru.logging_setup import JsonFormatter, configure_logging
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import DataKind, Granularity, TimeRange
from ports.providers import ProviderUnavailable
from tests.integration.providers.helpers import failure, recording_factory

SAMPLES = Path(__file__).parents[2] / "fixtures" / "provider-samples" / "ideam"
BOG = ZoneInfo("America/Bogota")
NOW = datetime(2026, 4, 6, 5, 30, tzinfo=UTC)  # 00:30 in Bogotá, 31 min after the samples
BOGOTA = Location(4.711, -74.0721, "Bogotá")
ARMENIA = Location(4.5339, -75.6811, "Armenia")
TUNJA = Location(5.5353, -73.3678, "Tunja")
IPIALES = Location(0.83, -77.64, "Ipiales")
QUITO = Location(-0.18, -78.47, "Quito")
CATALOGUE_PATH = "/resource/hp9r-jxuu.json"
TEMPERATURE, HUMIDITY, PRESSURE = "sbwg-7ju4", "uext-mhny", "62tk-nxj5"
WIND_SPEED, WIND_DIRECTION, PRECIPITATION = "sgfv-3yp8", "kiw7-v9ta", "s54a-sgyg"
TOKEN = "TOKEN-IDEAM-SECRETO"


def station(codigo, nombre, lat, lon, altitud, estado="Activa", **more):
    return {"codigo": codigo, "nombre": nombre, "estado": estado, "altitud": altitud,
            "ubicaci_n": {"latitude": lat, "longitude": lon}, **more}  # fmt: skip


# The five rows of pythia-hp9r-jxuu-catalogo-head.txt, verbatim; pandas cut each `ubicaci_n`
# longitude ("-77.6..."), so the longitude is the rendered `longitud` column.
PYTHIA_CATALOGUE = [
    station("52057100", "RUMICHACA - AUT [52057100]", "0.81378611", "-77.661978", "2582",
            categoria="Limnigráfica", departamento="Nariño", municipio="Ipiales"),
    station("52055170", "LA JOSEFINA - AUT [52055170]", "0.93030556", "-77.491194", "2450",
            categoria="Climática Principal", departamento="Nariño", municipio="Contadero"),
    station("52055220", "EL PARAISO - AUT [52055220]", "1.07061111", "-77.636889", "3120",
            categoria="Climática Principal", departamento="Nariño", municipio="Túquerres"),
    station("44015070", "EL PEPINO - AUT [44015070]", "1.08288889", "-76.667111", "760",
            categoria="Climática Principal", departamento="Putumayo", municipio="Mocoa"),
    station("48015040", "PUERTO NARINO - AUT [48015040]", "-3.78030556", "-70.362639", "158",
            categoria="Climática Principal", departamento="Amazonas", municipio="Puerto Nariño"),
]  # fmt: skip
# Constructed rows. Names and positions of 2120000131, 26125061 and 2401500080 are those of the
# observation samples; every altitud below and the rest of these rows are test values.
CONSTRUCTED_CATALOGUE = [
    station("21205012", "ESTACION 0021205012 (posición de prueba)", "4.638", "-74.084", "2556"),
    station("2120000131", "COL. ANTONIO GARCIA", "4.545", "-74.13944", "2560"),
    station("26125061", "AEROPUERTO EL EDEN -", "4.454722222", "-75.76638889", "1229"),
    station("2401500080", "PANELAS", "5.634380556", "-73.386469444", "2820"),
    station("9900000001", "SUSPENDIDA DE PRUEBA", "4.70", "-74.07", "2600", estado="Suspendida"),
    station("9900000002", "CERCANA DE PRUEBA", "4.72", "-74.06", "2600"),
    station("9900000003", "SIN ALTITUD DE PRUEBA", "4.5339", "-75.69", None),
]
CATALOGUE = PYTHIA_CATALOGUE + CONSTRUCTED_CATALOGUE
BOGOTA_IN = "'9900000002','0021205012','2120000131'"  # nearest first; 9900000001 is suspended
# pythia-57sv-p2fu-cuasi-real-head.txt (PANELAS, 2025-06-20T17:00 local): the rows' values verbatim
# (the `entidad` column is cut by pandas and is not a column of the per-variable datasets).
PANELAS = {"codigoestacion": "2401500080", "fechaobservacion": "2025-06-20T17:00:00.000"}


def panelas(sensor: str, value: str, description: str, unit: str) -> list[dict[str, str]]:
    return [PANELAS | {"codigosensor": sensor, "valorobservado": value,
                       "descripcionsensor": description, "unidadmedida": unit}]  # fmt: skip


PANELAS_WIND_SPEED = panelas("0103", "8.1", "VELOCIDAD DEL VIENTO", "m/s")
PANELAS_WIND_DIRECTION = panelas("0104", "53", "DIRECCIÓN DEL VIENTO", "GN")
PANELAS_RAIN = panelas("0240", "0", "PRECIPITACIÓN", "mm")
PANELAS_PRESSURE = panelas("0255", "695.6", "PRESIÓN ATMOSFÉRICA", "hPa")
# pythia-sbwg-7ju4-temperatura-0021205012-2020-01-head.txt rows (time, value), verbatim.
TEMPERATURE_HEAD = [("2020-01-21T09:00:00.000", "17.8"), ("2020-01-21T19:00:00.000", "15.2"),
                    ("2020-01-21T14:00:00.000", "16.2"), ("2020-01-21T16:00:00.000", "18.3"),
                    ("2020-01-21T23:00:00.000", "12.7")]  # fmt: skip
SODA_400 = {  # the shape of PROVIDERS.md 5.5 (dev.socrata.com); the message text is constructed
    "code": "query.compiler.malformed",
    "error": True,
    "message": "Could not parse SoQL query",
}


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def row(code, sensor, when, value, unit, **more):
    """A constructed observation row in the shape of the samples."""
    return {"codigoestacion": code, "codigosensor": sensor, "fechaobservacion": when,
            "valorobservado": value, "unidadmedida": unit, **more}  # fmt: skip


def serve(httpserver, dataset: str, body, status: int = 200, ctype="application/json") -> None:
    """One dataset: bytes verbatim, or a list of rows paged by $limit/$offset like SODA."""

    def handler(request: Request) -> Response:
        if isinstance(body, bytes | str):
            return Response(body, status=status, content_type=ctype)
        rows = body
        if "$offset" in request.args:
            offset, limit = int(request.args["$offset"]), int(request.args["$limit"])
            rows = body[offset : offset + limit]
        return Response(json.dumps(rows), status=status, content_type=ctype)

    httpserver.expect_request(f"/resource/{dataset}.json").respond_with_handler(handler)


def serve_catalogue(httpserver, rows=None) -> None:
    serve(httpserver, "hp9r-jxuu", CATALOGUE if rows is None else rows)


def requests_to(httpserver, dataset: str) -> list[Request]:
    return [r for r, _ in httpserver.log if r.path == f"/resource/{dataset}.json"]


@pytest.fixture
def make(httpserver):
    return recording_factory(httpserver, IdeamProvider, "ideam", NOW)


def hourly(day: date, tz: str = "America/Bogota") -> TimeRange:
    return TimeRange(day, day, Granularity.HOURLY, tz)


# --- capabilities and the catalogue ---------------------------------------------------------


def test_capabilities():
    caps = IdeamProvider.capabilities
    assert IdeamProvider.name == "ideam"
    assert (caps.current, caps.history_hourly, caps.history_daily, caps.needs_key) == (
        True, True, True, False
    )  # fmt: skip
    assert caps.variables == {
        "temperatura", "temperatura_min", "temperatura_max", "humedad_relativa",
        "presion_atmosferica", "velocidad_viento", "direccion_viento", "precipitacion",
    }  # fmt: skip


def test_catalogue_query_and_codes_padded_to_ten_digits(make, httpserver):
    serve_catalogue(httpserver, PYTHIA_CATALOGUE)
    serve(httpserver, PRECIPITATION, [])
    provider = make()
    with pytest.raises(ProviderUnavailable):  # no rows at all: sin_datos
        provider.current(IPIALES, ["precipitacion"], None)
    (catalogue,) = requests_to(httpserver, "hp9r-jxuu")
    assert catalogue.args["$where"] == "estado='Activa'"
    assert catalogue.args["$select"].split(",") == [
        "codigo", "nombre", "categoria", "estado", "departamento", "municipio", "ubicaci_n",
        "altitud",
    ]  # fmt: skip
    assert (catalogue.args["$order"], catalogue.args["$offset"]) == ("codigo", "0")
    # RUMICHACA 3.0 km and LA JOSEFINA 20.0 km are within 25 km; EL PARAISO (26.8 km) is not.
    (rain,) = requests_to(httpserver, PRECIPITATION)
    assert rain.args["$where"].startswith("codigoestacion IN ('0052057100','0052055170') AND ")
    assert make.http.ttls_at(CATALOGUE_PATH) == {CATALOGUE_TTL}
    assert make.http.ttls_at(f"/resource/{PRECIPITATION}.json") == {CURRENT_TTL}


def test_out_of_colombia_makes_no_observation_call(make, httpserver):
    serve_catalogue(httpserver)
    provider = make()
    assert failure(lambda: provider.current(QUITO, ["temperatura"], None)) == (
        Reason.FUERA_DE_COBERTURA, "sin_estaciones_cercanas"
    )  # fmt: skip
    history = lambda: provider.history(QUITO, hourly(date(2026, 4, 5)), ["temperatura"], None)  # noqa: E731
    assert failure(history)[1] == "sin_estaciones_cercanas"
    assert [r.path for r, _ in httpserver.log] == [CATALOGUE_PATH]  # fetched once, kept in memory


def test_catalogue_is_kept_a_day_and_a_failed_refresh_keeps_the_old_copy(make, httpserver):
    clock = [NOW]
    serve(httpserver, PRECIPITATION, sample("public-s54a-sgyg-precipitacion-latest.json"))
    answers = [Response(json.dumps(CATALOGUE), content_type="application/json"), Response("", 503)]
    httpserver.expect_request(CATALOGUE_PATH).respond_with_handler(lambda _r: answers.pop(0))
    provider = make(clock=lambda: clock[0])
    for later in (timedelta(0), timedelta(hours=23), timedelta(hours=24, minutes=1)):
        clock[0] = NOW + later
        provider.current(BOGOTA, ["precipitacion"], None)
    assert len(requests_to(httpserver, "hp9r-jxuu")) == 2  # the refresh after a day failed (503)
    assert len(requests_to(httpserver, PRECIPITATION)) == 3  # ... and the old copy served


def test_unknown_variables_make_no_call(make, httpserver):
    provider = make()
    assert failure(lambda: provider.current(BOGOTA, ["indice_uv"], None)) == (
        Reason.ERROR, "no_soportado"
    )  # fmt: skip
    assert failure(lambda: provider.current(BOGOTA, ["temperatura_min"], None))[1] == "no_soportado"
    assert len(httpserver.log) == 0


# --- current ----------------------------------------------------------------------------------


def test_bogota_each_variable_from_its_nearest_reporting_station(make, httpserver):
    serve_catalogue(httpserver)
    serve(httpserver, PRECIPITATION, sample("public-s54a-sgyg-precipitacion-latest.json"))
    temperature = [row("0021205012", "0068", "2026-04-06T00:10:00.000", "13.9", "°C")]  # constr.
    serve(httpserver, TEMPERATURE, temperature)
    serve(httpserver, HUMIDITY, [])
    answer = make().current(BOGOTA, ["temperatura", "precipitacion", "humedad_relativa"], None)

    assert (answer.provider, answer.kind) == ("ideam", DataKind.OBSERVED)
    (reading,) = answer.readings
    assert reading.values == {"temperatura": 13.9, "precipitacion": 0.0, "humedad_relativa": None}
    assert reading.values["precipitacion"] == 0  # a measured 0 stays 0 ("0" in the sample)
    assert reading.instant == datetime(2026, 4, 6, 0, 10, tzinfo=BOG)  # the freshest value used
    assert reading.instant.utcoffset() == timedelta(hours=-5)
    assert reading.provenance["precipitacion"] == {
        "estacion": "2120000131",
        "nombre": "COL. ANTONIO GARCIA",
        "distancia_km": 19.91,
        "altitud_estacion_m": 2560.0,  # the constructed catalogue row
        "observado_en": "2026-04-05T23:59:00-05:00",  # floating "2026-04-05T23:59:00.000"
    }
    assert reading.provenance["temperatura"]["estacion"] == "0021205012"
    assert reading.provenance["temperatura"]["distancia_km"] == 8.224
    assert "humedad_relativa" not in reading.provenance and reading.missing_reasons == {}
    assert [s["estacion"] for s in answer.meta["estaciones"]] == ["0021205012", "2120000131"]
    assert answer.meta["estaciones"][1]["variables"] == ["precipitacion"]
    (rain,) = requests_to(httpserver, PRECIPITATION)
    assert rain.args["$where"] == (
        f"codigoestacion IN ({BOGOTA_IN}) AND fechaobservacion >= '2026-04-05T12:00:00'"
    )
    assert rain.args["$order"] == "fechaobservacion DESC,codigoestacion,codigosensor,:id"
    assert rain.args["$select"] == (
        "codigoestacion,codigosensor,fechaobservacion,valorobservado,unidadmedida"
    )


def test_panelas_rows_wind_in_kmh_and_pressure_reduced_to_sea_level(make, httpserver):
    serve_catalogue(httpserver)
    serve(httpserver, WIND_SPEED, PANELAS_WIND_SPEED)
    serve(httpserver, WIND_DIRECTION, PANELAS_WIND_DIRECTION)
    serve(httpserver, PRECIPITATION, PANELAS_RAIN)
    serve(httpserver, PRESSURE, PANELAS_PRESSURE)
    serve(httpserver, TEMPERATURE, [])
    names = ["velocidad_viento", "direccion_viento", "precipitacion", "presion_atmosferica"]
    clock = lambda: datetime(2025, 6, 20, 22, 30, tzinfo=UTC)  # noqa: E731  17:30 in Bogotá
    (reading,) = make(clock=clock).current(TUNJA, names, None).readings
    assert reading.values["velocidad_viento"] == pytest.approx(29.16)  # 8.1 m/s x 3.6
    assert reading.values["direccion_viento"] == 53.0  # "GN": degrees from north
    assert reading.values["precipitacion"] == 0.0
    # 695.6 hPa at the station (2820 m, a test altitud), no temperature: standard atmosphere
    assert reading.values["presion_atmosferica"] == pytest.approx(982.6932, abs=1e-3)
    pressure = reading.provenance["presion_atmosferica"]
    assert (pressure["presion_estacion_hpa"], pressure["altitud_estacion_m"]) == (695.6, 2820.0)
    assert pressure["temperatura_reduccion_c"] is None
    assert reading.instant == datetime(2025, 6, 20, 22, 0, tzinfo=UTC)
    assert {p["estacion"] for p in reading.provenance.values()} == {"2401500080"}


def test_station_pressure_never_passes_as_sea_level(make, httpserver):
    serve_catalogue(httpserver)
    serve(httpserver, PRESSURE, sample("public-62tk-nxj5-presion-latest.json"))
    serve(httpserver, TEMPERATURE, [])
    (reading,) = make().current(ARMENIA, ["presion_atmosferica"], None).readings
    # 879.3 hPa (sensor 0258, unit "hPA") at 1229 m (a test altitud), standard atmosphere:
    # p0 = p·(1 − 0.0065·h/288.15)^−5.257
    assert reading.values["presion_atmosferica"] == pytest.approx(1019.3561, abs=1e-3)
    assert reading.values["presion_atmosferica"] == pytest.approx(
        sea_level_pressure(879.3, 1229, None)
    )
    assert reading.provenance["presion_atmosferica"]["observado_en"] == "2026-04-05T23:58:00-05:00"


def test_pressure_uses_the_station_temperature_and_skips_stations_without_altitude(
    make, httpserver
):
    serve_catalogue(httpserver)
    nearer = row("9900000003", "0255", "2026-04-06T00:00:00.000", "871.0", "hPa")  # constructed
    rows = [*json.loads(sample("public-62tk-nxj5-presion-latest.json")), nearer]
    serve(httpserver, PRESSURE, rows)
    serve(
        httpserver,
        TEMPERATURE,
        [row("0026125061", "0068", "2026-04-05T23:50:00.000", "22.4", "°C")],
    )
    (reading,) = make().current(ARMENIA, ["presion_atmosferica"], None).readings
    # 9900000003 is nearer (1.0 km) but has no altitud: its station pressure cannot be reduced.
    assert reading.provenance["presion_atmosferica"]["estacion"] == "0026125061"
    assert reading.provenance["presion_atmosferica"]["temperatura_reduccion_c"] == 22.4
    assert reading.values["presion_atmosferica"] == pytest.approx(1011.6446, abs=1e-3)


def test_old_observation_is_desactualizado_not_a_value(make, httpserver):
    serve_catalogue(httpserver)
    serve(httpserver, PRESSURE, sample("public-62tk-nxj5-presion-latest.json"))
    serve(httpserver, TEMPERATURE, [])
    clock = lambda: NOW + timedelta(hours=4)  # noqa: E731  the 23:58 row is then 4 h 32 min old
    (reading,) = make(clock=clock).current(ARMENIA, ["presion_atmosferica"], None).readings
    assert reading.values == {"presion_atmosferica": None}
    assert reading.missing_reasons == {"presion_atmosferica": "desactualizado"}
    assert reading.provenance["presion_atmosferica"]["observado_en"] == "2026-04-05T23:58:00-05:00"
    assert reading.instant == datetime(2026, 4, 6, 4, 58, tzinfo=UTC)


def test_fresh_farther_station_wins_over_a_stale_nearer_one(make, httpserver):
    serve_catalogue(httpserver)
    serve(httpserver, TEMPERATURE, [  # constructed
        row("9900000002", "0068", "2026-04-05T18:00:00.000", "15.0", "°C"),
        row("0021205012", "0068", "2026-04-06T00:20:00.000", "12.1", "°C"),
    ])  # fmt: skip
    (reading,) = make().current(BOGOTA, ["temperatura"], None).readings
    assert reading.values == {"temperatura": 12.1}
    assert reading.provenance["temperatura"]["estacion"] == "0021205012"


def test_duplicates_dropped_one_sensor_per_station_and_last_hour_rain(make, httpserver):
    serve_catalogue(httpserver)
    latest = json.loads(sample("public-s54a-sgyg-precipitacion-latest.json"))[0]  # 23:59, "0"
    earlier = latest | {"fechaobservacion": "2026-04-05T23:49:00.000", "valorobservado": "0.2"}
    rows = [
        latest,
        earlier,
        dict(earlier),  # constructed: 23:49 re-published
        latest | {"fechaobservacion": "2026-04-05T22:49:00.000", "valorobservado": "5.0"},
        latest | {"codigosensor": "0257", "valorobservado": "9.9"},
    ]  # fmt: skip  (GPRS twin)
    serve(httpserver, PRECIPITATION, rows)
    (reading,) = make().current(BOGOTA, ["precipitacion"], None).readings
    # (22:59, 23:59]: 0 + 0.2 once; 22:49 is outside the hour; sensor 0240 is preferred to 0257
    assert reading.values["precipitacion"] == pytest.approx(0.2)


@pytest.mark.parametrize("bad", ["", "ND", "NaN", "1_000", "-", None, True, "12,5"])
def test_non_numeric_values_skip_the_row_never_zero(make, httpserver, bad):
    serve_catalogue(httpserver)
    serve(httpserver, TEMPERATURE, [  # constructed
        row("0021205012", "0068", "2026-04-06T00:20:00.000", bad, "°C"),
        row("0021205012", "0068", "2026-04-06T00:10:00.000", "13.9", "°C"),
    ])  # fmt: skip
    (reading,) = make().current(BOGOTA, ["temperatura"], None).readings
    assert reading.values == {"temperatura": 13.9}
    assert reading.provenance["temperatura"]["observado_en"] == "2026-04-06T00:10:00-05:00"


def test_rows_stamped_in_the_future_are_refused(make, httpserver):
    serve_catalogue(httpserver)
    serve(httpserver, TEMPERATURE, [  # constructed: 05:00 local is 4.5 h after NOW (a UTC mix-up)
        row("0021205012", "0068", "2026-04-06T05:00:00.000", "30.0", "°C"),
        row("0021205012", "0068", "2026-04-06T00:10:00.000", "13.9", "°C"),
    ])  # fmt: skip
    (reading,) = make().current(BOGOTA, ["temperatura"], None).readings
    assert reading.values == {"temperatura": 13.9}


def test_unknown_unit_is_never_guessed(make, httpserver):
    serve_catalogue(httpserver)
    serve(
        httpserver,
        WIND_SPEED,
        [row("0021205012", "0103", "2026-04-06T00:10:00.000", "3", "nudos?")],
    )
    with pytest.raises(ProviderUnavailable) as info:
        make().current(BOGOTA, ["velocidad_viento"], None)
    assert info.value.code == "sin_datos"


# --- history ----------------------------------------------------------------------------------


def aggregated(trunc_times, *stats):
    """What the server answers hourly for 0021205012's head rows: one row per hour, so avg, min
    and max all equal the row's value (verbatim); no sensor or unit (the head has neither)."""
    return [
        {"codigoestacion": "0021205012", "periodo": when, "n": "1"}
        | {name: value for name in stats}
        for when, value in trunc_times
    ]


def test_hourly_history_soql_and_values(make, httpserver):
    serve_catalogue(httpserver)
    serve(httpserver, TEMPERATURE, aggregated(TEMPERATURE_HEAD, "media", "minimo", "maximo"))
    provider = make()
    names = ["temperatura", "temperatura_min", "temperatura_max"]
    answer = provider.history(BOGOTA, hourly(date(2020, 1, 21)), names, None)

    assert answer.kind is DataKind.OBSERVED
    assert [r.instant.hour for r in answer.readings] == [9, 14, 16, 19, 23]
    first = answer.readings[0]
    assert (
        first.instant
        == datetime(2020, 1, 21, 9, tzinfo=BOG)
        == datetime(2020, 1, 21, 14, tzinfo=UTC)
    )
    assert first.values == {"temperatura": 17.8, "temperatura_min": 17.8, "temperatura_max": 17.8}
    assert first.provenance["temperatura"]["observado_en"] == "2020-01-21T09:00:00-05:00"
    assert [r.values["temperatura"] for r in answer.readings] == [17.8, 16.2, 18.3, 15.2, 12.7]
    (request,) = requests_to(httpserver, TEMPERATURE)
    assert set(request.args) == {"$query"}
    where = (
        f"codigoestacion IN ({BOGOTA_IN}) AND fechaobservacion >= '2020-01-21T00:00:00'"
        " AND fechaobservacion < '2020-01-22T00:00:00'"
    )
    assert request.args["$query"] == (
        "SELECT codigoestacion, codigosensor, unidadmedida, fechaobservacion, "
        f"max(valorobservado::number) AS valor WHERE {where} "
        "GROUP BY codigoestacion, codigosensor, unidadmedida, fechaobservacion "
        "|> SELECT codigoestacion, codigosensor, unidadmedida, "
        "date_trunc_ymdh(fechaobservacion) AS periodo, avg(valor) AS media, min(valor) AS minimo, "
        "max(valor) AS maximo, count(*) AS n "
        "GROUP BY codigoestacion, codigosensor, unidadmedida, periodo "
        "ORDER BY codigoestacion, codigosensor, unidadmedida, periodo LIMIT 20000 OFFSET 0"
    )
    assert make.http.ttls_at(f"/resource/{TEMPERATURE}.json") == {PAST_TTL}
    assert answer.meta["consultas"][TEMPERATURE]["$query"] == request.args["$query"]


def test_daily_history_is_aggregated_by_the_server(make, httpserver):
    serve_catalogue(httpserver)
    # what date_trunc_ymd + avg/min/max give for the five head rows (16.04 = 80.2 / 5)
    day = {"codigoestacion": "0021205012", "periodo": "2020-01-21T00:00:00.000",
           "media": "16.04", "minimo": "12.7", "maximo": "18.3", "n": "5"}  # fmt: skip
    serve(httpserver, TEMPERATURE, [day])
    names = ["temperatura", "temperatura_min", "temperatura_max"]
    time_range = TimeRange(date(2020, 1, 21), date(2020, 1, 21), Granularity.DAILY)
    (reading,) = make().history(BOGOTA, time_range, names, None).readings
    assert reading.instant == datetime(2020, 1, 21, tzinfo=BOG)  # local midnight
    assert reading.values == {
        "temperatura": 16.04,
        "temperatura_min": 12.7,
        "temperatura_max": 18.3,
    }
    (request,) = requests_to(httpserver, TEMPERATURE)
    assert "date_trunc_ymd(fechaobservacion) AS periodo" in request.args["$query"]


def test_daily_history_in_another_zone_combines_hourly_aggregates(make, httpserver):
    serve_catalogue(httpserver)
    serve(httpserver, TEMPERATURE, aggregated(TEMPERATURE_HEAD, "media", "minimo", "maximo"))
    time_range = TimeRange(date(2020, 1, 21), date(2020, 1, 21), Granularity.DAILY, "UTC")
    names = ["temperatura", "temperatura_min", "temperatura_max"]
    (reading,) = make().history(BOGOTA, time_range, names, None).readings
    # the UTC day 2020-01-21 is 19:00 (20th) to 19:00 (21st) in Bogotá: 09, 14 and 16 h
    assert reading.instant == datetime(2020, 1, 21, tzinfo=UTC)
    assert reading.values["temperatura"] == pytest.approx((17.8 + 16.2 + 18.3) / 3)
    assert (reading.values["temperatura_min"], reading.values["temperatura_max"]) == (16.2, 18.3)
    (request,) = requests_to(httpserver, TEMPERATURE)
    query = request.args["$query"]
    assert "date_trunc_ymdh(fechaobservacion)" in query
    assert (
        "fechaobservacion >= '2020-01-20T19:00:00' AND fechaobservacion < '2020-01-21T19:00:00'"
        in query
    )


def test_wind_direction_is_a_vector_mean_of_raw_deduplicated_pages(make, httpserver):
    serve_catalogue(httpserver)
    rows = [  # constructed: 350° re-published, then 10° and 20°; and a calm-hour 180°
        row("0021205012", "0104", "2020-01-21T10:00:00.000", "350", "GN"),
        row("0021205012", "0104", "2020-01-21T10:00:00.000", "350", "GN"),
        row("0021205012", "0104", "2020-01-21T10:10:00.000", "10", "GN"),
        row("0021205012", "0104", "2020-01-21T10:20:00.000", "20", "GN"),
        row("0021205012", "0104", "2020-01-21T11:00:00.000", "180", "GN"),
    ]
    serve(httpserver, WIND_DIRECTION, rows)
    answer = make(page_size=2).history(
        BOGOTA, hourly(date(2020, 1, 21)), ["direccion_viento"], None
    )
    ten, eleven = answer.readings
    assert ten.instant == datetime(2020, 1, 21, 10, tzinfo=BOG)
    # atan2(Σsin, Σcos) of 350, 10, 20 = 6.705°; an arithmetic mean would say 126.7°
    assert ten.values["direccion_viento"] == pytest.approx(6.70495, abs=1e-4)
    assert eleven.values["direccion_viento"] == 180.0
    pages = requests_to(httpserver, WIND_DIRECTION)
    assert [(p.args["$limit"], p.args["$offset"]) for p in pages] == [
        ("2", "0"),
        ("2", "2"),
        ("2", "4"),
    ]
    assert pages[0].args["$order"] == "fechaobservacion,codigoestacion,codigosensor,:id"
    assert "$query" not in pages[0].args


def test_history_sums_rain_and_reduces_pressure_per_bucket(make, httpserver):
    serve_catalogue(httpserver)
    hour = {"codigoestacion": "0026125061", "periodo": "2026-04-05T23:00:00.000", "n": "1"}
    # the pressure sample's single row as an hourly aggregate (avg of one row = the row)
    serve(
        httpserver,
        PRESSURE,
        [hour | {"codigosensor": "0258", "unidadmedida": "hPA", "media": "879.3"}],
    )
    serve(httpserver, TEMPERATURE, [hour | {"codigosensor": "0068", "media": "22.4"}])  # constr.
    serve(httpserver, PRECIPITATION, [hour | {"suma": "1.2", "n": "6"}])  # constructed
    names = ["presion_atmosferica", "precipitacion"]
    (reading,) = make().history(ARMENIA, hourly(date(2026, 4, 5)), names, None).readings
    assert reading.values["presion_atmosferica"] == pytest.approx(1011.6446, abs=1e-3)
    assert reading.values["precipitacion"] == 1.2
    (rain,) = requests_to(httpserver, PRECIPITATION)
    assert "sum(valor) AS suma, count(*) AS n" in rain.args["$query"]
    assert "avg(" not in rain.args["$query"]
    assert make.http.ttls_at(f"/resource/{PRESSURE}.json") == {RECENT_TTL}  # yesterday: may grow


# --- failures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "ctype", "code"),
    [
        (500, b'{"error": true}', "application/json", "http_500"),
        (400, json.dumps(SODA_400).encode(), "application/json", "http_400"),
        (429, b"{}", "application/json", "limite_del_proveedor"),
        (200, b"<html>Bad gateway</html>", "text/html", "respuesta_no_json"),
        (200, b'[{"codigo": ', "application/json", "json_invalido"),
        (200, json.dumps(SODA_400).encode(), "application/json", "cuerpo_de_error"),
        (200, b"[]", "application/json", "sin_datos"),
    ],
)
def test_catalogue_failures(make, httpserver, status, body, ctype, code):
    serve(httpserver, "hp9r-jxuu", body, status=status, ctype=ctype)
    assert failure(lambda: make().current(BOGOTA, ["temperatura"], None)) == (Reason.ERROR, code)
    assert [r.path for r, _ in httpserver.log] == [CATALOGUE_PATH]


def test_a_failed_dataset_leaves_only_its_variables_missing(make, httpserver):
    serve_catalogue(httpserver)
    serve(
        httpserver,
        TEMPERATURE,
        [row("0021205012", "0068", "2026-04-06T00:10:00.000", "13.9", "°C")],
    )
    serve(httpserver, PRECIPITATION, json.dumps(SODA_400).encode(), status=400)
    answer = make().current(BOGOTA, ["temperatura", "precipitacion"], None)
    (reading,) = answer.readings
    assert reading.values == {"temperatura": 13.9, "precipitacion": None}
    assert reading.missing_reasons == {"precipitacion": "error"}
    assert answer.meta["fallos"] == {PRECIPITATION: "http_400"}


def test_every_dataset_failing_fails_the_call(make, httpserver):
    serve_catalogue(httpserver)
    serve(httpserver, TEMPERATURE, b"{}", status=503)
    assert failure(lambda: make().current(BOGOTA, ["temperatura"], None)) == (
        Reason.ERROR,
        "http_503",
    )


def test_slow_dataset_times_out(make, httpserver):
    # its own origin (/lento): the server is single-threaded and logs this request late
    httpserver.expect_request("/lento" + CATALOGUE_PATH).respond_with_json(CATALOGUE)
    httpserver.expect_request(f"/lento/resource/{PRECIPITATION}.json").respond_with_handler(
        lambda _req: (time.sleep(1.5), Response("[]", content_type="application/json"))[1]
    )
    started = time.monotonic()
    provider = make(timeout=0.5, origin="/lento")
    assert failure(lambda: provider.current(BOGOTA, ["precipitacion"], None)) == (
        Reason.TIMEOUT, "timeout"
    )  # fmt: skip
    assert time.monotonic() - started < 1.4


def test_bad_app_token_fails_the_whole_call(make, httpserver):
    serve_catalogue(httpserver)
    serve(httpserver, TEMPERATURE, b'{"error": true, "message": "Invalid app_token"}', status=403)
    serve(httpserver, PRECIPITATION, sample("public-s54a-sgyg-precipitacion-latest.json"))
    provider = make(app_token=TOKEN)
    reason = failure(lambda: provider.current(BOGOTA, ["temperatura", "precipitacion"], None))
    # The datasets are asked concurrently, so precipitation was fetched (and answered) too;
    # a rejected token still fails the whole call instead of returning partial data.
    assert reason == (Reason.CLAVE_INVALIDA, "http_403")
    assert len(requests_to(httpserver, PRECIPITATION)) == 1


def test_app_token_goes_in_a_header_and_nowhere_else(make, httpserver, caplog):
    caplog.set_level("DEBUG")
    configure_logging("DEBUG")
    serve_catalogue(httpserver)
    serve(httpserver, PRECIPITATION, sample("public-s54a-sgyg-precipitacion-latest.json"))
    serve(httpserver, TEMPERATURE, b"{}", status=500)
    answer = make(app_token=TOKEN).current(BOGOTA, ["precipitacion", "temperatura"], None)
    for request, _ in httpserver.log:
        assert request.headers.get("X-App-Token") == TOKEN
        assert TOKEN not in request.query_string.decode()
    assert TOKEN not in repr(answer)
    ours = [JsonFormatter().format(r) for r in caplog.records if not r.name.startswith("werkzeug")]
    assert ours and not any(TOKEN in line for line in ours)
    httpserver.clear_all_handlers()
    serve(httpserver, "hp9r-jxuu", b"{}", status=403)  # never in an exception either
    with pytest.raises(ProviderUnavailable) as info:
        make(app_token=TOKEN).current(BOGOTA, ["precipitacion"], None)
    assert TOKEN not in str(info.value) and TOKEN not in repr(info.value.args)


def test_app_token_is_not_stored_in_the_cache(httpserver, tmp_path):
    serve_catalogue(httpserver)
    serve(httpserver, PRECIPITATION, sample("public-s54a-sgyg-precipitacion-latest.json"))
    session = make_session({"backend": "sqlite", "cache_name": str(tmp_path / "cache.sqlite")})
    http = ProviderHttp("ideam", httpserver.url_for(""), timeout=2.0, session=session)
    IdeamProvider(http, app_token=TOKEN, clock=lambda: NOW).current(BOGOTA, ["precipitacion"], None)
    assert TOKEN.encode() not in (tmp_path / "cache.sqlite").read_bytes()
