"""Meteosource as a WeatherProvider: `point` for current on every tier, `time_machine` on paid ones.

- current: `point`'s `current` section (`timezone=UTC`). It has no time of its own: its instant
  is the first `hourly` item, the hour it belongs to (their values match in the London sample).
- history: one `time_machine` call per UTC day (`date=`, `timezone=UTC`) covering the local dates,
  at most MAX_DAYS days and never after today; the free tier has none (no_soportado, no network).
  Daily values come from the hourly items: means; min/max temperature; max gust and UV; vector-mean
  direction; the most severe code; precipitation summed only over complete days.
- units: the system the response names (`units: "metric"`: m/s, mm, hPa, visibility in km).
- weather code: the `weather` / `icon` text, else the icon number (meteosource_weather.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from statistics import fmean
from typing import Any

from adapters.providers import toolkit
from adapters.providers.adapter import Ask, Forecasting, HistoryAsk
from adapters.providers.http_client import ProviderHttp
from adapters.providers.meteosource_forecast import FORECAST_DAILY_VARIABLES, forecast, horizons
from adapters.providers.meteosource_weather import (
    HOURLY_VARIABLES,
    check_metric,
    meta_of,
    time_of,
    values_of,
)
from adapters.providers.parsed_answers import Parse
from domain.model import weather_codes
from domain.model.consensus import Reason, circular_mean
from domain.model.readings import (
    Capabilities,
    Credentials,
    DataKind,
    Granularity,
    ProviderAnswer,
    Reading,
)
from ports.providers import ProviderUnavailable

TIERS = ("free", "startup", "standard", "flexi")
MAX_DAYS = 31
CURRENT_TTL, TODAY_TTL, PAST_TTL = 600, 3600, 2_592_000
_VARIABLES = HOURLY_VARIABLES | {"temperatura_min", "temperatura_max"}


def _utc_now() -> datetime:
    return datetime.now(UTC)


class MeteosourceProvider(Forecasting):
    """Meteosource for one tier (the key must belong to it); `http` is the origin."""

    name = "meteosource"

    def __init__(
        self,
        http: ProviderHttp,
        *,
        tier: str = "free",
        clock: Callable[[], datetime] = _utc_now,
        max_days: int = MAX_DAYS,
    ) -> None:
        if tier not in TIERS:
            raise ValueError(f"unknown Meteosource tier {tier!r}")
        self._http, self.tier, self._clock, self._max_days = http, tier, clock, max_days
        paid = tier != "free"
        hourly, daily = horizons(tier)
        self.capabilities = Capabilities(
            True, paid, paid, _VARIABLES | FORECAST_DAILY_VARIABLES, needs_key=True,
            forecast_hourly=hourly, forecast_daily=daily,
        )  # fmt: skip

    def _current(self, ask: Ask) -> ProviderAnswer:
        creds = toolkit.require_key(ask.credentials)
        path, params = f"/api/v1/{self.tier}/point", toolkit.rounded_point(ask.location)
        params.update(sections="current,hourly", units="metric", language="en", timezone="UTC")
        body = self._get(path, {**params, "key": creds.api_key}, creds, CURRENT_TTL, "current")
        check_metric(body)
        answer_zone = toolkit.zone(body.get("timezone"), UTC)
        hourly = body.get("hourly") if isinstance(body.get("hourly"), dict) else {}
        first = (hourly.get("data") or [None])[0]
        instant = time_of(first.get("date") if isinstance(first, dict) else None, answer_zone)
        instant = instant or self._clock()  # no hourly section: the time of asking
        values = values_of(body["current"], _wanted(ask.variables, HOURLY_VARIABLES))
        meta = meta_of(path, params, body) | {"instante": "hora_de_la_primera_fila_horaria"}
        return ProviderAnswer(self.name, DataKind.MODEL, (Reading(instant, values),), meta)

    def _history(self, ask: HistoryAsk) -> ProviderAnswer:
        if self.tier == "free":
            raise ProviderUnavailable(Reason.ERROR, "no_soportado")
        local = ask.zone()
        now = self._clock()
        start, end = ask.start, ask.end
        days = toolkit.day_count(start, end)
        if not 1 <= days <= self._max_days or end > now.astimezone(local).date():
            raise ProviderUnavailable(Reason.ERROR, "rango_no_soportado")
        creds = toolkit.require_key(ask.credentials)
        first, after = toolkit.utc_span(start, end, local)
        last = (after - timedelta(microseconds=1)).date()
        utc_days = [
            first.date() + timedelta(days=k) for k in range(toolkit.day_count(first.date(), last))
        ]
        path, params = f"/api/v1/{self.tier}/time_machine", toolkit.rounded_point(ask.location)
        params.update(units="metric", timezone="UTC")
        hours: dict[datetime, dict[str, float | None]] = {}
        for day in utc_days:
            ttl = PAST_TTL if day < now.astimezone(UTC).date() else TODAY_TTL
            query = {**params, "date": day.isoformat(), "key": creds.api_key}
            body = self._get(path, query, creds, ttl, "data")
            check_metric(body)
            for item in body["data"]:
                instant = time_of(item.get("date") if isinstance(item, dict) else None, UTC)
                if instant and instant.date() == day and first <= instant < after:
                    hours[instant] = values_of(item, HOURLY_VARIABLES)
        meta = meta_of(path, params, body) | {"fechas_utc": [d.isoformat() for d in utc_days]}
        names = _wanted(ask.variables, _VARIABLES)
        if not ask.daily:
            readings = [Reading(t, _pick(v, names)) for t, v in sorted(hours.items())]
        else:
            readings = _daily(hours, start, end, local, names)
            meta["agregacion"] = "diaria_desde_horaria"
        return ProviderAnswer(self.name, DataKind.MODEL, tuple(readings), meta)

    def _forecast_call(self, granularity: Granularity) -> tuple[Any, tuple[Any, ...]]:
        """One `point` call with both sections; the tier's horizon (meteosource_forecast)."""
        return forecast, (self._get, self.tier, self.capabilities, self._clock())

    def _get(
        self, path: str, params: dict[str, Any], creds: Credentials, ttl: int, section: str,
        parse: Parse | None = None,
    ):  # fmt: skip
        """ "clave_rechazada": a 200 whose `detail` is about the key."""
        check, rejected = _checker(section), {"clave_rechazada"}
        return toolkit.get_keyed_json(
            self._http, path, params, ttl=ttl, credentials=creds, check=check, key_codes=rejected,
            parse=parse,
        )  # fmt: skip


