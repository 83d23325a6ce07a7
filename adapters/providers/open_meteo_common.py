"""Open-Meteo's shared pieces: variable tables, requests, columns, units and times."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from adapters.providers import toolkit
from adapters.providers.http_client import ProviderHttp, redact
from adapters.providers.parsed_answers import Parse
from domain.model import units
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import Credentials, TimeRange
from domain.model.variables import VARIABLES
from ports.providers import ProviderUnavailable

FORECAST_PATH = "/v1/forecast"
ARCHIVE_PATH = "/v1/archive"
CURRENT_TTL = 600
PAST_TTL = 30 * 24 * 3600
RECENT_TTL = 3600
# The archive lags 2-5 days behind today and answers null meanwhile: ranges ending inside
# this window are cached like "today" (1 h), never for 30 days.
RECENT_CACHE_DAYS = 7
# Days before today that history also asks the forecast API for (setting ARCHIVE_DELAY_DAYS).
ARCHIVE_DELAY_DAYS = 5
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
    "punto_de_rocio": "dew_point_2m",  # reported: used as is, never derived (issue 14)
    "radiacion_solar": "shortwave_radiation",  # W/m², mean of the preceding hour
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
    "punto_de_rocio": "dew_point_2m_mean",
    "et0": "et0_fao_evapotranspiration",  # FAO-56 Penman-Monteith, the day's total in mm
}
# A day's total that Open-Meteo declares in "mm" is the catalogue's "mm/día".
DAILY_TOTALS = frozenset({"et0"})

Columns = dict[str, tuple[str | None, str]]  # name -> (response key or None, unit)


def columns_of(table: Mapping[str, str], variables: Sequence[str]) -> dict[str, str]:
    """The requested catalogue names this endpoint can give -> their Open-Meteo variables."""
    return {name: table[name] for name in toolkit.wanted(table, variables)}


def point_params(location: Location) -> dict[str, Any]:
    return toolkit.rounded_point(location, "latitude", "longitude")


def ask(
    http: ProviderHttp,
    path: str,
    params: dict,
    ttl: int,
    credentials: Credentials | None,
    block: str,
    parse: Parse | None = None,
) -> Any:
    # No key is ever sent (the free API needs none); a quota counter may still be attached.
    charge = credentials.charge if credentials is not None else None
    check = error_check(block)
    return http.get_json(path, params, ttl=ttl, charge=charge, error_check=check, parse=parse)


def request_dates(
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


def error_check(block_name: str) -> Callable[[Any], str | None]:
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


def read_columns(block: Mapping[str, Any], declared: Any, asked: Mapping[str, str]) -> Columns:
    """Each variable's key (tolerating `_<model>` suffixes) and declared unit. A variable whose
    unit is unknown or of another quantity is left out of the readings, never guessed."""
    declared = declared if isinstance(declared, dict) else {}
    found: Columns = {}
    for name, key in asked.items():
        column = find_column(block, key, set(asked.values()))
        unit = declared.get(column, VARIABLES[name].unit) if column else VARIABLES[name].unit
        if name in DAILY_TOTALS and unit == units.MILLIMETRE:
            unit = units.MILLIMETRE_PER_DAY
        usable = isinstance(unit, str) and units.is_known_unit(unit)
        if usable and units.canonical_unit(unit) == VARIABLES[name].unit:
            found[name] = (column, unit)
    return found


def find_column(block: Mapping[str, Any], key: str, siblings: Collection[str]) -> str | None:
    if key in block:
        return key
    suffixed = [k for k in block if k.startswith(key + "_") and k not in siblings]
    preferred = [k for k in suffixed if k.endswith("best_match")]
    return (preferred or suffixed or [None])[0]


def to_canonical(raw: Any, unit: str, name: str) -> float | None:
    return units.convert(toolkit.number(raw), unit, VARIABLES[name].unit)


def column_at(
    block: Mapping[str, Any], spec: tuple[str | None, str], name: str, kept: list[int]
) -> list[float | None]:
    """One column's values in canonical units at the `kept` indices (a row past the column's
    end, or a column that is not a list: None), the column looked up once, not per row."""
    column, unit = spec
    series = block.get(column) if column else None
    if not isinstance(series, list):
        series = []
    size, target = len(series), VARIABLES[name].unit
    return [
        units.convert(toolkit.number(series[i] if i < size else None), unit, target) for i in kept
    ]


def rows_of(
    body: Mapping[str, Any],
    block_name: str,
    asked: Mapping[str, str],
    where: tzinfo,
    daily: bool,
    dates: tuple[date, date],
) -> tuple[Columns, list[tuple[datetime, dict[str, float | None]]]]:
    """The columns of the `hourly` or `daily` block and its rows on the local `dates` (first,
    last) of `where`, each at its instant: a daily value is labelled with its local date (local
    midnight), an hourly one is its wall time less the answer's one offset. A malformed block
    is ERROR respuesta_inesperada."""
    first, last = dates
    try:
        block = body[block_name]
        columns = read_columns(block, body.get(f"{block_name}_units"), asked)
        if daily:
            instants = [toolkit.midnight(date.fromisoformat(d), where) for d in block["time"]]
        else:
            offset = body["utc_offset_seconds"]
            instants = [utc_of(t, offset).astimezone(where) for t in block["time"]]
        kept = [i for i, t in enumerate(instants) if first <= t.date() <= last]
        converted = [column_at(block, spec, name, kept) for name, spec in columns.items()]
        names = list(columns)
        rows = [
            (instants[i], dict(zip(names, [c[j] for c in converted], strict=True)))
            for j, i in enumerate(kept)
        ]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ProviderUnavailable(Reason.ERROR, "respuesta_inesperada") from None
    return columns, rows


def utc_of(local: str, offset: Any) -> datetime:
    """Open-Meteo wall time written with `offset` seconds -> aware UTC instant."""
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise ValueError("utc_offset_seconds")
    return (datetime.fromisoformat(local) - timedelta(seconds=offset)).replace(tzinfo=UTC)


def answer_meta(
    path: str, params: Mapping[str, Any], body: Mapping[str, Any], columns: Columns
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
