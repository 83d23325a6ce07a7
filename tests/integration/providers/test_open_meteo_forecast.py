"""Open-Meteo forecasts, and recent history days from the forecast API, on a loopback server."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adapters.providers.http_client import ProviderHttp
from adapters.providers.open_meteo import OpenMeteoProvider
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import DataKind, Granularity, TimeRange
from tests.integration.providers.helpers import failure

SAMPLES = Path(__file__).parents[2] / "fixtures" / "provider-samples" / "open-meteo"
FORECAST = "/fc/v1/forecast"
ARCHIVE = "/ar/v1/archive"
SAMARA = Location(53.1949, 50.1251, "Samara")
SAMARA_ZONE = ZoneInfo("Europe/Samara")
BOGOTA = Location(4.711, -74.0721, "Bogotá")
BOGOTA_ZONE = ZoneInfo("America/Bogota")
# The Samara answer was recorded at 2026-09-15 12:00 local (its `current.time`).
SAMARA_NOW = datetime(2026, 9, 15, 8, 0, tzinfo=UTC)
BOGOTA_NOW = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)  # 12:00 in Bogotá
DAILY_SAMPLE = "public-forecast-current-daily-samara-ms.json"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def docs_hourly() -> bytes:
    """Open-Meteo's documented forecast object without its `...` placeholders (the file is not
    JSON because of them); every value left is the documentation's own."""
    text = sample("docs-forecast-response-object.json.txt").decode()
    return json.dumps(json.loads(text.replace(", ...", ""))).encode()


def serve(httpserver, path: str, data: bytes, status: int = 200) -> None:
    httpserver.expect_request(path).respond_with_data(
        data, status=status, content_type="application/json"
    )


def queries(httpserver, path: str) -> list[dict[str, str]]:
    return [dict(r.args) for r, _ in httpserver.log if r.path == path]


def provider(httpserver, now: datetime, **kwargs) -> OpenMeteoProvider:
    forecast = ProviderHttp("open_meteo", httpserver.url_for("/fc"), timeout=2.0)
    archive = ProviderHttp("open_meteo", httpserver.url_for("/ar"), timeout=2.0)
    return OpenMeteoProvider(forecast, archive, clock=lambda: now, **kwargs)


# --- forecast -------------------------------------------------------------------------------

NAMES = ["temperatura_max", "temperatura_min", "probabilidad_precipitacion", "descripcion_clima"]


def test_daily_forecast_of_the_recorded_samara_answer(httpserver):
    serve(httpserver, FORECAST, sample(DAILY_SAMPLE))
    answer = provider(httpserver, SAMARA_NOW).forecast(
        SAMARA, 7, Granularity.DAILY, "Europe/Samara", NAMES, None
    )
    (query,) = queries(httpserver, FORECAST)
    assert query["forecast_days"] == "7" and query["timezone"] == "Europe/Samara"
    assert query["daily"] == (
        "temperature_2m_max,temperature_2m_min,precipitation_probability_max,weather_code"
    )
    assert "hourly" not in query and (query["latitude"], query["longitude"]) == ("53.19", "50.13")
    assert answer.kind is DataKind.MODEL
    days = [r.instant for r in answer.readings]
    assert days == [datetime(2026, 9, 15 + k, tzinfo=SAMARA_ZONE) for k in range(7)]
    first, second = answer.readings[0].values, answer.readings[1].values
    assert first == {
        "temperatura_max": 19.8,
        "temperatura_min": 13.3,
        "probabilidad_precipitacion": 30.0,
        "descripcion_clima": 3.0,
    }
    assert second["probabilidad_precipitacion"] == 53.0 and second["descripcion_clima"] == 80.0
    assert answer.readings[0].provenance["temperatura_max"] == {
        "tipo": "modelo",
        "modelo": "best_match",
    }
    assert answer.meta["horizonte"] == {
        "horaria": {"cantidad": 16, "unidad": "dias"},
        "diaria": {"cantidad": 16, "unidad": "dias"},
    }


def test_more_days_than_sixteen_are_cut_at_the_horizon(httpserver):
    serve(httpserver, FORECAST, sample(DAILY_SAMPLE))
    om = provider(httpserver, SAMARA_NOW)
    answer = om.forecast(SAMARA, 40, Granularity.DAILY, "Europe/Samara", NAMES, None)
    assert queries(httpserver, FORECAST)[0]["forecast_days"] == "16"
    assert len(answer.readings) == 7  # what the recorded answer holds


def test_days_past_the_asked_ones_are_dropped(httpserver):
    serve(httpserver, FORECAST, sample(DAILY_SAMPLE))
    om = provider(httpserver, SAMARA_NOW)
    answer = om.forecast(SAMARA, 3, Granularity.DAILY, "Europe/Samara", NAMES, None)
    assert queries(httpserver, FORECAST)[0]["forecast_days"] == "3"
    assert [r.instant.date() for r in answer.readings] == [date(2026, 9, d) for d in (15, 16, 17)]


