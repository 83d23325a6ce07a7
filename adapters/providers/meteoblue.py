"""Meteoblue forecast packages (basic-1h, basic-day) as a WeatherProvider, with URL signing.

- current: the `basic-1h` row of the hour holding "now". The `current` package is not used: it
  lacks humidity, pressure and precipitation (PROVIDERS.md 3.3) and would cost a second package.
- history: what the forecast packages carry, `history_days` 1-4 and `forecast_days` 1-7
  (docs.meteoblue.com); other dates raise rango_no_soportado before any network call.
- units: those the response declares in `units` win; an unknown one ("2char") gives None.
- times: unix s or ms per `units.time`, or local "YYYY-MM-DD hh:mm". Daily stamps are not local
  midnight (Minsk sample: 03:00Z = 06:00 local): a day is the date of the nearest local midnight.
- signing (Credentials.api_secret): `sig` = hex HMAC-SHA256(secret, path?query) over the exact
  query sent, ending in `expire` (unix s, rounded up to a window so cache keys hold); `sig` is
  appended last and is never logged or stored.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any
from urllib.parse import urlencode

from adapters.providers import toolkit
from adapters.providers.http_client import ProviderHttp, redact
from domain.model import units, weather_codes
from domain.model.consensus import Reason
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

HOURLY, DAILY = "basic-1h", "basic-day"
MAX_HISTORY_DAYS, MAX_FORECAST_DAYS = 4, 7
EXPIRE_PARAM = "expire"  # one client spells it "expires" (PROVIDERS.md 3.2)
SIGNATURE_WINDOW = 600  # seconds; a signature stays valid for 10-20 minutes
CURRENT_TTL, TODAY_TTL, PAST_TTL = 600, 3600, 2_592_000
NO_ACCESS = "sin_acceso_al_plan"

# (catalogue name, response field, key of `units`, the unit we ask for)
_HOURLY_FIELDS = (
    ("temperatura", "temperature", "temperature", "C"),
    ("sensacion_termica", "felttemperature", "temperature", "C"),
    ("humedad_relativa", "relativehumidity", "relativehumidity", "percent"),
    ("presion_atmosferica", "sealevelpressure", "pressure", "hPa"),
    ("velocidad_viento", "windspeed", "windspeed", "kmh"),
    ("direccion_viento", "winddirection", "winddirection", "degree"),
    ("precipitacion", "precipitation", "precipitation", "mm"),
    ("indice_uv", "uvindex", None, ""),
)
_DAILY_FIELDS = (
    ("temperatura", "temperature_mean", "temperature", "C"),
    ("temperatura_min", "temperature_min", "temperature", "C"),
    ("temperatura_max", "temperature_max", "temperature", "C"),
    ("sensacion_termica", "felttemperature_mean", "temperature", "C"),
    ("humedad_relativa", "relativehumidity_mean", "relativehumidity", "percent"),
    ("presion_atmosferica", "sealevelpressure_mean", "pressure", "hPa"),
    ("velocidad_viento", "windspeed_mean", "windspeed", "kmh"),
    ("direccion_viento", "winddirection", "winddirection", "degree"),
    ("precipitacion", "precipitation", "precipitation", "mm"),
    ("indice_uv", "uvindex", None, ""),
)
_FORMAT = {"format": "json", "timeformat": "timestamp_utc", "temperature": "C", "windspeed": "kmh"}
_FORMAT |= {"precipitationamount": "mm", "winddirection": "degree"}
_VARIABLES = frozenset(n for n, *_ in _HOURLY_FIELDS + _DAILY_FIELDS) | {"descripcion_clima"}


def _utc_now() -> datetime:
    return datetime.now(UTC)


class MeteoblueProvider:
    """Meteoblue forecast packages; `http` points at the origin (https://my.meteoblue.com)."""

    name = "meteoblue"
    capabilities = Capabilities(
        current=True, history_hourly=True, history_daily=True, variables=_VARIABLES, needs_key=True
    )

    def __init__(
        self,
        http: ProviderHttp,
        *,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._http = http
        self._clock = clock

    def current(
        self, location: Location, variables: Sequence[str], credentials: Credentials | None
    ) -> ProviderAnswer:
        creds = toolkit.require_key(credentials)
        now = self._clock()
        body, meta = self._fetch(HOURLY, location, creds, {"forecast_days": 1}, CURRENT_TTL)
        rows = _rows(body, "data_1h", _HOURLY_FIELDS, _wanted(variables), None, daily=False)
        hour = [(t, v) for t, v in rows if t <= now < t + timedelta(hours=1)]
        if not hour:
            raise ProviderUnavailable(Reason.ERROR, "sin_dato_actual")
        instant, values = hour[-1]
        return ProviderAnswer(self.name, DataKind.MODEL, (Reading(instant, values),), meta)

    def history(
        self,
        location: Location,
        time_range: TimeRange,
        variables: Sequence[str],
        credentials: Credentials | None,
    ) -> ProviderAnswer:
        local = toolkit.zone(time_range.timezone)
        today = self._clock().astimezone(local).date()
        start, end = time_range.start, time_range.end
        oldest = today - timedelta(days=MAX_HISTORY_DAYS)
        latest = today + timedelta(days=MAX_FORECAST_DAYS - 1)
        if start > end or start < oldest or end > latest:
            raise ProviderUnavailable(Reason.ERROR, "rango_no_soportado")
        creds = toolkit.require_key(credentials)
        extra: dict[str, Any] = {"tz": time_range.timezone}
        extra["forecast_days"] = max(1, (end - today).days + 1)
        if start < today:
            extra["history_days"] = (today - start).days
        daily = time_range.granularity is Granularity.DAILY
        package, section = (DAILY, "data_day") if daily else (HOURLY, "data_1h")
        ttl = TODAY_TTL if end >= today else PAST_TTL
        body, meta = self._fetch(package, location, creds, extra, ttl)
        fields = _DAILY_FIELDS if daily else _HOURLY_FIELDS
        readings = []
        for when, values in _rows(body, section, fields, _wanted(variables), local, daily=daily):
            day = when if daily else when.astimezone(local).date()
            if start <= day <= end:
                readings.append(Reading(toolkit.midnight(day, local) if daily else when, values))
        return ProviderAnswer(self.name, DataKind.MODEL, tuple(readings), meta)

    def _fetch(self, package, location, creds, extra, ttl) -> tuple[Any, dict[str, Any]]:
        path = f"/packages/{package}"
        params = {**toolkit.rounded_point(location), "apikey": creds.api_key, **_FORMAT, **extra}
        query = {key: str(value) for key, value in params.items()}
        sent = _signed(path, query, creds.api_secret, self._clock()) if creds.api_secret else query
        section = "data_day" if package == DAILY else "data_1h"
        check = _checker(section)  # NO_ACCESS: a 200 saying the key has no access to this API
        body = toolkit.get_keyed_json(
            self._http, path, sent, ttl=ttl, credentials=creds, check=check, key_codes={NO_ACCESS}
        )
        metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
        meta = {
            "endpoint": path,
            "params": redact({k: v for k, v in sent.items() if k != "sig"}),
            "unidades": dict(body.get("units") or {}),
            "ejecucion_modelo_utc": metadata.get("modelrun_utc"),
            "elevacion": metadata.get("height"),
            "firmado": bool(creds.api_secret),
        }
        return body, meta


def _signed(path: str, query: dict[str, str], secret: str, now: datetime) -> dict[str, str]:
    """The query plus `expire` and `sig` (hex HMAC-SHA256 of path?query, computed last)."""
    expire = (int(now.timestamp()) // SIGNATURE_WINDOW + 2) * SIGNATURE_WINDOW
    signed = {**query, EXPIRE_PARAM: str(expire)}
    message = f"{path}?{urlencode(signed)}".encode()
    signed["sig"] = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return signed


def _checker(section: str) -> Callable[[Any], str | None]:
    def check(body: Any) -> str | None:
        if not isinstance(body, dict):
            return "sin_datos"
        if body.get("error") is True or "error_message" in body:
            message = str(body.get("error_message", "")).lower()
            if "apikey" in message or "access" in message:
                return NO_ACCESS
            return "altitud_fuera_de_rango" if "asl" in message else "cuerpo_de_error"
        data = body.get(section)
        if not isinstance(data, dict) or not isinstance(data.get("time"), list) or not data["time"]:
            return "sin_datos"
        return None

    return check


def _rows(body, section, fields, names, where, *, daily):
    """(instant, or local date when daily; values) per timestep, in canonical units."""
    data, declared = body[section], body.get("units") or {}
    time_unit = str(declared.get("time", ""))
    where = where or _offset(body.get("metadata") or {})
    columns: dict[str, list[float | None]] = {}
    for name, field, unit_key, asked in fields:
        if name in names and isinstance(data.get(field), list):
            unit = str(declared.get(unit_key, asked)) if unit_key else asked
            known = units.is_known_unit(unit)
            target = VARIABLES[name].unit
            columns[name] = [_convert(v, unit, target) if known else None for v in data[field]]
    if "descripcion_clima" in names and isinstance(data.get("pictocode"), list):
        to_wmo = (  # daily pictocodes are 1-17, hourly ones 1-35
            weather_codes.from_meteoblue_daily_pictocode
            if daily
            else weather_codes.from_meteoblue_pictocode
        )
        columns["descripcion_clima"] = [toolkit.weather_code(p, to_wmo) for p in data["pictocode"]]
    rows = []
    for i, raw in enumerate(data["time"]):
        when = _day(raw, time_unit, where) if daily else _instant(raw, time_unit, where)
        if when is not None:
            rows.append((when, {n: col[i] if i < len(col) else None for n, col in columns.items()}))
    return rows


def _instant(raw: Any, time_unit: str, where: tzinfo) -> datetime | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        unit = time_unit.lower()
        millis = "milli" in unit or ("second" not in unit and raw > 1e11)
        return datetime.fromtimestamp(raw / 1000 if millis else raw, UTC)
    if isinstance(raw, str):
        try:
            parsed = datetime.fromisoformat(raw.strip())
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=where)
    return None


def _day(raw: Any, time_unit: str, where: tzinfo) -> date | None:
    if isinstance(raw, str):
        instant = _instant(raw, time_unit, where)
        return instant.date() if instant else None  # the local date as labelled
    instant = _instant(raw, time_unit, where)
    return (instant.astimezone(where) + timedelta(hours=12)).date() if instant else None


def _convert(value: Any, unit: str, target: str) -> float | None:
    found = toolkit.number(value)
    return None if found is None else units.convert(found, unit, target)


def _wanted(variables: Sequence[str]) -> frozenset[str]:
    """No "no_soportado" here: an answer without the asked variables is an empty reading."""
    return frozenset(toolkit.wanted(_VARIABLES, variables or _VARIABLES, required=False))


def _offset(metadata: Mapping[str, Any]) -> tzinfo:
    hours = toolkit.number(metadata.get("utc_timeoffset"))
    if hours is not None and abs(hours) < 24:
        return timezone(timedelta(hours=hours))
    return UTC
