"""Open-Meteo adapter: current conditions (forecast API) and ERA5 history (archive API)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from adapters.providers import toolkit
from adapters.providers.http_client import ProviderHttp, redact
from domain.model import units
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

FORECAST_PATH = "/v1/forecast"
ARCHIVE_PATH = "/v1/archive"
CURRENT_TTL = 600
PAST_TTL = 30 * 24 * 3600
RECENT_TTL = 3600
# The archive lags about 5 days behind today and answers null meanwhile: ranges ending inside
# this window are cached like "today" (1 h), never for 30 days.
ARCHIVE_DELAY_DAYS = 7
ATTRIBUTION = "Weather data by Open-Meteo.com (CC BY 4.0)"

# Catalogue name -> Open-Meteo variable. Open-Meteo's default units (with wind_speed_unit=kmh)
# are the canonical ones, so a unit the response leaves undeclared is taken as canonical.
CURRENT_VARIABLES: Mapping[str, str] = {
    "temperatura": "temperature_2m",
    "sensacion_termica": "apparent_temperature",
    "humedad_relativa": "relative_humidity_2m",
    "presion_atmosferica": "pressure_msl",  # sea level; never surface_pressure
    "velocidad_viento": "wind_speed_10m",
    "direccion_viento": "wind_direction_10m",
    "rafaga_viento": "wind_gusts_10m",
    "precipitacion": "precipitation",
    "nubosidad": "cloud_cover",
    "visibilidad": "visibility",  # forecast API only
    "indice_uv": "uv_index",  # every hourly variable is also a `current` one [docs]
    "descripcion_clima": "weather_code",
}
# ERA5 has neither visibility nor UV.
HOURLY_VARIABLES: Mapping[str, str] = {
    k: v for k, v in CURRENT_VARIABLES.items() if k not in ("visibilidad", "indice_uv")
}
DAILY_VARIABLES: Mapping[str, str] = {
    "temperatura": "temperature_2m_mean",
    "temperatura_min": "temperature_2m_min",
    "temperatura_max": "temperature_2m_max",
    "sensacion_termica": "apparent_temperature_mean",
    "humedad_relativa": "relative_humidity_2m_mean",
    "presion_atmosferica": "pressure_msl_mean",
    "velocidad_viento": "wind_speed_10m_mean",  # the day's mean wind, like temperatura
    "direccion_viento": "wind_direction_10m_dominant",
    "rafaga_viento": "wind_gusts_10m_max",  # a gust is a maximum
    "precipitacion": "precipitation_sum",
    "nubosidad": "cloud_cover_mean",
    "descripcion_clima": "weather_code",
}

_Columns = dict[str, tuple[str | None, str]]  # name -> (response key or None, unit)


class OpenMeteoProvider:
    """Open-Meteo: no key; current from the forecast API, history from the ERA5 archive.

    Open-Meteo writes series times as local wall time with ONE offset for the whole answer
    (`utc_offset_seconds`, the zone's offset at request time; no DST changes inside a series,
    open-meteo/open-meteo#1255, #1764). Hourly instants are therefore `time - offset`, shown in
    the requested zone, and the range is widened by a day where the true offset differs.
    """

    name = "open_meteo"
    capabilities = Capabilities(
        current=True,
        history_hourly=True,
        history_daily=True,
        variables=frozenset(CURRENT_VARIABLES) | frozenset(DAILY_VARIABLES),
        needs_key=False,
    )

    def __init__(
        self,
        forecast: ProviderHttp,
        archive: ProviderHttp,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._forecast = forecast
        self._archive = archive
        self._clock = clock

    def current(
        self, location: Location, variables: Sequence[str], credentials: Credentials | None
    ) -> ProviderAnswer:
        """The latest 15-minute values; the instant is `current.time` - utc_offset_seconds."""
        asked = _columns_of(CURRENT_VARIABLES, variables)
        params = {**_point(location), "current": ",".join(asked.values()), "timezone": "GMT"}
        params["wind_speed_unit"] = "kmh"
        body = _ask(self._forecast, FORECAST_PATH, params, CURRENT_TTL, credentials, "current")
        try:
            block = body["current"]
            columns = _columns(block, body.get("current_units"), asked)
            instant = _utc(block["time"], body["utc_offset_seconds"])
            values = {n: _value(block.get(c or ""), u, n) for n, (c, u) in columns.items()}
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ProviderUnavailable(Reason.ERROR, "respuesta_inesperada") from None
        meta = {**_meta(FORECAST_PATH, params, body, columns), "intervalo_s": block.get("interval")}
        return ProviderAnswer(self.name, DataKind.MODEL, (Reading(instant, values),), meta)

    def history(
        self,
        location: Location,
        time_range: TimeRange,
        variables: Sequence[str],
        credentials: Credentials | None,
    ) -> ProviderAnswer:
        """One Reading per hour or per day of [start, end] in TimeRange.timezone (ERA5)."""
        daily = time_range.granularity is Granularity.DAILY
        block_name = "daily" if daily else "hourly"
        asked = _columns_of(DAILY_VARIABLES if daily else HOURLY_VARIABLES, variables)
        local = toolkit.zone(time_range.timezone)
        now = self._clock()
        first, last = _request_dates(time_range, local, now, daily)
        params = {
            **_point(location),
            "start_date": first.isoformat(),
            "end_date": last.isoformat(),
            block_name: ",".join(asked.values()),
            "timezone": time_range.timezone,
            "wind_speed_unit": "kmh",
        }
        recent = time_range.end >= now.astimezone(local).date() - timedelta(ARCHIVE_DELAY_DAYS)
        ttl = RECENT_TTL if recent else PAST_TTL
        body = _ask(self._archive, ARCHIVE_PATH, params, ttl, credentials, block_name)
        try:
            block = body[block_name]
            columns = _columns(block, body.get(f"{block_name}_units"), asked)
            if daily:  # a daily value is labelled with its local date: local midnight
                instants = [toolkit.midnight(date.fromisoformat(d), local) for d in block["time"]]
            else:
                offset = body["utc_offset_seconds"]
                instants = [_utc(t, offset).astimezone(local) for t in block["time"]]
            readings = tuple(
                Reading(instant, _row(block, columns, i))
                for i, instant in enumerate(instants)
                if time_range.start <= instant.date() <= time_range.end
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ProviderUnavailable(Reason.ERROR, "respuesta_inesperada") from None
        meta = _meta(ARCHIVE_PATH, params, body, columns)
        return ProviderAnswer(self.name, DataKind.REANALYSIS, readings, meta)


def _columns_of(table: Mapping[str, str], variables: Sequence[str]) -> dict[str, str]:
    """The requested catalogue names this endpoint can give -> their Open-Meteo variables."""
    return {name: table[name] for name in toolkit.wanted(table, variables)}


def _point(location: Location) -> dict[str, Any]:
    return toolkit.rounded_point(location, "latitude", "longitude")


def _ask(
    http: ProviderHttp,
    path: str,
    params: dict,
    ttl: int,
    credentials: Credentials | None,
    block: str,
) -> Any:
    # No key is ever sent (the free API needs none); a quota counter may still be attached.
    charge = credentials.charge if credentials is not None else None
    return http.get_json(path, params, ttl=ttl, charge=charge, error_check=_error_check(block))


def _request_dates(
    time_range: TimeRange, local: tzinfo, now: datetime, daily: bool
) -> tuple[date, date]:
    """Hourly: one more day on a side whose true offset is not the one Open-Meteo will apply
    (today's), so that no local hour of the range falls outside the answer."""
    start, end = time_range.start, time_range.end
    if daily:
        return start, end
    applied = now.astimezone(local).utcoffset()
    widen_start = toolkit.midnight(start, local).utcoffset() != applied
    widen_end = toolkit.midnight(end + timedelta(1), local).utcoffset() != applied
    return start - timedelta(int(widen_start)), end + timedelta(int(widen_end))


def _error_check(block_name: str) -> Callable[[Any], str | None]:
    """Refuse error bodies ({"error": true, "reason": ...}) and answers without any value."""

    def check(body: Any) -> str | None:
        if not isinstance(body, dict):
            return "respuesta_inesperada"
        if body.get("error") not in (None, False):
            return "cuerpo_de_error"
        block = body.get(block_name)
        if not isinstance(block, dict) or block.get("time") in (None, [], ""):
            return "sin_datos"
        data = [v for k, v in block.items() if k not in ("time", "interval")]
        cells = [x for v in data for x in (v if isinstance(v, list) else [v])]
        return None if any(toolkit.number(x) is not None for x in cells) else "sin_datos"

    return check


def _columns(block: Mapping[str, Any], declared: Any, asked: Mapping[str, str]) -> _Columns:
    """Each variable's key (tolerating `_<model>` suffixes) and declared unit. A variable whose
    unit is unknown or of another quantity is left out of the readings, never guessed."""
    declared = declared if isinstance(declared, dict) else {}
    found: _Columns = {}
    for name, key in asked.items():
        column = _column(block, key, set(asked.values()))
        unit = declared.get(column, VARIABLES[name].unit) if column else VARIABLES[name].unit
        usable = isinstance(unit, str) and units.is_known_unit(unit)
        if usable and units.canonical_unit(unit) == VARIABLES[name].unit:
            found[name] = (column, unit)
    return found


def _column(block: Mapping[str, Any], key: str, siblings: Collection[str]) -> str | None:
    if key in block:
        return key
    suffixed = [k for k in block if k.startswith(key + "_") and k not in siblings]
    preferred = [k for k in suffixed if k.endswith("best_match")]
    return (preferred or suffixed or [None])[0]


def _value(raw: Any, unit: str, name: str) -> float | None:
    return units.convert(toolkit.number(raw), unit, VARIABLES[name].unit)


def _row(block: Mapping[str, Any], columns: _Columns, i: int) -> dict[str, float | None]:
    row: dict[str, float | None] = {}
    for name, (column, unit) in columns.items():
        series = block.get(column) if column else None
        raw = series[i] if isinstance(series, list) and i < len(series) else None
        row[name] = _value(raw, unit, name)
    return row


def _utc(local: str, offset: Any) -> datetime:
    """Open-Meteo wall time written with `offset` seconds -> aware UTC instant."""
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise ValueError("utc_offset_seconds")
    return (datetime.fromisoformat(local) - timedelta(seconds=offset)).replace(tzinfo=UTC)


def _meta(
    path: str, params: Mapping[str, Any], body: Mapping[str, Any], columns: _Columns
) -> dict[str, Any]:
    cell = {
        "latitud": toolkit.number(body.get("latitude")),
        "longitud": toolkit.number(body.get("longitude")),
    }
    return {
        "endpoint": path,
        "params": redact(params),
        "unidades": {c: u for c, u in columns.values() if c},
        "modelo": "best_match",
        "elevacion": toolkit.number(body.get("elevation")),
        "celda": cell,
        "zona_horaria": body.get("timezone"),
        "atribucion": ATTRIBUTION,
    }