def test_hourly_forecast_of_the_documented_object(httpserver):
    serve(httpserver, FORECAST, docs_hourly())
    now = datetime(2022, 7, 1, 10, tzinfo=UTC)
    om = provider(httpserver, now)
    answer = om.forecast(
        SAMARA, 1, Granularity.HOURLY, "UTC", ["temperatura", "probabilidad_precipitacion"], None
    )
    (query,) = queries(httpserver, FORECAST)
    assert query["hourly"] == "temperature_2m,precipitation_probability"
    assert query["forecast_days"] == "1" and query["wind_speed_unit"] == "kmh"
    assert [r.instant for r in answer.readings] == [
        datetime(2022, 7, 1, h, tzinfo=UTC) for h in range(3)
    ]
    assert [r.values["temperatura"] for r in answer.readings] == [13.0, 12.7, 12.7]
    # the documented object has no precipitation_probability column: missing, never 0
    assert all(r.values["probabilidad_precipitacion"] is None for r in answer.readings)
    assert "probabilidad_precipitacion" not in answer.readings[0].provenance


def test_bad_days_and_unknown_variables_make_no_call(httpserver):
    om = provider(httpserver, SAMARA_NOW)
    assert failure(lambda: om.forecast(SAMARA, 0, Granularity.DAILY, "UTC", NAMES, None)) == (
        Reason.ERROR,
        "rango_invalido",
    )
    only_history = ["temperatura"]  # no daily mean is asked to the forecast API
    assert failure(
        lambda: om.forecast(SAMARA, 3, Granularity.DAILY, "UTC", only_history, None)
    ) == (Reason.ERROR, "no_soportado")
    assert failure(lambda: om.forecast(SAMARA, 3, Granularity.DAILY, "Mars/Base", NAMES, None)) == (
        Reason.ERROR,
        "zona_horaria_desconocida",
    )
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("data", "status", "expected"),
    [
        (sample("public-error-400-latitude-out-of-range.json"), 400, "http_400"),
        (sample("public-error-400-latitude-out-of-range.json"), 200, "cuerpo_de_error"),
        (b'{"error":true,"reason":"Minutely API request limit exceeded."}', 429, None),
        (b"[]", 200, "respuesta_inesperada"),
    ],
)
def test_forecast_faults(httpserver, data, status, expected):
    serve(httpserver, FORECAST, data, status)
    om = provider(httpserver, SAMARA_NOW)
    reason, code = failure(lambda: om.forecast(SAMARA, 7, Granularity.DAILY, "UTC", NAMES, None))
    assert reason is Reason.ERROR
    assert code == (expected or "limite_del_proveedor")


# --- recent history days from the forecast API (issue 13, point 6) ---------------------------
# Constructed answers: the structure of the archive/forecast samples (frenck fixture, docs
# object), with made-up temperatures so that every hour is told apart; NOT real weather.


def hourly_body(first: date, last: date, value, zone_name: str = "America/Bogota") -> bytes:
    """An Open-Meteo hourly answer for local dates first..last (offset -5 h, no DST)."""
    times, temps = [], []
    hour = datetime.combine(first, datetime.min.time())
    while hour.date() <= last:
        times.append(hour.strftime("%Y-%m-%dT%H:%M"))
        temps.append(value(hour))
        hour += timedelta(hours=1)
    body = {
        "latitude": 4.7,
        "longitude": -74.1,
        "utc_offset_seconds": -18000,
        "timezone": zone_name,
        "timezone_abbreviation": "GMT-5",
        "elevation": 2582.0,
        "hourly_units": {"time": "iso8601", "temperature_2m": "°C"},
        "hourly": {"time": times, "temperature_2m": temps},
    }
    return json.dumps(body).encode()


def archived(hour: datetime) -> float | None:
    """ERA5 as it stands on 2026-03-01: nothing after 2026-02-25."""
    return None if hour.date() > date(2026, 2, 25) else 10.0 + hour.hour / 100


def modelled(hour: datetime) -> float:
    return 20.0 + hour.hour / 100


def bogota(start: date, end: date, granularity=Granularity.HOURLY) -> TimeRange:
    return TimeRange(start, end, granularity, "America/Bogota")


