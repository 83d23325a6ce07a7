"""OpenWeatherMap: current weather (2.5), One Call 3.0 history (timemachine, day_summary) and
One Call 3.0 forecasts (openweathermap_forecast.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from adapters.providers import toolkit
from adapters.providers.adapter import Ask, Forecasting, HistoryAsk
from adapters.providers.http_client import ProviderHttp, redact
from adapters.providers.openweathermap_calls import check_with, fetch, is_int
from adapters.providers.openweathermap_fields import (
    CURRENT_FIELDS,
    CURRENT_VARIABLES,
    DAILY_VARIABLES,
    HOURLY_FIELDS,
    HOURLY_VARIABLES,
    UNIT_SYSTEMS,
    day_values_of,
    rain_and_code,
    values_of,
)
from adapters.providers.openweathermap_forecast import (
    DAILY_HORIZON,
    FORECAST_DAILY_VARIABLES,
    FORECAST_HOURLY_VARIABLES,
    HOURLY_HORIZON,
    forecast,
)
from domain.model.consensus import Reason
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

CURRENT_PATH = "/data/2.5/weather"
TIMEMACHINE_PATH = "/data/3.0/onecall/timemachine"
DAY_SUMMARY_PATH = "/data/3.0/onecall/day_summary"
CURRENT_TTL, RECENT_TTL, PAST_TTL = 600, 3600, 30 * 86400
# timemachine answers ONE instant per call and every call takes a unit of quota: an hourly
# series costs 24 calls a day, so it is capped at 2 local days. day_summary: one call a day.
MAX_HOURLY_DAYS, MAX_DAILY_DAYS = 2, 31


class OpenWeatherMapProvider(Forecasting):
    """OpenWeatherMap as a WeatherProvider; history needs the One Call 3.0 subscription.

    The query engine passes the user's key or the system one; with `credentials=None` every
    call raises SIN_CLAVE, offline.
    """

    name = "openweathermap"

    def __init__(
        self,
        http: ProviderHttp,
        *,
        history_enabled: bool = True,
        units: str = "metric",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if units not in UNIT_SYSTEMS:
            raise ValueError(f"units must be one of {sorted(UNIT_SYSTEMS)}")
        self._http, self._history_enabled, self._units = http, history_enabled, units
        self._clock = clock or (lambda: datetime.now(UTC))
        self.capabilities = Capabilities(
            current=True,
            history_hourly=history_enabled,
            history_daily=history_enabled,
            variables=CURRENT_VARIABLES
            | HOURLY_VARIABLES
            | DAILY_VARIABLES
            | FORECAST_HOURLY_VARIABLES
            | FORECAST_DAILY_VARIABLES,
            needs_key=True,
            forecast_hourly=HOURLY_HORIZON,
            forecast_daily=DAILY_HORIZON,
        )

    def _current(self, ask: Ask) -> ProviderAnswer:
        """The values of /data/2.5/weather; the instant is its `dt` (unix UTC)."""
        names = toolkit.wanted(CURRENT_VARIABLES, ask.variables)  # nothing asked: spare the quota
        creds, params = self._keyed(ask)
        params["lang"] = "es"
        body = fetch(self._http, CURRENT_PATH, params, CURRENT_TTL, creds, _current_error)
        instant = datetime.fromtimestamp(body["dt"], UTC)
        values = values_of(body, CURRENT_FIELDS, *UNIT_SYSTEMS[self._units]) | rain_and_code(body)
        reading = Reading(instant, toolkit.pick(values, names))
        meta = _meta(CURRENT_PATH, self._units, params=redact(params), lugar=body.get("name"))
        meta["desfase_utc_s"] = body.get("timezone")
        return ProviderAnswer(self.name, DataKind.MODEL, (reading,), meta)

    def _history(self, ask: HistoryAsk) -> ProviderAnswer:
        """Hourly: one timemachine call per hour (<= 2 days); daily: one day_summary call per
        day (<= 31 days). Each network call is charged to the key."""
        if not self._history_enabled:
            raise ProviderUnavailable(Reason.ERROR, "no_soportado")
        hourly = not ask.daily
        names = toolkit.wanted(HOURLY_VARIABLES if hourly else DAILY_VARIABLES, ask.variables)
        days = toolkit.day_count(ask.start, ask.end)
        if days < 1:
            raise ProviderUnavailable(Reason.ERROR, "rango_invalido")
        if days > (MAX_HOURLY_DAYS if hourly else MAX_DAILY_DAYS):
            raise ProviderUnavailable(Reason.ERROR, "rango_no_soportado")
        local = ask.zone()
        creds, base = self._keyed(ask)
        today = self._clock().astimezone(local).date()
        fetch = self._hourly if hourly else self._daily
        readings, meta = fetch(base, ask.time_range, local, today, creds, names)
        if not readings:
            raise ProviderUnavailable(Reason.ERROR, "sin_datos")
        meta["params"] = redact(base)
        return ProviderAnswer(self.name, DataKind.MODEL, tuple(readings), meta)

    def _keyed(self, ask: Ask) -> tuple[Credentials, dict[str, Any]]:
        """The key (SIN_CLAVE without one) and the parameters every call sends."""
        creds = toolkit.require_key(ask.credentials)
        point = toolkit.rounded_point(ask.location)
        return creds, {**point, "appid": creds.api_key, "units": self._units}

    def _forecast_call(self, granularity: Granularity) -> tuple[Any, tuple[Any, ...]]:
        """One One Call 3.0 call: `hourly` (48 h) or `daily` (8 days) of its answer."""
        return forecast, (self._http, self.capabilities, self._clock(), self._units)

    def _hourly(
        self, base: dict[str, Any], time_range: TimeRange, local: tzinfo, today: date,
        creds: Credentials, names: Sequence[str],
    ) -> tuple[list[Reading], dict[str, Any]]:  # fmt: skip
        start, end = toolkit.utc_span(time_range.start, time_range.end, local)
        found: dict[int, Reading] = {}
        instant, calls, body = start, 0, {}
        while instant < end:
            ttl = PAST_TTL if instant.astimezone(local).date() < today else RECENT_TTL
            params = {**base, "dt": int(instant.timestamp())}
            body = fetch(self._http, TIMEMACHINE_PATH, params, ttl, creds, _timemachine_error)
            calls += 1
            for item in body["data"]:
                stamp = item.get("dt") if isinstance(item, Mapping) else None
                if is_int(stamp) and start.timestamp() <= stamp < end.timestamp():
                    values = values_of(item, HOURLY_FIELDS, *UNIT_SYSTEMS[self._units])
                    values |= rain_and_code(item)
                    at = datetime.fromtimestamp(stamp, UTC).astimezone(local)
                    found[stamp] = Reading(at, toolkit.pick(values, names))
            instant += timedelta(hours=1)
        meta = _meta(TIMEMACHINE_PATH, self._units, llamadas=calls)
        meta["zona_horaria"] = body.get("timezone")
        return [found[k] for k in sorted(found)], meta

    def _daily(
        self, base: dict[str, Any], time_range: TimeRange, local: tzinfo, today: date,
        creds: Credentials, names: Sequence[str],
    ) -> tuple[list[Reading], dict[str, Any]]:  # fmt: skip
        readings: list[Reading] = []
        declared, day, calls = self._units, time_range.start, 0
        while day <= time_range.end:
            params = {**base, "date": day.isoformat(), "tz": _utc_offset(day, local)}
            ttl = PAST_TTL if day < today else RECENT_TTL
            body = fetch(self._http, DAY_SUMMARY_PATH, params, ttl, creds, _day_summary_error)
            calls += 1
            declared = body.get("units", self._units)  # the units the answer declares win
            if not isinstance(declared, str) or declared not in UNIT_SYSTEMS:
                raise ProviderUnavailable(Reason.ERROR, "unidades_desconocidas")
            if date.fromisoformat(body["date"]) == day:  # another day's summary is dropped
                values = day_values_of(body, *UNIT_SYSTEMS[declared])
                readings.append(Reading(toolkit.midnight(day, local), toolkit.pick(values, names)))
            day += timedelta(days=1)
        meta = _meta(DAY_SUMMARY_PATH, declared, llamadas=calls)
        meta["valor_de_las_12h"] = ["presion_atmosferica", "nubosidad"]
        return readings, meta


_current_error = check_with(lambda b: isinstance(b["main"], Mapping) and is_int(b["dt"]))
_timemachine_error = check_with(lambda b: isinstance(b["data"], list) and b["data"])
_day_summary_error = check_with(lambda b: date.fromisoformat(b["date"]))


def _utc_offset(day: date, local: tzinfo) -> str:
    """day_summary's `tz`: the zone's offset at local noon of `day`, as ±HH:MM."""
    offset = datetime.combine(day, time(12), local).utcoffset() or timedelta(0)
    minutes = round(offset.total_seconds() / 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"{'-' if minutes < 0 else '+'}{hours:02d}:{rest:02d}"


def _meta(endpoint: str, system: str, **extra: Any) -> dict[str, Any]:
    temp, speed = UNIT_SYSTEMS[system]
    units = {"units": system, "temperatura": temp, "viento": speed, "presion": "hPa"}
    return {"endpoint": endpoint, "unidades": units, **extra}
