"""OpenWeatherMap: current weather (2.5), One Call 3.0 history and direct geocoding."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.providers.http_client import ProviderHttp, redact
from domain.errors import ValidationError
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import (
    Capabilities,
    Credentials,
    DataKind,
    GeoCandidate,
    Granularity,
    ProviderAnswer,
    Reading,
    TimeRange,
)
from domain.model.units import CELSIUS, KMH, convert
from domain.model.weather_codes import from_openweathermap
from ports.providers import ProviderUnavailable

CURRENT_PATH = "/data/2.5/weather"
TIMEMACHINE_PATH = "/data/3.0/onecall/timemachine"
DAY_SUMMARY_PATH = "/data/3.0/onecall/day_summary"
GEOCODING_PATH = "/geo/1.0/direct"
CURRENT_TTL, RECENT_TTL, PAST_TTL, GEOCODING_TTL = 600, 3600, 30 * 86400, 30 * 86400
# timemachine answers ONE instant per call and every call takes a unit of quota: an hourly
# series costs 24 calls a day, so it is capped at 2 local days. day_summary: one call a day.
MAX_HOURLY_DAYS, MAX_DAILY_DAYS = 2, 31
MAX_GEOCODING_LIMIT = 5  # documented maximum of /geo/1.0/direct
# `units` changes only temperature (T) and wind speed (V); hPa, %, °, m and mm never change.
UNIT_SYSTEMS: Mapping[str, tuple[str, str]] = {
    "standard": ("K", "m/s"),
    "metric": ("°C", "m/s"),
    "imperial": ("°F", "mph"),
}
# Catalogue name -> (2.5 current path, One Call `data[]` path, "T" | "V" to convert, "" as is);
# "a|b": the first present. 2.5 main.pressure is sea level (main.sea_level wins when present),
# and so is One Call `pressure`. 2.5 temp_min/temp_max are the spread across the city right
# now, not the day's extremes: not mapped.
FIELDS: Mapping[str, tuple[str, str, str]] = {
    "temperatura": ("main.temp", "temp", "T"),
    "sensacion_termica": ("main.feels_like", "feels_like", "T"),
    "humedad_relativa": ("main.humidity", "humidity", ""),
    "presion_atmosferica": ("main.sea_level|main.pressure", "pressure", ""),
    "velocidad_viento": ("wind.speed", "wind_speed", "V"),
    "direccion_viento": ("wind.deg", "wind_deg", ""),
    "rafaga_viento": ("wind.gust", "wind_gust", "V"),
    "nubosidad": ("clouds.all", "clouds", ""),
    "visibilidad": ("visibility", "visibility", ""),
    "indice_uv": ("", "uvi", ""),  # One Call only
}
CURRENT_FIELDS = {name: (path, kind) for name, (path, _, kind) in FIELDS.items() if path}
HOURLY_FIELDS = {name: (path, kind) for name, (_, path, kind) in FIELDS.items()}
# day_summary. Left out on purpose: humidity.afternoon (RH at 12 h, near its daily minimum)
# and wind.max (the day's strongest wind): other statistics than the daily means averaged.
DAILY_FIELDS: Mapping[str, tuple[str, str]] = {
    "temperatura_min": ("temperature.min", "T"),
    "temperatura_max": ("temperature.max", "T"),
    "presion_atmosferica": ("pressure.afternoon", ""),  # at 12 h
    "precipitacion": ("precipitation.total", ""),  # the day's total, 0.0 when dry
    "nubosidad": ("cloud_cover.afternoon", ""),  # at 12 h
}
_EXTRA = frozenset({"precipitacion", "descripcion_clima"})  # see _rain_and_code
CURRENT_VARIABLES = frozenset(CURRENT_FIELDS) | _EXTRA
HOURLY_VARIABLES = frozenset(HOURLY_FIELDS) | _EXTRA
DAILY_VARIABLES = frozenset(DAILY_FIELDS) | {"temperatura"}  # see _day_values
_KEY_CODES = ("clave_invalida", "sin_acceso_al_plan")


class OpenWeatherMapProvider:
    """OpenWeatherMap as a WeatherProvider; history needs the One Call 3.0 subscription.

    `system_credentials` is the key the composition root configured; the use case decides
    whether to pass it: with `credentials=None` every call raises SIN_CLAVE, offline.
    """

    name = "openweathermap"

    def __init__(
        self,
        http: ProviderHttp,
        *,
        system_credentials: Credentials | None = None,
        history_enabled: bool = True,
        units: str = "metric",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if units not in UNIT_SYSTEMS:
            raise ValueError(f"units must be one of {sorted(UNIT_SYSTEMS)}")
        self._http, self._history, self._units = http, history_enabled, units
        self.system_credentials = system_credentials
        self._clock = clock or (lambda: datetime.now(UTC))
        self.capabilities = Capabilities(
            current=True,
            history_hourly=history_enabled,
            history_daily=history_enabled,
            variables=CURRENT_VARIABLES | HOURLY_VARIABLES | DAILY_VARIABLES,
            needs_key=True,
        )

    def current(
        self, location: Location, variables: Sequence[str], credentials: Credentials | None
    ) -> ProviderAnswer:
        """The values of /data/2.5/weather; the instant is its `dt` (unix UTC)."""
        _supported(CURRENT_VARIABLES, variables)
        creds = _require(credentials)
        params = {**_point(location), "appid": creds.api_key, "units": self._units, "lang": "es"}
        body = _fetch(self._http, CURRENT_PATH, params, CURRENT_TTL, creds, _current_error)
        instant = datetime.fromtimestamp(body["dt"], UTC)
        values = _values(body, CURRENT_FIELDS, *UNIT_SYSTEMS[self._units]) | _rain_and_code(body)
        reading = Reading(instant, _pick(values, variables))
        meta = _meta(CURRENT_PATH, self._units, params=redact(params), lugar=body.get("name"))
        meta["desfase_utc_s"] = body.get("timezone")
        return ProviderAnswer(self.name, DataKind.MODEL, (reading,), meta)

    def history(
        self,
        location: Location,
        time_range: TimeRange,
        variables: Sequence[str],
        credentials: Credentials | None,
    ) -> ProviderAnswer:
        """Hourly: one timemachine call per hour (<= 2 days); daily: one day_summary call per
        day (<= 31 days). Each network call is charged to the key."""
        if not self._history:
            raise ProviderUnavailable(Reason.ERROR, "no_soportado")
        hourly = time_range.granularity is Granularity.HOURLY
        _supported(HOURLY_VARIABLES if hourly else DAILY_VARIABLES, variables)
        days = (time_range.end - time_range.start).days + 1
        if days < 1:
            raise ProviderUnavailable(Reason.ERROR, "rango_invalido")
        if days > (MAX_HOURLY_DAYS if hourly else MAX_DAILY_DAYS):
            raise ProviderUnavailable(Reason.ERROR, "rango_no_soportado")
        try:
            zone = ZoneInfo(time_range.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ProviderUnavailable(Reason.ERROR, "zona_horaria_desconocida") from None
        creds = _require(credentials)
        base = {**_point(location), "appid": creds.api_key, "units": self._units}
        today = self._clock().astimezone(zone).date()
        fetch = self._hourly if hourly else self._daily
        readings, meta = fetch(base, time_range, zone, today, creds, variables)
        if not readings:
            raise ProviderUnavailable(Reason.ERROR, "sin_datos")
        meta["params"] = redact(base)
        return ProviderAnswer(self.name, DataKind.MODEL, tuple(readings), meta)

    def _hourly(
        self, base: dict[str, Any], time_range: TimeRange, zone: ZoneInfo, today: date,
        creds: Credentials, variables: Sequence[str],
    ) -> tuple[list[Reading], dict[str, Any]]:  # fmt: skip
        start = datetime.combine(time_range.start, time(), zone).astimezone(UTC)
        end = datetime.combine(time_range.end + timedelta(days=1), time(), zone).astimezone(UTC)
        found: dict[int, Reading] = {}
        instant, calls, body = start, 0, {}
        while instant < end:
            ttl = PAST_TTL if instant.astimezone(zone).date() < today else RECENT_TTL
            params = {**base, "dt": int(instant.timestamp())}
            body = _fetch(self._http, TIMEMACHINE_PATH, params, ttl, creds, _timemachine_error)
            calls += 1
            for item in body["data"]:
                stamp = item.get("dt") if isinstance(item, Mapping) else None
                if _is_int(stamp) and start.timestamp() <= stamp < end.timestamp():
                    values = _values(item, HOURLY_FIELDS, *UNIT_SYSTEMS[self._units])
                    values |= _rain_and_code(item)
                    local = datetime.fromtimestamp(stamp, UTC).astimezone(zone)
                    found[stamp] = Reading(local, _pick(values, variables))
            instant += timedelta(hours=1)
        meta = _meta(TIMEMACHINE_PATH, self._units, llamadas=calls)
        meta["zona_horaria"] = body.get("timezone")
        return [found[k] for k in sorted(found)], meta

    def _daily(
        self, base: dict[str, Any], time_range: TimeRange, zone: ZoneInfo, today: date,
        creds: Credentials, variables: Sequence[str],
    ) -> tuple[list[Reading], dict[str, Any]]:  # fmt: skip
        readings: list[Reading] = []
        declared, day, calls = self._units, time_range.start, 0
        while day <= time_range.end:
            params = {**base, "date": day.isoformat(), "tz": _utc_offset(day, zone)}
            ttl = PAST_TTL if day < today else RECENT_TTL
            body = _fetch(self._http, DAY_SUMMARY_PATH, params, ttl, creds, _day_summary_error)
            calls += 1
            declared = body.get("units", self._units)  # the units the answer declares win
            if not isinstance(declared, str) or declared not in UNIT_SYSTEMS:
                raise ProviderUnavailable(Reason.ERROR, "unidades_desconocidas")
            if date.fromisoformat(body["date"]) == day:  # another day's summary is dropped
                values = _day_values(body, *UNIT_SYSTEMS[declared])
                readings.append(
                    Reading(datetime.combine(day, time(), zone), _pick(values, variables))
                )
            day += timedelta(days=1)
        meta = _meta(DAY_SUMMARY_PATH, declared, llamadas=calls)
        meta["valor_de_las_12h"] = ["presion_atmosferica", "nubosidad"]
        return readings, meta


class OpenWeatherMapGeocoder:
    """City name → candidates from OWM direct geocoding (at most 5); Spanish names preferred.

    `country` is sent only as an ISO 3166 alpha-2 code: OWM cannot match a country's name.
    """

    def __init__(self, http: ProviderHttp, credentials: Credentials | None) -> None:
        self._http, self._credentials = http, credentials

    def search(self, name: str, country: str | None = None, limit: int = 5) -> list[GeoCandidate]:
        creds = _require(self._credentials)
        query = name.strip() if isinstance(name, str) else ""
        if not query or limit < 1:
            return []
        code = country.strip().upper() if isinstance(country, str) else ""
        if len(code) == 2 and code.isascii() and code.isalpha():
            query = f"{query},{code}"
        params = {"q": query, "limit": min(limit, MAX_GEOCODING_LIMIT), "appid": creds.api_key}
        body = _fetch(self._http, GEOCODING_PATH, params, GEOCODING_TTL, creds, _geo_error)
        return [c for c in map(_candidate, body) if c is not None][:limit]


def _supported(available: frozenset[str], variables: Sequence[str]) -> None:
    if not available.intersection(variables):  # nothing to ask for: spare the quota
        raise ProviderUnavailable(Reason.ERROR, "no_soportado")


def _require(credentials: Credentials | None) -> Credentials:
    if credentials is None or not credentials.api_key:
        raise ProviderUnavailable(Reason.SIN_CLAVE, "sin_clave")
    return credentials


def _fetch(
    http: ProviderHttp, path: str, params: Mapping[str, Any], ttl: int, creds: Credentials,
    check: Callable[[Any], str | None],
) -> Any:  # fmt: skip
    """get_json; a key error found in a 200's body becomes CLAVE_INVALIDA."""
    try:
        return http.get_json(path, params, ttl=ttl, charge=creds.charge, error_check=check)
    except ProviderUnavailable as exc:
        if exc.reason is Reason.ERROR and exc.code in _KEY_CODES:
            raise ProviderUnavailable(Reason.CLAVE_INVALIDA, exc.code) from None
        raise