def test_a_history_range_ending_yesterday_has_every_hour(httpserver):
    start, end = date(2026, 2, 22), date(2026, 2, 28)
    serve(httpserver, ARCHIVE, hourly_body(start, end, archived))
    serve(httpserver, FORECAST, hourly_body(date(2026, 2, 24), end, modelled))
    answer = provider(httpserver, BOGOTA_NOW).history(
        BOGOTA, bogota(start, end), ["temperatura"], None
    )
    instants = [r.instant for r in answer.readings]
    first = datetime(2026, 2, 22, tzinfo=BOGOTA_ZONE)
    assert instants == [first + timedelta(hours=k) for k in range(7 * 24)]  # no gap, no twin
    assert all(r.values["temperatura"] is not None for r in answer.readings)
    by_day = {r.instant.date(): r for r in answer.readings if r.instant.hour == 6}
    assert by_day[date(2026, 2, 25)].values["temperatura"] == 10.06  # the archive's own
    assert by_day[date(2026, 2, 25)].provenance == {}
    assert by_day[date(2026, 2, 26)].values["temperatura"] == 20.06  # from the forecast API
    assert by_day[date(2026, 2, 28)].provenance["temperatura"] == {
        "tipo": "modelo",
        "modelo": "best_match",
    }
    assert answer.kind is DataKind.REANALYSIS
    (query,) = queries(httpserver, FORECAST)  # the last ARCHIVE_DELAY_DAYS (5) days only
    assert (query["start_date"], query["end_date"]) == ("2026-02-24", "2026-02-28")
    assert query["hourly"] == "temperature_2m" and query["timezone"] == "America/Bogota"
    assert answer.meta["relleno_reciente"]["modelo"] == "best_match"


def test_an_archive_with_nothing_yet_answers_from_the_forecast_api(httpserver):
    start, end = date(2026, 2, 27), date(2026, 2, 28)
    serve(httpserver, ARCHIVE, hourly_body(start, end, archived))  # all null: sin_datos
    serve(httpserver, FORECAST, hourly_body(start, end, modelled))
    answer = provider(httpserver, BOGOTA_NOW).history(
        BOGOTA, bogota(start, end), ["temperatura"], None
    )
    assert len(answer.readings) == 48
    assert all(r.provenance["temperatura"]["tipo"] == "modelo" for r in answer.readings)


def test_recent_daily_history_is_built_from_the_forecast_hours(httpserver):
    start, end = date(2026, 2, 25), date(2026, 2, 28)
    daily = {
        "latitude": 4.7,
        "longitude": -74.1,
        "utc_offset_seconds": -18000,
        "timezone": "America/Bogota",
        "daily_units": {"time": "iso8601", "temperature_2m_max": "°C"},
        "daily": {
            "time": [(start + timedelta(k)).isoformat() for k in range(4)],
            "temperature_2m_max": [14.5, None, None, None],
        },
    }
    serve(httpserver, ARCHIVE, json.dumps(daily).encode())
    serve(httpserver, FORECAST, hourly_body(date(2026, 2, 24), end, modelled))
    answer = provider(httpserver, BOGOTA_NOW).history(
        BOGOTA, bogota(start, end, Granularity.DAILY), ["temperatura_max"], None
    )
    assert [r.instant for r in answer.readings] == [
        datetime.combine(start + timedelta(k), datetime.min.time(), BOGOTA_ZONE) for k in range(4)
    ]
    assert [r.values["temperatura_max"] for r in answer.readings] == [14.5, 20.23, 20.23, 20.23]
    assert answer.readings[0].provenance == {}
    assert answer.readings[3].provenance["temperatura_max"]["modelo"] == "best_match"


def test_old_ranges_and_complete_recent_days_ask_only_the_archive(httpserver):
    serve(httpserver, ARCHIVE, hourly_body(date(2026, 2, 1), date(2026, 2, 2), modelled))
    om = provider(httpserver, BOGOTA_NOW)
    om.history(BOGOTA, bogota(date(2026, 2, 1), date(2026, 2, 2)), ["temperatura"], None)
    httpserver.clear()
    serve(httpserver, ARCHIVE, hourly_body(date(2026, 2, 24), date(2026, 2, 25), modelled))
    om.history(BOGOTA, bogota(date(2026, 2, 24), date(2026, 2, 25)), ["temperatura"], None)
    assert queries(httpserver, FORECAST) == []


def test_a_failing_forecast_api_leaves_the_archive_answer(httpserver):
    start, end = date(2026, 2, 24), date(2026, 2, 28)
    serve(httpserver, ARCHIVE, hourly_body(start, end, archived))
    serve(httpserver, FORECAST, b'{"error":true,"reason":"Internal"}', 500)
    answer = provider(httpserver, BOGOTA_NOW).history(
        BOGOTA, bogota(start, end), ["temperatura"], None
    )
    assert len(answer.readings) == 5 * 24
    assert answer.readings[-1].values["temperatura"] is None  # still a gap, said plainly
    assert "relleno_reciente" not in answer.meta


def test_the_delay_is_a_setting(httpserver):
    start, end = date(2026, 2, 24), date(2026, 2, 28)
    serve(httpserver, ARCHIVE, hourly_body(start, end, archived))
    serve(httpserver, FORECAST, hourly_body(date(2026, 2, 26), end, modelled))
    om = provider(httpserver, BOGOTA_NOW, archive_delay_days=3)
    answer = om.history(BOGOTA, bogota(start, end), ["temperatura"], None)
    assert queries(httpserver, FORECAST)[0]["start_date"] == "2026-02-26"
    assert all(r.values["temperatura"] is not None for r in answer.readings)
