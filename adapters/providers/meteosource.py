"""Meteosource as a WeatherProvider: `point` for current on every tier, `time_machine` on paid ones.

- current: `point`'s `current` section (`timezone=UTC`). It has no time of its own: its instant
  is the first `hourly` item, the hour it belongs to (their values match in the London sample).
- history: one `time_machine` call per UTC day (`date=`, `timezone=UTC`) covering the local dates,
  at most MAX_DAYS days and never after today; the free tier has none (no_soportado, no network).
  Daily values come from the hourly items: means; min/max temperature; max gust and UV; vector-mean
  direction; the most severe code; precipitation summed only over complete days.
- units: the system the response names (`units: "metric"`: m/s, mm, hPa, visibility in km).
- weather code: PROVIDERS.md does not describe the icon numbers, so the `weather` / `icon` text
  decides; the icon number (Meteosource's list 1-36; the samples confirm 2-7, 10-13, 28-30) is
  the fallback.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from statistics import fmean
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.providers.http_client import ProviderHttp, redact
from domain.model import units, weather_codes
from domain.model.consensus import Reason, circular_mean
from domain.model.location import Location
from domain.model.readings import (
    Capabilities,
    Credentials,
    DataKind,
    Granularity,
    ProviderAnswer,
    Reading,
    TimeRange,
)
from domain.model.variables import VARIABLES
from ports.providers import ProviderUnavailable

TIERS = ("free", "startup", "standard", "flexi")
MAX_DAYS = 31
CURRENT_TTL, TODAY_TTL, PAST_TTL = 600, 3600, 2_592_000
# `units=metric` (PROVIDERS.md 4.2): the only system asked for and understood
_METRIC = {"temp": "C", "speed": "m/s", "depth": "mm", "hpa": "hPa", "dist": "km"}
_METRIC |= {"%": "%", "°": "°", "": ""}
# (catalogue name, path in an item, quantity); a number where the path nests is taken as is
_FIELDS = (
    ("temperatura", ("temperature",), "temp"),
    ("sensacion_termica", ("feels_like",), "temp"),
    ("humedad_relativa", ("humidity",), "%"),
    ("presion_atmosferica", ("pressure",), "hpa"),  # sea level (PROVIDERS.md 7.2)
    ("velocidad_viento", ("wind", "speed"), "speed"),
    ("direccion_viento", ("wind", "angle"), "°"),
    ("rafaga_viento", ("wind", "gusts"), "speed"),
    ("precipitacion", ("precipitation", "total"), "depth"),
    ("nubosidad", ("cloud_cover", "total"), "%"),
    ("visibilidad", ("visibility",), "dist"),
    ("indice_uv", ("uv_index",), ""),
)
# `weather` text -> WMO. "possible" counts as light; a rain-snow mix as light snow (as in
# weather_codes' Meteoblue table); hail as a thunderstorm with hail (it comes from convection).
_WMO_BY_TEXT = {
    text: code
    for code, texts in (
        (0, "sunny clear"), (1, "mostly_sunny mostly_clear"), (2, "partly_sunny partly_clear"),
        (3, "mostly_cloudy cloudy overcast overcast_with_low_clouds overcast_w_low_clds"),
        (45, "fog"), (61, "light_rain psbl_rain possible_rain"), (63, "rain"), (80, "rain_shower"),
        (95, "tstorm thunderstorm tstorm_shower local_thunderstorms"),
        (71, "light_snow psbl_snow possible_snow rain_and_snow psbl_rain_and_snow"),
        (71, "possible_rain_and_snow"), (73, "snow"), (85, "snow_shower"),
        (66, "psbl_fr_rain possible_freezing_rain"), (67, "freezing_rain fr_rain"), (96, "hail"),
    )
    for text in texts.split()
}  # fmt: skip
_ICONS = (  # icon number -> `weather` text; night icons (26-36) share the day's meaning
    "", "not_available", "sunny", "mostly_sunny", "partly_sunny", "mostly_cloudy", "cloudy",
    "overcast", "overcast_with_low_clouds", "fog", "light_rain", "rain", "possible_rain",
    "rain_shower", "thunderstorm", "local_thunderstorms", "light_snow", "snow", "possible_snow",
    "snow_shower", "rain_and_snow", "possible_rain_and_snow", "rain_and_snow", "freezing_rain",
    "possible_freezing_rain", "hail", "clear", "mostly_clear", "partly_clear", "mostly_cloudy",
    "cloudy", "overcast_with_low_clouds", "rain_shower", "local_thunderstorms", "snow_shower",
    "rain_and_snow", "possible_freezing_rain",
)  # fmt: skip
_HOURLY_VARIABLES = frozenset(name for name, *_ in _FIELDS) | {"descripcion_clima"}
_VARIABLES = _HOURLY_VARIABLES | {"temperatura_min", "temperatura_max"}


def _utc_now() -> datetime:
    return datetime.now(UTC)


class MeteosourceProvider:
    """Meteosource for one tier (the key must belong to it); `http` is the origin."""

    name = "meteosource"

    def __init__(
        self,
        http: ProviderHttp,
        *,
        tier: str = "free",
        system_credentials: Credentials | None = None,
        clock: Callable[[], datetime] = _utc_now,
        max_days: int = MAX_DAYS,
    ) -> None:
        if tier not in TIERS:
            raise ValueError(f"unknown Meteosource tier {tier!r}")
        self._http, self.tier, self._clock, self._max_days = http, tier, clock, max_days
        self._system_credentials = system_credentials  # only when the caller passes None
        paid = tier != "free"
        self.capabilities = Capabilities(True, paid, paid, _VARIABLES, needs_key=True)

    def current(
        self, location: Location, variables: Sequence[str], credentials: Credentials | None
    ) -> ProviderAnswer:
        creds = self._credentials(credentials)
        path, params = f"/api/v1/{self.tier}/point", self._place(location)
        params.update(sections="current,hourly", units="metric", language="en", timezone="UTC")
        body = self._get(path, {**params, "key": creds.api_key}, creds, CURRENT_TTL, "current")
        _metric(body)
        zone = _zone(body.get("timezone"), UTC)
        hourly = body.get("hourly") if isinstance(body.get("hourly"), dict) else {}
        first = (hourly.get("data") or [None])[0]
        instant = _time(first.get("date") if isinstance(first, dict) else None, zone)
        instant = instant or self._clock()  # no hourly section: the time of asking
        values = _values(body["current"], _wanted(variables, _HOURLY_VARIABLES))
        meta = _meta(path, params, body) | {"instante": "hora_de_la_primera_fila_horaria"}
        return ProviderAnswer(self.name, DataKind.MODEL, (Reading(instant, values),), meta)

    def history(
        self,
        location: Location,
        time_range: TimeRange,
        variables: Sequence[str],
        credentials: Credentials | None,
    ) -> ProviderAnswer:
        if self.tier == "free":
            raise ProviderUnavailable(Reason.ERROR, "no_soportado")
        local = _zone(time_range.timezone, None)
        now = self._clock()
        start, end = time_range.start, time_range.end
        days = (end - start).days + 1
        if not 1 <= days <= self._max_days or end > now.astimezone(local).date():
            raise ProviderUnavailable(Reason.ERROR, "rango_no_soportado")
        creds = self._credentials(credentials)
        first = datetime.combine(start, time(), local).astimezone(UTC)
        after = datetime.combine(end + timedelta(days=1), time(), local).astimezone(UTC)
        last = (after - timedelta(microseconds=1)).date()
        utc_days = [first.date() + timedelta(days=k) for k in range((last - first.date()).days + 1)]
        path, params = f"/api/v1/{self.tier}/time_machine", self._place(location)
        params.update(units="metric", timezone="UTC")
        hours: dict[datetime, dict[str, float | None]] = {}
        for day in utc_days:
            ttl = PAST_TTL if day < now.astimezone(UTC).date() else TODAY_TTL
            query = {**params, "date": day.isoformat(), "key": creds.api_key}
            body = self._get(path, query, creds, ttl, "data")
            _metric(body)
            for item in body["data"]:
                instant = _time(item.get("date") if isinstance(item, dict) else None, UTC)
                if instant and instant.date() == day and first <= instant < after:
                    hours[instant] = _values(item, _HOURLY_VARIABLES)
        meta = _meta(path, params, body) | {"fechas_utc": [d.isoformat() for d in utc_days]}
        wanted = _wanted(variables, _VARIABLES)
        if time_range.granularity is Granularity.HOURLY:
            readings = [Reading(t, _pick(v, wanted)) for t, v in sorted(hours.items())]
        else:
            readings = _daily(hours, start, end, local, wanted)
            meta["agregacion"] = "diaria_desde_horaria"
        return ProviderAnswer(self.name, DataKind.MODEL, tuple(readings), meta)

    def _credentials(self, credentials: Credentials | None) -> Credentials:
        creds = credentials or self._system_credentials
        if creds is None:
            raise ProviderUnavailable(Reason.SIN_CLAVE, "sin_clave")
        return creds

    @staticmethod
    def _place(location: Location) -> dict[str, Any]:
        return {"lat": round(location.latitude, 2), "lon": round(location.longitude, 2)}

    def _get(self, path: str, params: dict[str, Any], creds: Credentials, ttl: int, section: str):
        try:
            return self._http.get_json(
                path, params, ttl=ttl, charge=creds.charge, error_check=_checker(section)
            )
        except ProviderUnavailable as exc:
            if exc.code == "clave_rechazada":  # a 200 whose `detail` is about the key
                raise ProviderUnavailable(Reason.CLAVE_INVALIDA, exc.code) from None
            raise


def _checker(section: str) -> Callable[[Any], str | None]:
    def check(body: Any) -> str | None:
        if not isinstance(body, dict):
            return "sin_datos"
        if "detail" in body:
            return "clave_rechazada" if "key" in str(body["detail"]).lower() else "cuerpo_de_error"
        found = body.get(section)
        return None if found and isinstance(found, dict | list) else "sin_datos"

    return check


def _metric(body: dict[str, Any]) -> None:
    if body.get("units", "metric") != "metric":
        raise ProviderUnavailable(Reason.ERROR, "unidades_desconocidas")


def _values(item: dict[str, Any], wanted: frozenset[str]) -> dict[str, float | None]:
    values: dict[str, float | None] = {}
    for name, path, quantity in _FIELDS:
        if name in wanted:
            node: Any = item
            for key in path:
                node = node.get(key) if isinstance(node, dict) else node
            number, target = _number(node), VARIABLES[name].unit
            values[name] = (
                None if number is None else units.convert(number, _METRIC[quantity], target)
            )
    if "descripcion_clima" in wanted:
        values["descripcion_clima"] = _wmo(item)
    return values


def _wmo(item: dict[str, Any]) -> float | None:
    texts = [t for t in (item.get("weather"), item.get("icon")) if isinstance(t, str)]
    numbers = [n for n in (item.get("icon_num"), item.get("icon")) if _number(n) is not None]
    texts += [_ICONS[int(n)] for n in numbers if float(n).is_integer() and 0 < n < len(_ICONS)]
    for text in texts:
        key = text.strip().lower().replace(" ", "_").replace("-", "_").removesuffix("_night")
        if key in _WMO_BY_TEXT:
            return float(_WMO_BY_TEXT[key])
    return None


def _daily(hours, start: date, end: date, zone: tzinfo, wanted) -> list[Reading]:
    """One Reading per local day that has hourly items, at local midnight."""
    readings = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        midnight = datetime.combine(day, time(), zone)
        following = datetime.combine(day + timedelta(days=1), time(), zone)
        expected = (following.astimezone(UTC) - midnight.astimezone(UTC)) // timedelta(hours=1)
        rows = [v for t, v in hours.items() if t.astimezone(zone).date() == day]
        if rows:
            values = {name: how(_column(rows, source)) for name, source, how in _DAILY}
            rain = _column(rows, "precipitacion")  # a sum over a partial day would be too low
            values["precipitacion"] = math.fsum(rain) if len(rain) == expected else None
            readings.append(Reading(midnight, _pick(values, wanted)))
    return readings


def _column(rows: list[dict[str, float | None]], name: str) -> list[float]:
    return [v for r in rows if (v := r.get(name)) is not None]


def _nonempty(how: Callable[[list[float]], float]) -> Callable[[list[float]], float | None]:
    return lambda values: how(values) if values else None


def _worst(codes: list[float]) -> float | None:
    """The most severe WMO category of the day, then the higher code (as Open-Meteo's daily)."""
    return max(codes, key=lambda c: (weather_codes.category_of(int(c)).severity, c), default=None)


_MEAN, _HIGH = _nonempty(fmean), _nonempty(max)
_DAILY = (  # (name, hourly source, aggregation); precipitation is summed apart
    *((name, name, _MEAN) for name in ("temperatura", "sensacion_termica", "humedad_relativa",
      "presion_atmosferica", "velocidad_viento", "nubosidad", "visibilidad")),
    ("temperatura_min", "temperatura", _nonempty(min)), ("temperatura_max", "temperatura", _HIGH),
    ("rafaga_viento", "rafaga_viento", _HIGH), ("indice_uv", "indice_uv", _HIGH),
    ("direccion_viento", "direccion_viento", circular_mean),
    ("descripcion_clima", "descripcion_clima", _worst),
)  # fmt: skip


def _meta(path: str, params: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    return {
        "endpoint": path,
        "params": redact(params),
        "unidades": body.get("units"),
        "elevacion": body.get("elevation"),
        "coordenadas": [_coordinate(body.get("lat")), _coordinate(body.get("lon"))],
    }


def _pick(values: dict[str, float | None], wanted: frozenset[str]) -> dict[str, float | None]:
    return {k: v for k, v in values.items() if k in wanted}


def _wanted(variables: Sequence[str], supported: frozenset[str]) -> frozenset[str]:
    return frozenset(variables) & supported if variables else supported


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _coordinate(raw: Any) -> float | None:
    """The response's "51.50853N" / "0.12574W" strings as signed degrees."""
    hemisphere = raw[-1:].upper() if isinstance(raw, str) else ""
    sign = {"N": 1, "E": 1, "S": -1, "W": -1}.get(hemisphere)
    return sign * float(raw[:-1]) if sign and raw[:-1].replace(".", "", 1).isdigit() else None


def _time(raw: Any, zone: tzinfo) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    return parsed if parsed is None or parsed.tzinfo else parsed.replace(tzinfo=zone)


def _zone(name: Any, fallback: tzinfo | None) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        if fallback is None:
            raise ProviderUnavailable(Reason.ERROR, "zona_horaria_invalida") from None
        return fallback
