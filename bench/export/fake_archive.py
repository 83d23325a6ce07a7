"""A fake Open-Meteo archive API on 127.0.0.1: hourly ERA5-shaped answers for any range.

Only what OpenMeteoProvider.history() reads: `utc_offset_seconds` (the zone's current offset),
`hourly.time` as local wall time and one list per requested variable. Values are smooth
daily cycles with a gap (null) now and then, so the consensus has both zeros and missing values.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from loopback import LoopbackServer


def value(variable: str, hour: int) -> float | int | None:
    """A plausible, deterministic reading of one ERA5 variable at hour `hour` of the range."""
    day = math.sin(2 * math.pi * (hour % 24) / 24)
    if hour % 97 == 13:
        return None
    shapes = {
        "temperature_2m": 14.0 + 6.0 * day,
        "apparent_temperature": 13.0 + 7.0 * day,
        "relative_humidity_2m": round(75 - 15 * day),
        "pressure_msl": 1012.0 + 3.0 * math.cos(hour / 50),
        "wind_speed_10m": 8.0 + 4.0 * abs(day),
        "wind_direction_10m": round((hour * 7) % 360),
        "wind_gusts_10m": 15.0 + 6.0 * abs(day),
        "precipitation": 0.0 if hour % 11 else 1.2,
        "cloud_cover": round(50 + 40 * day),
        "weather_code": 3 if hour % 11 else 61,
    }
    raw = shapes.get(variable, 1.0)
    return round(raw, 1) if isinstance(raw, float) else raw


def archive_body(query: dict[str, list[str]]) -> bytes:
    zone_name = query.get("timezone", ["GMT"])[0]
    zone = ZoneInfo(zone_name)
    start = date.fromisoformat(query["start_date"][0])
    end = date.fromisoformat(query["end_date"][0])
    variables = [v for v in query.get("hourly", [""])[0].split(",") if v]
    offset = int(datetime.now(zone).utcoffset().total_seconds())
    hours = ((end - start).days + 1) * 24
    first = datetime.combine(start, datetime.min.time())
    times = [(first + timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M") for h in range(hours)]
    hourly: dict[str, list] = {"time": times}
    for variable in variables:
        hourly[variable] = [value(variable, h) for h in range(hours)]
    body = {
        "latitude": float(query["latitude"][0]),
        "longitude": float(query["longitude"][0]),
        "utc_offset_seconds": offset,
        "timezone": zone_name,
        "elevation": 2582.0,
        "hourly_units": {"time": "iso8601"},
        "hourly": hourly,
    }
    return json.dumps(body).encode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != "/v1/archive":
            self.send_error(404)
            return
        body = archive_body(parse_qs(parts.query))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


class FakeArchive(LoopbackServer):
    """Serves in a daemon thread of the benchmark process; `origin` goes to the app settings."""

    def __init__(self) -> None:
        super().__init__(_Handler)
