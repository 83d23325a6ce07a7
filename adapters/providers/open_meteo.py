"""Open-Meteo adapter: current conditions and forecasts (forecast API), ERA5 history (archive
API) whose last days, still empty in the archive, come from the forecast API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from adapters.providers import toolkit
from adapters.providers.forecasting import Forecasting
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
    row_at,
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

    def current(
        self, location: Location, variables: Sequence[str], credentials: Credentials | None
    ) -> ProviderAnswer:
        """The latest 15-minute values; the instant is `current.time` - utc_offset_seconds."""
        asked = columns_of(CURRENT_VARIABLES, variables)
        params = {**point_params(location), "current": ",".join(asked.values()), "timezone": "GMT"}
        params["wind_speed_unit"] = "kmh"
        body = ask(self._forecast, FORECAST_PATH, params, CURRENT_TTL, credentials, "current")
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

    def history(
        self,
        location: Location,
        time_range: TimeRange,
        variables: Sequence[str],
        credentials: Credentials | None,
    ) -> ProviderAnswer:
        """One Reading per hour or per day of [start, end] in TimeRange.timezone (ERA5); the
        steps of the last ARCHIVE_DELAY_DAYS days that ERA5 leaves empty from the forecast API."""
        now = self._clock()
        recent_from = now.astimezone(toolkit.zone(time_range.timezone)).date() - self._delay
        try:
            archived = self._archived(location, time_range, variables, credentials, now)
        except ProviderUnavailable as exc:
            if exc.code != "sin_datos" or time_range.end < recent_from:
                raise
            filled = fill_recent(
                None, self._forecast, location, time_range, variables, credentials, now,
                recent_from, self.name,
            )  # fmt: skip
            if filled is None:
                raise
            return filled
        if time_range.end < recent_from:
            return archived
        filled = fill_recent(
            archived, self._forecast, location, time_range, variables, credentials, now,
            recent_from, self.name,
        )  # fmt: skip
        return filled or archived

    def _forecast_call(self, granularity: Granularity) -> tuple[Any, tuple[Any, ...]]:
        """`forecast_days` = days (<= 16) from /v1/forecast, model best_match."""
        return forecast, (self._forecast, self.capabilities, self._clock())

    def _archived(
        self,
        location: Location,
        time_range: TimeRange,
        variables: Sequence[str],
        credentials: Credentials | None,
        now: datetime,
    ) -> ProviderAnswer:
        daily = time_range.granularity is Granularity.DAILY
        block_name = "daily" if daily else "hourly"
        asked = columns_of(DAILY_VARIABLES if daily else HOURLY_VARIABLES, variables)
        local = toolkit.zone(time_range.timezone)
        first, last = request_dates(time_range, local, now, daily)
        params = {
            **point_params(location),
            "start_date": first.isoformat(),
            "end_date": last.isoformat(),
            block_name: ",".join(asked.values()),
            "timezone": time_range.timezone,
            "wind_speed_unit": "kmh",
        }
        recent = time_range.end >= now.astimezone(local).date() - timedelta(RECENT_CACHE_DAYS)
        ttl = RECENT_TTL if recent else PAST_TTL
        body = ask(self._archive, ARCHIVE_PATH, params, ttl, credentials, block_name)
        try:
            block = body[block_name]
            columns = read_columns(block, body.get(f"{block_name}_units"), asked)
            if daily:  # a daily value is labelled with its local date: local midnight
                instants = [toolkit.midnight(date.fromisoformat(d), local) for d in block["time"]]
            else:
                offset = body["utc_offset_seconds"]
                instants = [utc_of(t, offset).astimezone(local) for t in block["time"]]
            readings = tuple(
                Reading(instant, row_at(block, columns, i))
                for i, instant in enumerate(instants)
                if time_range.start <= instant.date() <= time_range.end
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ProviderUnavailable(Reason.ERROR, "respuesta_inesperada") from None
        meta = answer_meta(ARCHIVE_PATH, params, body, columns)
        return ProviderAnswer(self.name, DataKind.REANALYSIS, readings, meta)