def _checker(section: str) -> Callable[[Any], str | None]:
    def check(body: Any) -> str | None:
        if not isinstance(body, dict):
            return "sin_datos"
        if "detail" in body:
            return "clave_rechazada" if "key" in str(body["detail"]).lower() else "cuerpo_de_error"
        found = body.get(section)
        return None if found and isinstance(found, dict | list) else "sin_datos"

    return check


def _daily(hours, start: date, end: date, local: tzinfo, names) -> list[Reading]:
    """One Reading per local day that has hourly items, at local midnight."""
    readings = []
    for offset in range(toolkit.day_count(start, end)):
        day = start + timedelta(days=offset)
        rows = [v for t, v in hours.items() if t.astimezone(local).date() == day]
        if rows:
            values = {name: how(_column(rows, source)) for name, source, how in _DAILY}
            rain = _column(rows, "precipitacion")  # a sum over a partial day would be too low
            complete = len(rain) == toolkit.hours_in_day(day, local)
            values["precipitacion"] = math.fsum(rain) if complete else None
            readings.append(Reading(toolkit.midnight(day, local), _pick(values, names)))
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


def _pick(values: dict[str, float | None], names: frozenset[str]) -> dict[str, float | None]:
    return {k: v for k, v in values.items() if k in names}


def _wanted(variables: Sequence[str], supported: frozenset[str]) -> frozenset[str]:
    """No "no_soportado" here: an answer without the asked variables is an empty reading."""
    return frozenset(toolkit.wanted(supported, variables or supported, required=False))
