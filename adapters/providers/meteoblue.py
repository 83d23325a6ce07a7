"""Meteoblue forecast packages (basic-1h, basic-day) as a WeatherProvider, with URL signing;
forecasts from `basic-1h_basic-day` (meteoblue_forecast.py).

- current: the `basic-1h` row of the hour holding "now". The `current` package is not used: it
  lacks humidity, pressure and precipitation (PROVIDERS.md 3.3) and would cost a second package.
- history: what the forecast packages carry, `history_days` 1-4 and `forecast_days` 1-7
  (docs.meteoblue.com); other dates raise rango_no_soportado before any network call.
- units and times: meteoblue_rows.py.
- signing (Credentials.api_secret): `sig` = hex HMAC-SHA256(secret, path?query) over the exact
  query sent, ending in `expire` (unix s, rounded up to a window so cache keys hold); `sig` is
  appended last and is never logged or stored.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from adapters.providers import forecast_kit, toolkit
from adapters.providers.adapter import Ask, Forecasting, HistoryAsk
from adapters.providers.http_client import ProviderHttp, redact
from adapters.providers.meteoblue_forecast import HORIZON, PROBABILITY, forecast
from adapters.providers.meteoblue_rows import rows_of
from adapters.providers.parsed_answers import Parse
from domain.model.consensus import Reason
from domain.model.readings import (
    Capabilities,
    Credentials,
    DataKind,
    Granularity,
    ProviderAnswer,
    Reading,
)
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


class MeteoblueProvider(Forecasting):
    """Meteoblue forecast packages; `http` points at the origin (https://my.meteoblue.com)."""

    name = "meteoblue"
    capabilities = Capabilities(
        current=True,
        history_hourly=True,
        history_daily=True,
        variables=_VARIABLES | {PROBABILITY[0]},
        needs_key=True,
        forecast_hourly=HORIZON,
        forecast_daily=HORIZON,
    )

    def __init__(
        self,
        http: ProviderHttp,
        *,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._http = http
        self._clock = clock

    def _current(self, ask: Ask) -> ProviderAnswer:
        creds = toolkit.require_key(ask.credentials)
        now = self._clock()
        body, meta = self._fetch(HOURLY, ask.location, creds, {"forecast_days": 1}, CURRENT_TTL)
        rows = rows_of(body, "data_1h", _HOURLY_FIELDS, _wanted(ask.variables), None, daily=False)
        hour = [(t, v) for t, v in rows if t <= now < t + timedelta(hours=1)]
        if not hour:
            raise ProviderUnavailable(Reason.ERROR, "sin_dato_actual")
        instant, values = hour[-1]
        return ProviderAnswer(self.name, DataKind.MODEL, (Reading(instant, values),), meta)

    def _history(self, ask: HistoryAsk) -> ProviderAnswer:
        local = ask.zone()
        today = self._clock().astimezone(local).date()
        start, end = ask.start, ask.end
        oldest = today - timedelta(days=MAX_HISTORY_DAYS)
        latest = today + timedelta(days=MAX_FORECAST_DAYS - 1)
        if start > end or start < oldest or end > latest:
            raise ProviderUnavailable(Reason.ERROR, "rango_no_soportado")
        creds = toolkit.require_key(ask.credentials)
        extra: dict[str, Any] = {"tz": ask.time_range.timezone}
        extra["forecast_days"] = max(1, (end - today).days + 1)
        if start < today:
            extra["history_days"] = (today - start).days
        daily = ask.daily
        package, section = (DAILY, "data_day") if daily else (HOURLY, "data_1h")
        ttl = TODAY_TTL if end >= today else PAST_TTL
        body, meta = self._fetch(package, ask.location, creds, extra, ttl)
        fields = _DAILY_FIELDS if daily else _HOURLY_FIELDS
        readings = []
        wanted = _wanted(ask.variables)
        for when, values in rows_of(body, section, fields, wanted, local, daily=daily):
            day = when if daily else when.astimezone(local).date()
            if start <= day <= end:
                readings.append(Reading(toolkit.midnight(day, local) if daily else when, values))
        return ProviderAnswer(self.name, DataKind.MODEL, tuple(readings), meta)

    def _forecast_call(self, granularity: Granularity) -> tuple[Any, tuple[Any, ...]]:
        """One `basic-1h_basic-day` call, `forecast_days` = days cut at 7 (meteoblue_forecast)."""
        fields = _DAILY_FIELDS if granularity is Granularity.DAILY else _HOURLY_FIELDS
        return forecast, (self._fetch, self.capabilities, fields, self._clock())

    def _fetch(self, package, location, creds, extra, ttl, section=None, parse=None) -> Any:
        """(body, meta); with `parse` (its run taking both), what it builds from them."""
        path = f"/packages/{package}"
        params = {**toolkit.rounded_point(location), "apikey": creds.api_key, **_FORMAT, **extra}
        query = {key: str(value) for key, value in params.items()}
        sent = _signed(path, query, creds.api_secret, self._clock()) if creds.api_secret else query
        section = section or ("data_day" if package == DAILY else "data_1h")
        check = _checker(section)  # NO_ACCESS: a 200 saying the key has no access to this API

        def answer(body: Any) -> tuple[Any, dict[str, Any]]:
            return body, _meta_of(path, sent, body, creds)

        whole = None
        if parse is not None:  # the meta's inputs join the key: path, parameters sent, signed
            asked = (path, forecast_kit.items(_unsigned(sent)), bool(creds.api_secret))
            run = parse.run
            whole = Parse((parse.key, asked), lambda body: run(*answer(body)), parse.share)
        got = toolkit.get_keyed_json(
            self._http, path, sent, ttl=ttl, credentials=creds, check=check,
            key_codes={NO_ACCESS}, parse=whole,
        )  # fmt: skip
        return got if whole is not None else answer(got)


def _unsigned(sent: Mapping[str, str]) -> dict[str, Any]:
    return redact({k: v for k, v in sent.items() if k != "sig"})


def _meta_of(path: str, sent: Mapping[str, str], body: Any, creds: Credentials) -> dict[str, Any]:
    """The stored provenance of one package call (no key, no signature)."""
    metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
    return {
        "endpoint": path,
        "params": _unsigned(sent),
        "unidades": dict(body.get("units") or {}),
        "ejecucion_modelo_utc": metadata.get("modelrun_utc"),
        "elevacion": metadata.get("height"),
        "firmado": bool(creds.api_secret),
    }


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


def _wanted(variables: Sequence[str]) -> frozenset[str]:
    """No "no_soportado" here: an answer without the asked variables is an empty reading."""
    return frozenset(toolkit.wanted(_VARIABLES, variables or _VARIABLES, required=False))
