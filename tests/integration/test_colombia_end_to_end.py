"""Bogotá and Medellín end to end: IDEAM (and, in the Valle de Aburrá, SIATA) station readings
next to Open-Meteo's model values, through the real adapters, the app and SQLite.

"Done when" of the issue: a current and a historical query at Bogotá and at Medellín include
IDEAM (and, at Medellín, SIATA) readings with their station provenance next to the model values,
and the consensus treats them by the rules: station values carry station code and name, distance
(km), elevation difference and observation time; every value says whether it is observado,
modelo or reanalisis; observations older than the maximum age are desactualizado; station
pressure is never averaged as sea level.

Served from one loopback pytest-httpserver (nothing else is ever contacted):
- Open-Meteo: the recorded samples of tests/fixtures/provider-samples/open-meteo/, byte for
  byte: the Samara forecast (current) and the frenck archive (history, 1953-01-31..02-01 written
  at +02:00, i.e. 1953-01-30 17:00-19:00 in Bogotá for its three hourly rows).
- IDEAM: the constructed catalogue of tests/integration/providers/test_ideam.py plus one
  constructed station near Medellín; the recorded precipitation sample (COL. ANTONIO GARCIA,
  Bogotá) verbatim; every other row is constructed here and says so.
- SIATA: the constructed payloads of tests/fixtures/provider-samples/siata-constructed/.
The station adapters run on the fixed clock NOW of the IDEAM and SIATA tests (2026-04-06 00:30 in
Bogotá), so the sample times are fresh; the app itself keeps its real clock.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dependency_injector import providers
from falcon import testing

from adapters.providers.http_client import ProviderHttp
from adapters.providers.ideam import IdeamProvider, sea_level_pressure
from adapters.providers.open_meteo import OpenMeteoProvider
from adapters.providers.siata import FEED_PATH, SiataProvider
from climaguru.app import create_app
from climaguru.container import Container
from climaguru.settings import load_settings
from tests.conftest import app_env
from tests.integration.providers.test_ideam import (
    CATALOGUE,
    HUMIDITY,
    NOW,
    PRECIPITATION,
    PRESSURE,
    TEMPERATURE,
    WIND_SPEED,
    row,
    sample,
    serve,
    station,
)
from tests.integration.providers.test_siata import serve_all as serve_siata
from tests.unit.http.helpers import bearer, register

OPEN_METEO = Path(__file__).resolve().parents[1] / "fixtures" / "provider-samples" / "open-meteo"
FORECAST_SAMPLE = "public-forecast-current-daily-samara-ms.json"  # 18.5 °C, 78 %, 1017.0 hPa
ARCHIVE_SAMPLE = "frenck-archive-historical_weather.json"

BOGOTA = {"latitud": 4.711, "longitud": -74.0721, "ciudad": "Bogotá"}  # as in test_ideam
MEDELLIN = {"latitud": 6.2442, "longitud": -75.5812, "ciudad": "Medellín"}  # as in test_siata

# Constructed: no IDEAM sample holds a station in the Valle de Aburrá. Code, name, position and
# altitud are test values (the 99000000xx range of test_ideam's constructed stations).
MEDELLIN_STATION = "9900000011"
MEDELLIN_NAME = "MEDELLIN DE PRUEBA (construida)"
CATALOGUE_CO = [*CATALOGUE, station(MEDELLIN_STATION, MEDELLIN_NAME, "6.2217", "-75.5906", "1490")]

# Stations of test_ideam's catalogue, and their distances (haversine, km, rounded to 3 places).
BOGOTA_TEMPERATURE = "0021205012"  # ESTACION 0021205012 (posición de prueba), altitud 2556
BOGOTA_TEMPERATURE_NAME = "ESTACION 0021205012 (posición de prueba)"
BOGOTA_TEMPERATURE_KM = 8.224
BOGOTA_RAIN = "2120000131"  # COL. ANTONIO GARCIA: the recorded precipitation sample
BOGOTA_RAIN_KM = 19.91
BOGOTA_NEAREST = "9900000002"  # CERCANA DE PRUEBA, 1.673 km
MEDELLIN_STATION_KM = 2.709

CURRENT_VARIABLES = ["temperatura", "humedad_relativa", "presion_atmosferica", "precipitacion"]
CURRENT_URL, HISTORY_URL = "/api/consultas/tiempo-real", "/api/consultas/historico"
OPEN_METEO_MODEL = {"fuente": "open_meteo", "tipo": "modelo"}
OPEN_METEO_ERA5 = {"fuente": "open_meteo", "tipo": "reanalisis"}


@pytest.fixture
def app(sqlite_url, httpserver, tmp_path):
    """The app on a migrated SQLite file with open_meteo, ideam and siata on the loopback server,
    configured like climaguru.providers_wiring.build_providers but on the fixed clock NOW."""
    env = app_env(
        DATABASE_URL=sqlite_url,
        CLIMAGURU_DATA_DIR=str(tmp_path),
        PROVIDER_CACHE="none",
        PROVIDER_TIMEOUT="3",
        QUERY_DEADLINE="8",
    )
    settings = load_settings(env, env_file=None)
    container = Container(settings=settings)
    conf = settings.providers
    origin = httpserver.url_for("").rstrip("/")

    def http(name: str) -> ProviderHttp:
        return ProviderHttp(name, origin, timeout=conf.timeout)

    def clock():
        return NOW

    forecast, archive = http("open_meteo"), http("open_meteo")
    container.weather_providers.override(
        providers.Object(
            {
                "open_meteo": OpenMeteoProvider(forecast, archive, clock=clock),
                "ideam": IdeamProvider(
                    http("ideam"),
                    radius_km=conf.options["ideam"]["radius_km"],
                    max_age_hours=conf.options["ideam"]["max_age_hours"],
                    clock=clock,
                ),
                "siata": SiataProvider(
                    http("siata"),
                    radius_km=conf.options["siata"]["radius_km"],
                    max_age_hours=conf.options["siata"]["max_age_hours"],
                    clock=clock,
                ),
            }
        )
    )
    client = testing.TestClient(create_app(container))
    auth = bearer(register(client, "operaria.colombia")["access_token"])
    yield client, auth
    container.engine().dispose()


def serve_open_meteo(httpserver) -> None:
    for path, name in (("/v1/forecast", FORECAST_SAMPLE), ("/v1/archive", ARCHIVE_SAMPLE)):
        httpserver.expect_request(path).respond_with_data(
            (OPEN_METEO / name).read_bytes(), content_type="application/json"
        )


def siata_requests(httpserver) -> list[str]:
    return [r.path for r, _ in httpserver.log if r.path.startswith(FEED_PATH)]


def ideam_requests(httpserver) -> list[str]:
    return [r.path for r, _ in httpserver.log if r.path.startswith("/resource/")]


def origin_of(value: dict, source: str) -> dict:
    """The procedencia entry of one source in a consensus value (exactly one)."""
    (found,) = [p for p in value["procedencia"] if p["fuente"] == source]
    return found


def station_origin(code, name, km, observed, **extra) -> dict:
    return {
        "fuente": "ideam",
        "tipo": "observado",
        "estacion": code,
        "nombre": name,
        "distancia_km": km,
        "altitud_estacion_m": STATION_ALTITUDE[code],
        "observado_en": observed,
        # asked by coordinates: the location's elevation is unknown, so no difference
        "diferencia_elevacion_m": None,
        **extra,
    }


STATION_ALTITUDE = {"0021205012": 2556.0, "9900000011": 1490.0, "2120000131": 2560.0}


def check_provenance_rules(consensus: dict) -> None:
    """Every used value says what it is; station values say which station, how far, when."""
    for name, value in consensus.items():
        assert [p["fuente"] for p in value["procedencia"]] == value["fuentes"], name
        for origin in value["procedencia"]:
            assert origin["tipo"] in ("observado", "modelo", "reanalisis"), (name, origin)
            if origin["tipo"] == "observado":
                assert {"estacion", "nombre", "distancia_km", "diferencia_elevacion_m"} <= set(
                    origin
                ), (name, origin)
                assert "observado_en" in origin, (name, origin)
            else:
                assert "estacion" not in origin, (name, origin)


def serve_ideam_current_bogota(httpserver) -> None:
    serve(httpserver, "hp9r-jxuu", CATALOGUE_CO)
    # constructed: a temperature and a station pressure at 00:10, 20 min before NOW
    serve(httpserver, TEMPERATURE, [row(BOGOTA_TEMPERATURE, "0068", "2026-04-06T00:10:00.000",
                                        "13.9", "°C")])  # fmt: skip
    serve(httpserver, PRESSURE, [row(BOGOTA_TEMPERATURE, "0255", "2026-04-06T00:10:00.000",
                                     "752.0", "hPa")])  # fmt: skip
    # constructed: the nearest station's humidity is 6 h 30 min old (maximum age: 3 h)
    stale = {"codigoestacion": BOGOTA_NEAREST, "fechaobservacion": "2026-04-05T18:00:00.000",
             "valorobservado": "71", "unidadmedida": "%"}  # fmt: skip
    serve(httpserver, HUMIDITY, [stale])
    # recorded: COL. ANTONIO GARCIA, "0" mm at 2026-04-05T23:59 (31 min before NOW), verbatim
    serve(httpserver, PRECIPITATION, sample("public-s54a-sgyg-precipitacion-latest.json"))


def serve_ideam_current_medellin(httpserver) -> None:
    serve(httpserver, "hp9r-jxuu", CATALOGUE_CO)
    at = "2026-04-06T00:20:00.000"  # constructed: 10 min before NOW, at the Medellín station
    serve(httpserver, TEMPERATURE, [row(MEDELLIN_STATION, "0068", at, "23.5", "°C")])
    serve(httpserver, PRESSURE, [row(MEDELLIN_STATION, "0255", at, "851.0", "hPa")])
    serve(httpserver, HUMIDITY, [{"codigoestacion": MEDELLIN_STATION, "fechaobservacion": at,
                                  "valorobservado": "80", "unidadmedida": "%"}])  # fmt: skip
    serve(httpserver, PRECIPITATION, [row(MEDELLIN_STATION, "0240", at, "0.2", "mm")])


# --- current ----------------------------------------------------------------------------------


def test_current_at_bogota_ideam_stations_next_to_the_model(app, httpserver):
    client, auth = app
    serve_open_meteo(httpserver)
    serve_ideam_current_bogota(httpserver)
    body = {**BOGOTA, "parametros": CURRENT_VARIABLES}
    result = client.simulate_post(CURRENT_URL, json=body, headers=auth)
    assert result.status_code == 201, result.json
    datos = result.json["datos"]
    answers, consensus = datos["proveedores"], datos["consenso"]

    assert (answers["ideam"]["estado"], answers["ideam"]["tipo"]) == ("ok", "observado")
    assert (answers["open_meteo"]["estado"], answers["open_meteo"]["tipo"]) == ("ok", "modelo")
    # SIATA covers only the Valle de Aburrá: refused without a single request
    siata = answers["siata"]
    assert (siata["estado"], siata["motivo"], siata["codigo"]) == (
        "error", "fuera_de_cobertura", "fuera_del_valle_de_aburra"
    )  # fmt: skip
    assert siata_requests(httpserver) == []
    for name in CURRENT_VARIABLES:
        assert {"fuente": "siata", "motivo": "fuera_de_cobertura"} in consensus[name]["descartadas"]
    check_provenance_rules(consensus)

    # temperature: the IDEAM station with its provenance, next to Open-Meteo's model value
    temperature = consensus["temperatura"]
    assert temperature["fuentes"] == ["ideam", "open_meteo"]
    assert temperature["procedencia"] == [
        station_origin(BOGOTA_TEMPERATURE, BOGOTA_TEMPERATURE_NAME, BOGOTA_TEMPERATURE_KM,
                       "2026-04-06T00:10:00-05:00"),
        OPEN_METEO_MODEL,
    ]  # fmt: skip
    assert temperature["valor"] == pytest.approx((13.9 + 18.5) / 2)

    # precipitation: the recorded sample (a measured 0 stays 0); Open-Meteo's sample has none
    rain = consensus["precipitacion"]
    assert rain["procedencia"] == [
        station_origin(BOGOTA_RAIN, "COL. ANTONIO GARCIA", BOGOTA_RAIN_KM,
                       "2026-04-05T23:59:00-05:00"),
    ]  # fmt: skip
    assert rain["valor"] == 0
    assert {"fuente": "open_meteo", "motivo": "sin_dato"} in rain["descartadas"]

    # humidity: the only IDEAM reading is 6.5 h old, so it is left out as desactualizado
    humidity = consensus["humedad_relativa"]
    assert humidity["fuentes"] == ["open_meteo"] and humidity["valor"] == 78
    assert {"fuente": "ideam", "motivo": "desactualizado"} in humidity["descartadas"]
    assert humidity["procedencia"] == [OPEN_METEO_MODEL]
    assert answers["ideam"]["valores"]["humedad_relativa"] is None
    assert answers["ideam"]["sin_valor"] == {"humedad_relativa": "desactualizado"}
    assert answers["ideam"]["procedencia"]["humedad_relativa"]["estacion"] == BOGOTA_NEAREST
    stale_at = answers["ideam"]["procedencia"]["humedad_relativa"]["observado_en"]
    assert stale_at == "2026-04-05T18:00:00-05:00"
    assert answers["ideam"]["meta"]["edad_maxima_h"] == 3.0

    # pressure: 752.0 hPa at 2556 m reduced with the station's 13.9 °C, then averaged with
    # Open-Meteo's pressure_msl; the raw station pressure is provenance, never a value
    reduced = sea_level_pressure(752.0, 2556.0, 13.9)
    assert 1005 < reduced < 1015
    pressure = consensus["presion_atmosferica"]
    assert answers["ideam"]["valores"]["presion_atmosferica"] == pytest.approx(reduced)
    assert pressure["fuentes"] == ["ideam", "open_meteo"]
    assert pressure["valor"] == pytest.approx((reduced + 1017.0) / 2)
    assert (pressure["min"], pressure["max"]) == (pytest.approx(reduced), 1017.0)
    ideam_pressure = origin_of(pressure, "ideam")
    assert ideam_pressure == station_origin(
        BOGOTA_TEMPERATURE, BOGOTA_TEMPERATURE_NAME, BOGOTA_TEMPERATURE_KM,
        "2026-04-06T00:10:00-05:00", altitud_estacion_m=2556.0, presion_estacion_hpa=752.0,
        temperatura_reduccion_c=13.9,
    )  # fmt: skip
    assert origin_of(pressure, "open_meteo") == OPEN_METEO_MODEL
    assert 752.0 not in (pressure["valor"], pressure["min"], pressure["max"])


def test_current_at_medellin_ideam_and_siata_next_to_the_model(app, httpserver):
    client, auth = app
    serve_open_meteo(httpserver)
    serve_ideam_current_medellin(httpserver)
    serve_siata(httpserver)
    body = {**MEDELLIN, "parametros": CURRENT_VARIABLES}
    result = client.simulate_post(CURRENT_URL, json=body, headers=auth)
    assert result.status_code == 201, result.json
    datos = result.json["datos"]
    answers, consensus = datos["proveedores"], datos["consenso"]
    assert {n: (a["estado"], a["tipo"]) for n, a in answers.items()} == {
        "open_meteo": ("ok", "modelo"),
        "ideam": ("ok", "observado"),
        "siata": ("ok", "observado"),
    }
    check_provenance_rules(consensus)
    ideam_at = "2026-04-06T00:20:00-05:00"

    # humidity: IDEAM (80), SIATA station 1001 (74.2) and the model (78) all count
    humidity = consensus["humedad_relativa"]
    assert humidity["fuentes"] == ["ideam", "open_meteo", "siata"]
    assert humidity["procedencia"] == [
        station_origin(MEDELLIN_STATION, MEDELLIN_NAME, MEDELLIN_STATION_KM, ideam_at),
        OPEN_METEO_MODEL,
        {"fuente": "siata", "tipo": "observado", "estacion": "1001",
         "nombre": "Construida A - Centro", "distancia_km": 2.121,
         "altitud_estacion_m": None, "observado_en": "2026-04-06T05:20:00+00:00",
         "diferencia_elevacion_m": None},
    ]  # fmt: skip
    assert humidity["valor"] == pytest.approx((80 + 78 + 74.2) / 3)

    # temperature: 23.5 (IDEAM), 18.5 (model), 21.7 (SIATA 1001, since 1002's is -999)
    temperature = consensus["temperatura"]
    assert temperature["fuentes"] == ["ideam", "open_meteo", "siata"]
    assert origin_of(temperature, "siata")["estacion"] == "1001"
    assert origin_of(temperature, "ideam")["estacion"] == MEDELLIN_STATION
    assert origin_of(temperature, "open_meteo") == OPEN_METEO_MODEL
    assert temperature["valor"] == pytest.approx((23.5 + 18.5 + 21.7) / 3)

    # precipitation: IDEAM 0.2 and SIATA 1002's measured 0 (its p1h); the model sample has none
    rain = consensus["precipitacion"]
    assert rain["fuentes"] == ["ideam", "siata"]
    assert origin_of(rain, "siata") == {
        "fuente": "siata", "tipo": "observado", "estacion": "1002",
        "nombre": "Construida B - Estadio", "distancia_km": 0.955,
        "altitud_estacion_m": None, "observado_en": "2026-04-06T05:25:00+00:00",
        "diferencia_elevacion_m": None,
    }  # fmt: skip
    assert rain["valor"] == pytest.approx(0.1)  # the median of two: their mean
    assert {"fuente": "open_meteo", "motivo": "sin_dato"} in rain["descartadas"]

    # pressure: SIATA publishes only station pressure (unit undocumented), so it has none;
    # IDEAM's 851.0 hPa at 1490 m is reduced to sea level before it meets the model's
    reduced = sea_level_pressure(851.0, 1490.0, 23.5)
    pressure = consensus["presion_atmosferica"]
    assert pressure["fuentes"] == ["ideam", "open_meteo"]
    assert pressure["valor"] == pytest.approx((reduced + 1017.0) / 2)
    assert origin_of(pressure, "ideam")["presion_estacion_hpa"] == 851.0
    assert {"fuente": "siata", "motivo": "sin_dato"} in pressure["descartadas"]
    assert "presion_atmosferica" not in answers["siata"]["valores"]

    # the stored query returns the same consensus and provenance
    query_id = result.json["consulta"]["id"]
    stored = client.simulate_get(f"/api/consultas/{query_id}", headers=auth)
    assert stored.status_code == 200, stored.json
    assert stored.json["datos"]["consenso"] == consensus
    assert stored.json["proveedores"]["siata"]["procedencia"] == answers["siata"]["procedencia"]
    assert sorted(stored.json["fuentes_utilizadas"]) == ["ideam", "open_meteo", "siata"]


# --- history ----------------------------------------------------------------------------------

# Where each city's IDEAM values come from, with its altitud (the catalogue's, as a float).
CITIES = {
    "bogota": (BOGOTA, BOGOTA_TEMPERATURE, BOGOTA_TEMPERATURE_NAME, BOGOTA_TEMPERATURE_KM, 2556.0),
    "medellin": (MEDELLIN, MEDELLIN_STATION, MEDELLIN_NAME, MEDELLIN_STATION_KM, 1490.0),
}
# Constructed hourly aggregates (SoQL date_trunc_ymdh answers) for the three Bogotá hours the
# archive sample covers: hour -> (temperature °C, wind speed m/s); and the station pressure (hPa)
# of each city's station at its altitud.
HOURLY_IDEAM = {
    "1953-01-30T17:00:00.000": ("14.0", "1.5"),
    "1953-01-30T18:00:00.000": ("13.5", "2.0"),
    "1953-01-30T19:00:00.000": ("13.0", "2.5"),
}
HOURLY_STATION_PRESSURE = {
    "bogota": ["752.3", "752.6", "752.9"],
    "medellin": ["851.2", "851.5", "851.8"],
}
# The archive sample, verbatim: 1953-01-31T00:00..02:00 at utc_offset_seconds 7200.
ARCHIVE_TEMPERATURE, ARCHIVE_WIND_KMH = [5.8, 5.5, 5.1], [23.2, 23.7, 24.8]
# Constructed daily precipitation totals (date_trunc_ymd) next to the sample's 11.9 and 12.5 mm.
DAILY_IDEAM = {"1953-01-31T00:00:00.000": "10.4", "1953-02-01T00:00:00.000": "13.0"}
ARCHIVE_RAIN = [11.9, 12.5]


def serve_ideam_hourly(httpserver, city: str) -> None:
    serve(httpserver, "hp9r-jxuu", CATALOGUE_CO)
    code = CITIES[city][1]

    def aggregates(values: list[str], sensor: str, unit: str) -> list[dict]:
        return [
            {"codigoestacion": code, "codigosensor": sensor, "unidadmedida": unit,
             "periodo": hour, "media": value, "n": "6"}
            for hour, value in zip(HOURLY_IDEAM, values, strict=True)
        ]  # fmt: skip

    serve(httpserver, TEMPERATURE, aggregates([t for t, _ in HOURLY_IDEAM.values()], "0068", "°C"))
    serve(httpserver, WIND_SPEED, aggregates([w for _, w in HOURLY_IDEAM.values()], "0103", "m/s"))
    serve(httpserver, PRESSURE, aggregates(HOURLY_STATION_PRESSURE[city], "0255", "hPa"))


def serve_ideam_daily(httpserver, code: str) -> None:
    serve(httpserver, "hp9r-jxuu", CATALOGUE_CO)
    days = [
        {"codigoestacion": code, "codigosensor": "0240", "unidadmedida": "mm", "periodo": day,
         "suma": total, "n": "144"}
        for day, total in DAILY_IDEAM.items()
    ]  # fmt: skip
    serve(httpserver, PRECIPITATION, days)


def history(client, auth, where: dict, **body) -> dict:
    payload = {**where, "zona_horaria": "America/Bogota", **body}
    result = client.simulate_post(HISTORY_URL, json=payload, headers=auth)
    assert result.status_code == 201, result.json
    return result.json


def check_history_providers(answer: dict, httpserver) -> None:
    """IDEAM observed and Open-Meteo's ERA5 answered; SIATA (no history: capabilities
    history_hourly/daily False) is filtered out by RunHistoryQuery and never asked."""
    assert {n: (a["estado"], a["tipo"]) for n, a in answer["proveedores"].items()} == {
        "open_meteo": ("ok", "reanalisis"),
        "ideam": ("ok", "observado"),
    }
    assert answer["consulta"]["parametros_solicitados"]["proveedores"] == ["open_meteo", "ideam"]
    assert siata_requests(httpserver) == []
    for point in answer["serie"]:
        for value in point["consenso"].values():
            assert "siata" not in {d["fuente"] for d in value["descartadas"]}


@pytest.mark.parametrize("city", ["bogota", "medellin"])
def test_hourly_history_ideam_observed_next_to_era5(app, httpserver, city):
    client, auth = app
    where, code, name, km, altitude = CITIES[city]
    serve_open_meteo(httpserver)
    serve_ideam_hourly(httpserver, city)
    # SIATA asked for by name: it has no history, so the app drops it before any call (silently:
    # no provider entry, not in proveedores of the stored query)
    answer = history(
        client, auth, where,
        fecha_inicio="1953-01-30", fecha_fin="1953-01-30", granularidad="horaria",
        parametros=["temperatura", "presion_atmosferica", "velocidad_viento"],
        proveedores=["open_meteo", "ideam", "siata"],
    )  # fmt: skip
    check_history_providers(answer, httpserver)
    assert [p["instante"] for p in answer["serie"]] == [
        "1953-01-30T17:00:00-05:00", "1953-01-30T18:00:00-05:00", "1953-01-30T19:00:00-05:00"
    ]  # fmt: skip
    hours = zip(HOURLY_IDEAM.items(), HOURLY_STATION_PRESSURE[city], strict=True)
    for i, (point, ((hour, (t, wind_ms)), p)) in enumerate(
        zip(answer["serie"], hours, strict=True)
    ):
        consensus = point["consenso"]
        check_provenance_rules(consensus)
        observed = point["instante"]  # the bucket's start, as IDEAM's hour
        assert hour.replace(".000", "-05:00") == observed

        temperature = consensus["temperatura"]
        assert temperature["procedencia"] == [
            station_origin(code, name, km, observed), OPEN_METEO_ERA5
        ]  # fmt: skip
        assert temperature["valor"] == pytest.approx((float(t) + ARCHIVE_TEMPERATURE[i]) / 2)

        wind = consensus["velocidad_viento"]  # IDEAM m/s converted to km/h before the mean
        assert wind["fuentes"] == ["ideam", "open_meteo"]
        assert wind["min"] == pytest.approx(float(wind_ms) * 3.6)
        assert wind["valor"] == pytest.approx((float(wind_ms) * 3.6 + ARCHIVE_WIND_KMH[i]) / 2)

        # the archive sample has no pressure_msl: the value is IDEAM's, reduced to sea level
        # with the same hour's station temperature, never the station pressure itself
        pressure = consensus["presion_atmosferica"]
        reduced = sea_level_pressure(float(p), altitude, float(t))
        assert pressure["fuentes"] == ["ideam"]
        assert pressure["valor"] == pytest.approx(reduced)
        assert pressure["valor"] > 1000 > float(p)
        assert pressure["procedencia"] == [
            station_origin(code, name, km, observed, altitud_estacion_m=altitude,
                           presion_estacion_hpa=float(p), temperatura_reduccion_c=float(t))
        ]  # fmt: skip
        assert {"fuente": "open_meteo", "motivo": "sin_dato"} in pressure["descartadas"]

    summary = answer["resumen"]["presion_atmosferica"]
    assert summary["min"] > 1000 and summary["n_instantes"] == 3

    # IDEAM was asked once per dataset, for the Bogotá day of the range
    queries = [r for r, _ in httpserver.log if r.path == f"/resource/{TEMPERATURE}.json"]
    (query,) = queries
    assert "fechaobservacion >= '1953-01-30T00:00:00'" in query.args["$query"]
    assert "date_trunc_ymdh(fechaobservacion)" in query.args["$query"]
    assert f"'{code}'" in query.args["$query"]


@pytest.mark.parametrize("city", ["bogota", "medellin"])
def test_daily_history_ideam_observed_next_to_era5_and_stored(app, httpserver, city):
    client, auth = app
    where, code, name, km, _ = CITIES[city]
    serve_open_meteo(httpserver)
    serve_ideam_daily(httpserver, code)
    answer = history(
        client, auth, where,
        fecha_inicio="1953-01-31", fecha_fin="1953-02-01", granularidad="diaria",
        parametros=["precipitacion"],
    )  # fmt: skip
    check_history_providers(answer, httpserver)
    assert [p["instante"] for p in answer["serie"]] == [
        "1953-01-31T00:00:00-05:00", "1953-02-01T00:00:00-05:00"
    ]  # fmt: skip
    for i, (point, total) in enumerate(zip(answer["serie"], DAILY_IDEAM.values(), strict=True)):
        rain = point["consenso"]["precipitacion"]
        check_provenance_rules(point["consenso"])
        assert rain["procedencia"] == [
            station_origin(code, name, km, point["instante"]), OPEN_METEO_ERA5
        ]  # fmt: skip
        assert rain["valor"] == pytest.approx((float(total) + ARCHIVE_RAIN[i]) / 2)
    (rain_query,) = [r for r, _ in httpserver.log if r.path == f"/resource/{PRECIPITATION}.json"]
    assert "date_trunc_ymd(fechaobservacion)" in rain_query.args["$query"]
    assert "sum(valor) AS suma" in rain_query.args["$query"]
    assert ideam_requests(httpserver).count("/resource/hp9r-jxuu.json") == 1

    # GET /api/consultas/{id}: the stored series keeps the same values and provenance
    stored = client.simulate_get(f"/api/consultas/{answer['consulta']['id']}", headers=auth)
    assert stored.status_code == 200, stored.json
    assert stored.json["serie"] == answer["serie"]
    assert stored.json["proveedores"] == answer["proveedores"]
    assert sorted(stored.json["fuentes_utilizadas"]) == ["ideam", "open_meteo"]


def test_exports_say_which_values_are_observed(app, httpserver):
    client, auth = app
    serve_open_meteo(httpserver)
    serve_ideam_current_medellin(httpserver)
    serve_siata(httpserver)
    body = {**MEDELLIN, "parametros": CURRENT_VARIABLES}
    query_id = client.simulate_post(CURRENT_URL, json=body, headers=auth).json["consulta"]["id"]
    csv_text = client.simulate_get(
        f"/api/consultas/{query_id}/descargar", params={"formato": "csv"}, headers=auth
    ).text
    assert "tipo_de_fuente,ideam,observado" in csv_text
    assert "tipo_de_fuente,open_meteo,modelo" in csv_text
    assert f"ideam (observado, estación {MEDELLIN_STATION})" in csv_text
    report = client.simulate_get(
        f"/api/consultas/{query_id}/descargar", params={"formato": "txt"}, headers=auth
    ).text
    assert "siata (observado" in report and "open_meteo (modelo)" in report
