"""Open-Meteo's forecast API for forecasts (`forecast_days` <= 16) and for the recent past.

- forecast: `/v1/forecast` with `hourly=` or `daily=` and `forecast_days` = the days asked, cut
  at 16; times are local wall time with one offset (as history), daily ones local dates. The
  model is `best_match` (the `models` parameter is not sent); Open-Meteo states no issue time.
- recent past (`fill_recent`): ERA5 lags 2-5 days, so history steps in the last
  ARCHIVE_DELAY_DAYS days that the archive left empty are taken from `/v1/forecast` with
  `start_date`/`end_date`, hourly; daily values are built from those hours over local days
  (domain.model.daily). Each value so taken is labelled `modelo` / `best_match`; a step the
  archive has keeps the archive's values, so no step is missing and none is doubled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from adapters.providers import forecast_kit, toolkit
from adapters.providers.adapter import HistoryAsk
from adapters.providers.http_client import ProviderHttp
from adapters.providers.open_meteo_common import (
    CURRENT_VARIABLES,
    DAILY_VARIABLES,
    FORECAST_PATH,
    HOURLY_VARIABLES,
    RECENT_TTL,
    answer_meta,
    ask,
    columns_of,
    point_params,
    request_dates,
    rows_of,
)
from domain.errors import ValidationError
from domain.model.daily import RULES, aggregate_days
from domain.model.horizon import Horizon, HorizonUnit
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
from ports.providers import ProviderUnavailable

MAX_FORECAST_DAYS = 16
FORECAST_TTL = 1800
MODEL = "best_match"
HORIZON = Horizon(MAX_FORECAST_DAYS, HorizonUnit.DAYS)
FORECAST_HOURLY: Mapping[str, str] = {
    **CURRENT_VARIABLES,
    "probabilidad_precipitacion": "precipitation_probability",
}
# The forecast API's documented daily statistics; means are not asked for (the domain builds
# daily means from the hours when it needs them).
FORECAST_DAILY: Mapping[str, str] = {
    "temperatura_min": "temperature_2m_min",
    "temperatura_max": "temperature_2m_max",
    "precipitacion": "precipitation_sum",
    "probabilidad_precipitacion": "precipitation_probability_max",
    "rafaga_viento": "wind_gusts_10m_max",
    "direccion_viento": "wind_direction_10m_dominant",
    "indice_uv": "uv_index_max",
    "descripcion_clima": "weather_code",
    "et0": "et0_fao_evapotranspiration",
}


def forecast(
    http: ProviderHttp, capabilities: Capabilities, now: datetime, location: Location,
    days: int, granularity: Granularity, timezone: str, variables: Sequence[str],
    credentials: Credentials | None, provider: str,
    ttl: int = FORECAST_TTL,
) -> ProviderAnswer:  # fmt: skip
    forecast_kit.horizon_of(capabilities, granularity)
    daily = granularity is Granularity.DAILY
    block_name = "daily" if daily else "hourly"
    asked = columns_of(FORECAST_DAILY if daily else FORECAST_HOURLY, variables)
    span = forecast_kit.window(now, timezone, days, MAX_FORECAST_DAYS)
    params = {**point_params(location), block_name: ",".join(asked.values())}
    params.update(forecast_days=span.days, timezone=timezone, wind_speed_unit="kmh")

    def build(body: Any) -> ProviderAnswer:
        columns, rows = rows_of(body, block_name, asked, span.zone, daily, (span.first, span.last))
        readings = [forecast_kit.reading(instant, values, MODEL, None) for instant, values in rows]
        meta = answer_meta(FORECAST_PATH, params, body, columns)
        meta["horizonte"] = forecast_kit.horizon_meta(capabilities)
        return ProviderAnswer(provider, DataKind.MODEL, forecast_kit.sorted_unique(readings), meta)

    key = ("open_meteo", provider, capabilities, span, daily, tuple(asked.items()))
    parse = forecast_kit.parsed((*key, forecast_kit.items(params)), build)
    return ask(http, FORECAST_PATH, params, ttl, credentials, block_name, parse=parse)


def fill_recent(
    archive: ProviderAnswer | None, http: ProviderHttp, history: HistoryAsk, now: datetime,
    recent_from: date, provider: str,
) -> ProviderAnswer | None:  # fmt: skip
    """The archive's answer with the recent steps it left empty taken from the forecast API.
    Nothing to fill: `archive` unchanged, without a call. The forecast API failing: `archive`
    as it is, or its error when there is no archive answer."""
    time_range, local, daily = history.time_range, history.zone(), history.daily
    first = max(time_range.start, recent_from)
    table = DAILY_VARIABLES if daily else HOURLY_VARIABLES
    names = toolkit.wanted(table, history.variables, required=False)
    if daily:  # a day's value from hours needs a rule; ET0 has none (derived downstream)
        names = tuple(n for n in names if n in RULES)
    base = {r.instant: r for r in (archive.readings if archive else ())}
    recent = [r for r in base.values() if r.instant.astimezone(local).date() >= first]
    expected = toolkit.day_count(first, time_range.end)
    if not daily:
        expected = sum(toolkit.hours_in_day(first + timedelta(k), local) for k in range(expected))
    full = len(recent) == expected and all(
        r.values.get(n) is not None for r in recent for n in names
    )
    if full or not names:
        return archive  # None only when the archive had nothing: the caller's error stands
    window = TimeRange(first, time_range.end, Granularity.HOURLY, time_range.timezone)
    try:
        hours, meta = _recent_hours(http, history, window, names, now)
    except ProviderUnavailable:
        if archive is None:
            raise
        return archive
    model = _days(hours, names, window) if daily else hours
    merged = [_merge(t, base.get(t), values, names) for t, values in model.items()]
    merged += [r for t, r in base.items() if t not in model]
    kind = archive.kind if archive else DataKind.MODEL
    meta = {**(archive.meta if archive else meta), "relleno_reciente": meta}
    return ProviderAnswer(provider, kind, forecast_kit.sorted_unique(merged), meta)


def _recent_hours(
    http: ProviderHttp, history: HistoryAsk, window: TimeRange, names: Sequence[str],
    now: datetime,
) -> tuple[dict[datetime, dict[str, float | None]], dict[str, Any]]:  # fmt: skip
    """The hours of `window`'s local dates from /v1/forecast (start_date/end_date)."""
    local = toolkit.zone(window.timezone)
    sources = dict.fromkeys(RULES[n][0] for n in names) if history.daily else dict.fromkeys(names)
    asked = {n: HOURLY_VARIABLES[n] for n in sources if n in HOURLY_VARIABLES}
    first, last = request_dates(window, local, now, False)
    params = {**point_params(history.location), "start_date": first.isoformat()}
    params.update(end_date=last.isoformat(), hourly=",".join(asked.values()))
    params.update(timezone=window.timezone, wind_speed_unit="kmh")
    body = ask(http, FORECAST_PATH, params, RECENT_TTL, history.credentials, "hourly")
    columns, rows = rows_of(body, "hourly", asked, local, False, (window.start, window.end))
    hours = dict(rows)
    meta = answer_meta(FORECAST_PATH, params, body, columns)
    return hours, {
        **meta,
        "modelo": MODEL,
        "fechas": [window.start.isoformat(), window.end.isoformat()],
    }


def _days(
    hours: Mapping[datetime, Mapping[str, float | None]], names: Sequence[str], window: TimeRange
) -> dict[datetime, dict[str, float | None]]:
    """Daily values (complete local days only) at local midnight."""
    local = toolkit.zone(window.timezone)
    try:
        days = aggregate_days(hours, window.timezone, names) if hours else ()
    except ValidationError:
        return {}
    return {toolkit.midnight(d.day, local): {n: v.value for n, v in d.values.items()} for d in days}


def _merge(
    instant: datetime,
    archived: Reading | None,
    model: Mapping[str, float | None],
    names: Sequence[str],
) -> Reading:
    """The archive's values; each one it lacks and the model has, from the model."""
    values = dict(archived.values) if archived else {}
    provenance = {k: dict(v) for k, v in (archived.provenance if archived else {}).items()}
    taken = {n: model[n] for n in names if values.get(n) is None and model.get(n) is not None}
    values.update(taken)
    provenance.update(forecast_kit.provenance(taken, MODEL, None))
    return Reading(instant, values, provenance)
