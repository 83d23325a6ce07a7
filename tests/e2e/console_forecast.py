"""Forecast answers of three providers for the browser tests, built on the asked parameters.

A hot lowland day at every provider (Montería, America/Bogota): from 11:00 to 16:59 local all
three are pinned at 30 °C and 60 % (ITH 79.84, `peligro`: one heat-stress alert a day); at night
they disagree (22, 23 and 24 °C at 90 %), so the consensus has a band; mornings and evenings
ramp between the two (ITH stays below 79). Each provider answers within its own horizon as the
real ones do: Open-Meteo the whole local days asked, OpenWeatherMap One Call 48 hours from the
current hour, Meteosource (paid tier) 155 hours from the next hour, so `n_fuentes` falls 3 → 2
→ 1 with lead time.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from werkzeug import Request, Response

PLACE = ZoneInfo("America/Bogota")  # the place's own days and hours
NIGHT_TEMPERATURE = {"open_meteo": 22.0, "openweathermap": 23.0, "meteosource": 24.0}
NIGHT_TEMPERATURE["meteoblue"] = 23.5  # served by the forecast benchmark, not the browser test
DAY_HOURS = range(11, 17)  # 30 °C / 60 % at every provider
HOT, HUMID_HOT, HUMID_NIGHT = 30.0, 60.0, 90.0


def profile(provider: str, instant: datetime) -> tuple[float, float]:
    """(temperature °C, relative humidity %) of `provider` at `instant`."""
    hour = instant.astimezone(PLACE).hour
    if hour in DAY_HOURS:
        share = 1.0
    elif 7 <= hour <= 10:
        share = (hour - 6) / 5
    elif 17 <= hour <= 20:
        share = (21 - hour) / 5
    else:
        share = 0.0
    night = NIGHT_TEMPERATURE[provider]
    return night + (HOT - night) * share, HUMID_NIGHT - (HUMID_NIGHT - HUMID_HOT) * share


def dew_point(t: float, rh: float) -> float:
    """Magnus (Alduchov & Eskridge), so a provider's own dew point agrees with its T and RH."""
    gamma = math.log(rh / 100) + 17.625 * t / (243.04 + t)
    return 243.04 * gamma / (17.625 - gamma)


# What else each step says: calm, dry, partly cloudy.
OPEN_METEO_CONSTANT = {
    "precipitation": 0.0,
    "precipitation_probability": 10,
    "wind_speed_10m": 7.2,
    "wind_direction_10m": 90,
    "wind_gusts_10m": 14.4,
    "pressure_msl": 1010.0,
    "cloud_cover": 40,
    "weather_code": 2,
    "visibility": 24140.0,
    "uv_index": 6.0,
}


def _open_meteo_value(column: str, instant: datetime):
    t, rh = profile("open_meteo", instant)
    by_name = {
        "temperature_2m": t,
        "apparent_temperature": t + 2,
        "relative_humidity_2m": rh,
        "dew_point_2m": round(dew_point(t, rh), 1),
    }
    if column in by_name:
        return round(by_name[column], 2)
    if column == "shortwave_radiation":
        return 600.0 if instant.astimezone(PLACE).hour in DAY_HOURS else 0.0
    return OPEN_METEO_CONSTANT.get(column)


def _days_from_today(zone: ZoneInfo, count: int) -> list[date]:
    today = datetime.now(UTC).astimezone(zone).date()
    return [today + timedelta(days=k) for k in range(count)]