def _error_code(body: Any) -> str | None:
    """{"cod": 401 | "404", "message"} (2.5, int or str) or {"code": "400", ...} (3.0)."""
    if not isinstance(body, Mapping):
        return "cuerpo_de_error"
    status = str(body.get("cod", body.get("code", 200)))
    if status == "200":
        return None
    if status == "401":
        plan = "subscription" in str(body.get("message", "")).lower()
        return "sin_acceso_al_plan" if plan else "clave_invalida"
    return "limite_del_proveedor" if status == "429" else "cuerpo_de_error"


def _check(has_data: Callable[[Any], Any]) -> Callable[[Any], str | None]:
    """An error_check: the body's own error code, else "sin_datos" unless `has_data`."""

    def check(body: Any) -> str | None:
        try:
            return _error_code(body) or (None if has_data(body) else "sin_datos")
        except (KeyError, TypeError, ValueError):
            return "sin_datos"

    return check


_current_error = _check(lambda b: isinstance(b["main"], Mapping) and _is_int(b["dt"]))
_timemachine_error = _check(lambda b: isinstance(b["data"], list) and b["data"])
_day_summary_error = _check(lambda b: date.fromisoformat(b["date"]))


def _geo_error(body: Any) -> str | None:
    return None if isinstance(body, list) else _error_code(body) or "cuerpo_de_error"


