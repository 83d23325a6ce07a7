"""Open-Meteo adapter: current conditions and forecasts (forecast API), ERA5 history (archive
API) whose last days, still empty in the archive, come from the forecast API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.providers.adapter import Ask, Forecasting, HistoryAsk
from adapters.providers.http_client import ProviderHttp
from adapters.providers.open_meteo_common import (
    ARCHIVE_DELAY_DAYS,
    ARCHIVE_PATH,
    CURRENT_TTL,
    CURRENT_VARIABLES,
    DAILY_VARIABLES,
    FORECAST_PATH,
    HOURLY_VARIABLES,
    PAST_TTL,
    RECENT_CACHE_DAYS,
    RECENT_TTL,
    answer_meta,
    ask,
    columns_of,
    point_params,
    read_columns,
    request_dates,
    rows_of,
    to_canonical,
    utc_of,
)
from adapters.providers.open_meteo_forecast import (
    FORECAST_DAILY,
    FORECAST_HOURLY,
    HORIZON,
    fill_recent,
    forecast,
)
from domain.model.consensus import Reason
from domain.model.readings import (
    Capabilities,
    DataKind,
    Granularity,
    ProviderAnswer,
    Reading,
)
from ports.providers import ProviderUnavailable

__all__ = ["CURRENT_TTL", "PAST_TTL", "RECENT_TTL", "OpenMeteoProvider"]


class OpenMeteoProvider(Forecasting):
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
        variables=frozenset(CURRENT_VARIABLES)
        | frozenset(DAILY_VARIABLES)
        | frozenset(FORECAST_HOURLY)
        | frozenset(FORECAST_DAILY),
        needs_key=False,
        forecast_hourly=HORIZON,
        forecast_daily=HORIZON,
    )

    def __init__(
        self,
        forecast: ProviderHttp,
        archive: ProviderHttp,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        archive_delay_days: float = ARCHIVE_DELAY_DAYS,
    ) -> None:
        self._forecast = forecast
        self._archive = archive
        self._clock = clock
        self._delay = timedelta(days=int(archive_delay_days))

    def _current(self, request: Ask) -> ProviderAnswer:
        """The latest 15-minute values; the instant is `current.time` - utc_offset_seconds."""
        asked = columns_of(CURRENT_VARIABLES, request.variables)
        params = {**point_params(request.location), "current": ",".join(asked.values())}
        params.update(timezone="GMT", wind_speed_unit="kmh")
        body = ask(
            self._forecast, FORECAST_PATH, params, CURRENT_TTL, request.credentials, "current"
        )
        try:
            block = body["current"]
            columns = read_columns(block, body.get("current_units"), asked)
            instant = utc_of(block["time"], body["utc_offset_seconds"])
            values = {n: to_canonical(block.get(c or ""), u, n) for n, (c, u) in columns.items()}
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ProviderUnavailable(Reason.ERROR, "respuesta_inesperada") from None
        meta = answer_meta(FORECAST_PATH, params, body, columns)
        meta["intervalo_s"] = block.get("interval")
        return ProviderAnswer(self.name, DataKind.MODEL, (Reading(instant, values),), meta)

    def _history(self, history: HistoryAsk) -> ProviderAnswer:
        """One Reading per hour or per day of [start, end] in TimeRange.timezone (ERA5); the
        steps of the last ARCHIVE_DELAY_DAYS days that ERA5 leaves empty from the forecast API."""
        now = self._clock()
        recent_from = now.astimezone(history.zone()).date() - self._delay
        try:
            archived = self._archived(history, now)
        except ProviderUnavailable as exc:
            if exc.code != "sin_datos" or history.end < recent_from:
                raise
            filled = fill_recent(None, self._forecast, history, now, recent_from, self.name)
            if filled is None:
                raise
            return filled
        if history.end < recent_from:
            return archived
        filled = fill_recent(archived, self._forecast, history, now, recent_from, self.name)
        return filled or archived

    def _forecast_call(self, granularity: Granularity) -> tuple[Any, tuple[Any, ...]]:
        """`forecast_days` = days (<= 16) from /v1/forecast, model best_match."""
        return forecast, (self._forecast, self.capabilities, self._clock())

    def _archived(self, history: HistoryAsk, now: datetime) -> ProviderAnswer:
        time_range, daily = history.time_range, history.daily
        block_name = "daily" if daily else "hourly"
        asked = columns_of(DAILY_VARIABLES if daily else HOURLY_VARIABLES, history.variables)
        local = history.zone()
        first, last = request_dates(time_range, local, now, daily)
        params = {
            **point_params(history.location),
            "start_date": first.isoformat(),
            "end_date": last.isoformat(),
            block_name: ",".join(asked.values()),
            "timezone": time_range.timezone,
            "wind_speed_unit": "kmh",
        }
        recent = time_range.end >= now.astimezone(local).date() - timedelta(RECENT_CACHE_DAYS)
        ttl = RECENT_TTL if recent else PAST_TTL
        body = ask(self._archive, ARCHIVE_PATH, params, ttl, history.credentials, block_name)
        dates = (time_range.start, time_range.end)
        columns, rows = rows_of(body, block_name, asked, local, daily, dates)
        readings = tuple(Reading(instant, values) for instant, values in rows)
        meta = answer_meta(ARCHIVE_PATH, params, body, columns)
        return ProviderAnswer(self.name, DataKind.REANALYSIS, readings, meta)