def _local_hours(day: date, zone: ZoneInfo) -> list[datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone).astimezone(UTC)
    return [start + timedelta(hours=k) for k in range(int((end - start).total_seconds() // 3600))]


def open_meteo(request: Request, current_sample: bytes) -> Response:
    """`/v1/forecast`: `current=` → the recorded sample; `hourly=`/`daily=` → the profile."""
    if "hourly" not in request.args and "daily" not in request.args:
        return Response(current_sample, content_type="application/json")
    zone = ZoneInfo(request.args.get("timezone", "GMT").replace("GMT", "UTC"))
    days = _days_from_today(zone, int(request.args.get("forecast_days", "7")))
    offset = int(datetime.now(UTC).astimezone(zone).utcoffset().total_seconds())
    body = {"latitude": 8.75, "longitude": -75.875, "timezone": str(zone)}
    body["utc_offset_seconds"] = offset
    if "hourly" in request.args:
        hours = [h for d in days for h in _local_hours(d, zone)]
        block = {"time": [h.astimezone(zone).strftime("%Y-%m-%dT%H:%M") for h in hours]}
        for column in request.args["hourly"].split(","):
            block[column] = [_open_meteo_value(column, h) for h in hours]
        body["hourly"] = block
    else:
        block = {"time": [d.isoformat() for d in days]}
        for column in request.args["daily"].split(","):
            block[column] = [_open_meteo_day(column, d, zone) for d in days]
        body["daily"] = block
    return Response(json.dumps(body), content_type="application/json")


def _open_meteo_day(column: str, day: date, zone: ZoneInfo):
    temps = [profile("open_meteo", h)[0] for h in _local_hours(day, zone)]
    found = {
        "temperature_2m_min": min(temps),
        "temperature_2m_max": max(temps),
        "temperature_2m_mean": sum(temps) / len(temps),
        "precipitation_sum": 0.0,
        "precipitation_probability_max": 20,
        "wind_gusts_10m_max": 20.0,
        "wind_direction_10m_dominant": 90,
        "uv_index_max": 8.0,
        "weather_code": 2,
    }
    return found.get(column)


def _meteosource_item(instant: datetime, zone: ZoneInfo) -> dict:
    t, rh = profile("meteosource", instant)
    return {
        "date": instant.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S"),
        "weather": "partly_sunny",
        "temperature": round(t, 2),
        "feels_like": round(t + 2, 2),
        "dew_point": round(dew_point(t, rh), 1),
        "humidity": round(rh, 2),
        "pressure": 1011,
        "wind": {"speed": 2.0, "gusts": 4.0, "angle": 95, "dir": "E"},
        "cloud_cover": {"total": 35},
        "precipitation": {"total": 0.0, "type": "none"},
        "probability": {"precipitation": 10},
        "uv_index": 6.0,
        "visibility": 24.0,
    }


def meteosource(request: Request) -> Response:
    """`point` with `sections=hourly,daily` (paid tier: 155 hours from the next one, 30 days);
    a call for `current` gets neither (as before: Meteosource has no current answer here)."""
    sections = request.args.get("sections", "")
    zone = ZoneInfo(request.args.get("timezone", "UTC"))
    body: dict = {"lat": "8.75N", "lon": "75.88W", "timezone": str(zone), "units": "metric"}
    if "hourly" in sections:
        first = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        items = [_meteosource_item(first + timedelta(hours=k), zone) for k in range(155)]
        body["hourly"] = {"data": items}
    if "daily" in sections:
        body["daily"] = {"data": [_meteosource_day(d, zone) for d in _days_from_today(zone, 30)]}
    if "hourly" not in body and "daily" not in body:
        return Response(json.dumps({"detail": "No data"}), status=404)
    return Response(json.dumps(body), content_type="application/json")


def _meteosource_day(day: date, zone: ZoneInfo) -> dict:
    temps = [profile("meteosource", h)[0] for h in _local_hours(day, zone)]
    whole = _meteosource_item(datetime.combine(day, datetime.min.time(), zone), zone)
    whole.pop("date")
    whole |= {"temperature": sum(temps) / len(temps)}
    whole |= {"temperature_min": min(temps), "temperature_max": max(temps)}
    return {"day": day.isoformat(), "weather": "partly_sunny", "all_day": whole}


def _owm_item(instant: datetime) -> dict:
    t, rh = profile("openweathermap", instant)
    return {
        "dt": int(instant.timestamp()),
        "temp": round(t, 2),
        "feels_like": round(t + 2, 2),
        "humidity": round(rh),
        "dew_point": round(dew_point(t, rh), 1),
        "pressure": 1010,
        "clouds": 40,
        "visibility": 10000,
        "wind_speed": 2.1,
        "wind_deg": 92,
        "wind_gust": 4.2,
        "uvi": 6.0,
        "pop": 0.1,
        "rain": {"1h": 0.0},
        "weather": [{"id": 802, "main": "Clouds", "description": "scattered clouds"}],
    }


def openweathermap(request: Request) -> Response:
    """One Call 3.0: 48 hourly steps from the current hour and 8 days (local noon stamps)."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    body = {"lat": 8.75, "lon": -75.88, "timezone": str(PLACE), "timezone_offset": -18000}
    body["hourly"] = [_owm_item(now + timedelta(hours=k)) for k in range(48)]
    days = _days_from_today(PLACE, 8)
    body["daily"] = [_owm_day(d) for d in days]
    return Response(json.dumps(body), content_type="application/json")


def _owm_day(day: date) -> dict:
    temps = [profile("openweathermap", h)[0] for h in _local_hours(day, PLACE)]
    noon = datetime.combine(day, datetime.min.time(), PLACE) + timedelta(hours=12)
    item = _owm_item(noon)
    item["temp"] = {"min": min(temps), "max": max(temps), "day": 30.0, "morn": 24.0}
    item["temp"] |= {"eve": 26.0, "night": 23.0}
    return item


def _meteoblue_hour(instant: datetime) -> dict:
    t, rh = profile("meteoblue", instant)
    return {
        "temperature": round(t, 2),
        "felttemperature": round(t + 2, 2),
        "relativehumidity": round(rh),
        "sealevelpressure": 1011,
        "windspeed": 7.5,
        "winddirection": 88,
        "precipitation": 0.0,
        "precipitation_probability": 10,
        "uvindex": 6,
        "pictocode": 2,
    }


def meteoblue(request: Request) -> Response:
    """`basic-1h_basic-day`: `forecast_days` local days of hours (from local midnight) and of
    days, unix-second stamps, the model run two hours before the current one (as Meteoblue's
    `metadata.modelrun_utc`)."""
    zone = ZoneInfo(request.args.get("tz", "UTC"))
    days = _days_from_today(zone, int(request.args.get("forecast_days", "7")))
    hours = [h for d in days for h in _local_hours(d, zone)]
    run = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    offset = datetime.now(UTC).astimezone(zone).utcoffset().total_seconds() / 3600
    units = {"temperature": "C", "relativehumidity": "percent", "pressure": "hPa"}
    units |= {"windspeed": "kmh", "winddirection": "degree", "precipitation": "mm"}
    units["precipitation_probability"] = "percent"
    items = [_meteoblue_hour(h) for h in hours]
    data_1h = {"time": [int(h.timestamp()) for h in hours]}
    data_1h |= {key: [item[key] for item in items] for key in items[0]}
    body = {"metadata": {"modelrun_utc": int(run.timestamp()), "utc_timeoffset": offset}}
    body |= {"units": units, "data_1h": data_1h, "data_day": _meteoblue_days(days, zone)}
    return Response(json.dumps(body), content_type="application/json")


def _meteoblue_days(days: list[date], zone: ZoneInfo) -> dict:
    block: dict[str, list] = {"time": []}
    for day in days:
        temps = [profile("meteoblue", h)[0] for h in _local_hours(day, zone)]
        noon = datetime.combine(day, datetime.min.time(), zone) + timedelta(hours=12)
        item = _meteoblue_hour(noon) | {"temperature_min": min(temps)}
        item |= {"temperature_max": max(temps), "temperature_mean": sum(temps) / len(temps)}
        renamed = {f"{k}_mean": item.pop(k) for k in ("felttemperature", "relativehumidity")}
        item |= renamed | {"sealevelpressure_mean": item.pop("sealevelpressure")}
        item |= {"windspeed_mean": item.pop("windspeed")}
        block["time"].append(int(datetime.combine(day, datetime.min.time(), zone).timestamp()))
        for key, value in item.items():
            block.setdefault(key, []).append(value)
    return block