def _point(location: Location) -> dict[str, float]:
    return {"lat": round(location.latitude, 2), "lon": round(location.longitude, 2)}


def _utc_offset(day: date, zone: ZoneInfo) -> str:
    """day_summary's `tz`: the zone's offset at local noon of `day`, as ±HH:MM."""
    offset = datetime.combine(day, time(12), zone).utcoffset() or timedelta(0)
    minutes = round(offset.total_seconds() / 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"{'-' if minutes < 0 else '+'}{hours:02d}:{rest:02d}"


def _meta(endpoint: str, system: str, **extra: Any) -> dict[str, Any]:
    temp, speed = UNIT_SYSTEMS[system]
    units = {"units": system, "temperatura": temp, "viento": speed, "presion": "hPa"}
    return {"endpoint": endpoint, "unidades": units, **extra}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _num(source: Any, path: str) -> float | None:
    """The number at a dotted path; None when a level is missing or it is not a number."""
    for key in path.split("."):
        source = source.get(key) if isinstance(source, Mapping) else None
    if isinstance(source, bool) or not isinstance(source, int | float):
        return None
    return float(source) if math.isfinite(source) else None


def _values(
    item: Any, fields: Mapping[str, tuple[str, str]], temp: str, speed: str
) -> dict[str, float | None]:
    """Look up each field ("a|b": the first present) and convert it to canonical units."""
    conversions = {"T": (temp, CELSIUS), "V": (speed, KMH)}
    out: dict[str, float | None] = {}
    for name, (paths, kind) in fields.items():
        raw = next((v for p in paths.split("|") if (v := _num(item, p)) is not None), None)
        out[name] = convert(raw, *conversions[kind]) if kind else raw
    return out


def _rain_and_code(item: Any) -> dict[str, float | None]:
    """rain.1h + snow.1h (mm) and the WMO code of weather[0].id. OWM sends the rain and snow
    blocks only "where available": neither present is a missing value, not 0 mm."""
    amounts = [a for a in (_num(item, "rain.1h"), _num(item, "snow.1h")) if a is not None]
    return {
        "precipitacion": math.fsum(amounts) if amounts else None,
        "descripcion_clima": _wmo(item),
    }


def _day_values(body: Any, temp: str, speed: str) -> dict[str, float | None]:
    """Temperature: mean of the 00/06/12/18 h values (night, morning, afternoon, evening),
    else (min+max)/2; the rest from DAILY_FIELDS."""
    out = _values(body, DAILY_FIELDS, temp, speed)
    four = [_num(body, f"temperature.{k}") for k in ("night", "morning", "afternoon", "evening")]
    low, high = _num(body, "temperature.min"), _num(body, "temperature.max")
    known = [t for t in four if t is not None]
    pair = [t for t in (low, high) if t is not None]
    mean = fmean(known) if len(known) == 4 else fmean(pair) if len(pair) == 2 else None
    out["temperatura"] = convert(mean, temp, CELSIUS)
    return out


def _wmo(item: Any) -> float | None:
    weather = item.get("weather") if isinstance(item, Mapping) else None
    first = weather[0] if isinstance(weather, list) and weather else None
    condition = first.get("id") if isinstance(first, Mapping) else None
    try:
        return float(from_openweathermap(condition)) if _is_int(condition) else None
    except ValidationError:
        return None


def _pick(values: Mapping[str, float | None], wanted: Sequence[str]) -> dict[str, float | None]:
    return {name: values[name] for name in wanted if name in values}


def _candidate(item: Any) -> GeoCandidate | None:
    local = item.get("local_names") if isinstance(item, Mapping) else None
    spanish = local.get("es") if isinstance(local, Mapping) else None
    name = spanish if isinstance(spanish, str) and spanish.strip() else _get(item, "name")
    lat, lon = _num(item, "lat"), _num(item, "lon")
    if lat is None or lon is None or not name or not name.strip():
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return GeoCandidate(
        name.strip(), lat, lon, country_code=_get(item, "country"), admin1=_get(item, "state")
    )


def _get(item: Any, key: str) -> str | None:
    value = item.get(key) if isinstance(item, Mapping) else None
    return value if isinstance(value, str) and value else None
