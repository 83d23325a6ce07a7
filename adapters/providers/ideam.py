"""IDEAM adapter: observed values of the nearest active stations, from datos.gov.co (SODA).

- Stations: active catalogue stations within `radius_km` (haversine), nearest first, at most
  MAX_CANDIDATES. Each variable comes from the nearest station that reports it (not every station
  has every sensor), so variables may come from different stations; Reading.provenance says which.
  None within the radius: FUERA_DE_COBERTURA "sin_estaciones_cercanas", no observation call.
- Current: raw rows of the last max(4 x max_age, 6 h). The nearest station with a row newer than
  `max_age_hours` gives the value; when every reporting station is older, the value is None with
  missing_reasons "desactualizado". precipitacion is the total over the hour ending at that row.
- History: SoQL aggregates computed by the server. A first sub-query keeps one row per station,
  sensor and time (re-published duplicates would count twice in sums), the second groups by
  date_trunc_ymdh / date_trunc_ymd: avg (temperature, humidity, wind speed, pressure), min/max
  (temperatura_min/max), sum (precipitation). Hour H holds the rows stamped in [H, H+1h). Days are
  Bogotá days; for a zone whose midnights are not Bogotá's, hourly aggregates are combined into
  the zone's days here. Wind direction: the mean of unit vectors of the raw rows (an arithmetic
  mean of angles is wrong: 350° and 10° would give 180°).
- Pressure is station pressure: only stations with a known elevation h qualify; it is reduced to
  sea level (hypsometric): p0 = p·(1 − 0.0065·h/(T + 0.0065·h + 273.15))^−5.257, T the same
  station's temperature (°C) then, else the standard atmosphere's 15 − 0.0065·h.
- A dataset that fails (timeout, 5xx, 429) leaves its variables None with missing_reasons = the
  reason; the call fails only when all of them fail, or on 401/403 (bad app token).
- Location has no elevation, so diferencia_elevacion_m is None.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.log_context import submit_in_context
from adapters.providers.http_client import (
    ProviderHttp,
    extend_call_log,
    redact,
    start_call_log,
    take_call_log,
)
from adapters.providers.ideam_catalog import (
    ALIASES,
    BOGOTA,
    CATALOGUE_DATASET,
    PAGE_SIZE,
    Dataset,
    Nearby,
    Obs,
    Series,
    Soda,
    StationCatalogue,
    bucketed,
    floating,
    parse_aggregate,
    parse_raw,
    series,
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

CURRENT_TTL, RECENT_TTL, PAST_TTL = 600, 3600, 2_592_000
MAX_CANDIDATES = 40  # nearest stations named in one `codigoestacion IN (...)`
FUTURE_TOLERANCE = timedelta(minutes=10)  # rows stamped after now + this are refused
TEMPERATURE_MATCH = timedelta(minutes=30)  # a current pressure uses a temperature this close
COLUMNS = "codigoestacion,codigosensor,fechaobservacion,valorobservado,unidadmedida"
PRESSURE_METHOD = "p0 = p·(1 − 0.0065·h/(T + 0.0065·h + 273.15))^−5.257"

TEMPERATURE = Dataset("sbwg-7ju4", ("0068", "0071"), "°C", ("avg", "min", "max"))
HUMIDITY = Dataset("uext-mhny", (), "%", ("avg",))
PRESSURE = Dataset("62tk-nxj5", ("0255", "0258"), "hPa", ("avg",))
WIND_SPEED = Dataset("sgfv-3yp8", ("0103",), "m/s", ("avg",))
WIND_DIRECTION = Dataset("kiw7-v9ta", ("0104",), "GN", ())  # raw rows, vector mean here
PRECIPITATION = Dataset("s54a-sgyg", ("0240", "0257"), "mm", ("sum",))
SOURCES: Mapping[str, tuple[Dataset, str]] = {  # variable -> (dataset, statistic)
    "temperatura": (TEMPERATURE, "avg"),
    "temperatura_min": (TEMPERATURE, "min"),
    "temperatura_max": (TEMPERATURE, "max"),
    "humedad_relativa": (HUMIDITY, "avg"),
    "presion_atmosferica": (PRESSURE, "avg"),
    "velocidad_viento": (WIND_SPEED, "avg"),
    "direccion_viento": (WIND_DIRECTION, "vector"),
    "precipitacion": (PRECIPITATION, "sum"),
}
CURRENT_VARIABLES = tuple(v for v in SOURCES if v not in ("temperatura_min", "temperatura_max"))
_Buckets = dict[datetime, dict[str, float]]
_Fetched = tuple[dict[str, Series], dict[str, ProviderUnavailable], dict[str, Any]]


def sea_level_pressure(p_hpa: float, elevation_m: float, temperature_c: float | None) -> float:
    """Hypsometric reduction of station pressure to sea level (module docstring)."""
    t = 15.0 - 0.0065 * elevation_m if temperature_c is None else temperature_c
    return p_hpa * (1 - 0.0065 * elevation_m / (t + 0.0065 * elevation_m + 273.15)) ** -5.257


class IdeamProvider:
    """IDEAM stations through datos.gov.co; no key (an optional app token raises the limits)."""

    name = "ideam"
    capabilities = Capabilities(True, True, True, frozenset(SOURCES), needs_key=False)

    def __init__(
        self,
        http: ProviderHttp,
        *,
        app_token: str | None = None,
        radius_km: float = 25.0,
        max_age_hours: float = 3.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        page_size: int = PAGE_SIZE,
    ) -> None:
        self._soda = Soda(http, app_token, page_size)
        self._clock = clock
        self._catalogue = StationCatalogue(self._soda, clock)
        self.radius_km = radius_km
        self.max_age = timedelta(hours=max_age_hours)

    def current(
        self, location: Location, variables: Sequence[str], credentials: Credentials | None
    ) -> ProviderAnswer:
        """Each variable's latest observation at its nearest reporting station."""
        wanted = _wanted(CURRENT_VARIABLES, variables)
        nearby = self._nearby(location)
        now = self._clock()
        since = now - max(4 * self.max_age, timedelta(hours=6))
        since = since.replace(minute=0, second=0, microsecond=0)  # shared cache key for an hour
        where = f"codigoestacion IN ({_in(nearby)}) AND fechaobservacion >= '{floating(since)}'"
        order = "fechaobservacion DESC,codigoestacion,codigosensor,:id"

        def params_at(limit: int, offset: int) -> dict[str, Any]:
            return {"$select": COLUMNS, "$where": where, "$order": order, "$limit": limit} | {
                "$offset": offset
            }

        def fetch(ds: Dataset) -> tuple[dict[str, Any], list[Obs]]:
            rows = self._soda.rows(ds.id, params_at, CURRENT_TTL)
            obs = [o for o in (parse_raw(r, ds) for r in rows) if o is not None]
            obs = [o for o in obs if o.at <= now + FUTURE_TOLERANCE]
            return params_at(self._soda.page_size, 0), obs

        found, failed, queries = self._fetch(wanted, fetch)
        values: dict[str, float | None] = dict.fromkeys(wanted)
        provenance: dict[str, Mapping[str, object]] = {}
        reasons = _failure_reasons(wanted, failed)
        times: dict[bool, list[datetime]] = {True: [], False: []}  # fresh -> observation times
        for variable in (v for v in wanted if v not in reasons):
            by_station = found.get(SOURCES[variable][0].id, {})
            pick = self._latest(variable, by_station, nearby, found.get(TEMPERATURE.id, {}), now)
            if pick is not None:
                values[variable], provenance[variable], observed = pick
                times[values[variable] is not None].append(observed)
                if values[variable] is None:
                    reasons[variable] = Reason.DESACTUALIZADO.value
        if not provenance:
            raise next(iter(failed.values()), ProviderUnavailable(Reason.ERROR, "sin_datos"))
        reading = Reading(max(times[True] or times[False]), values, provenance, reasons)
        used = {v: p["estacion"] for v, p in provenance.items()}
        meta = self._meta(nearby, used, wanted, queries, failed)
        return ProviderAnswer(self.name, DataKind.OBSERVED, (reading,), meta)

    def history(
        self,
        location: Location,
        time_range: TimeRange,
        variables: Sequence[str],
        credentials: Credentials | None,
    ) -> ProviderAnswer:
        """One Reading per hour or day of [start, end] (local dates of TimeRange.timezone)."""
        wanted = _wanted(tuple(SOURCES), variables)
        zone = _zone(time_range.timezone)
        nearby = self._nearby(location)
        start, end = time_range.start, time_range.end
        daily = time_range.granularity is Granularity.DAILY
        server_daily = daily and _aligned(start, end, zone)
        today = self._clock().astimezone(zone).date()
        ttl = PAST_TTL if end < today - timedelta(1) else RECENT_TTL  # IDEAM lags hours
        first, last = (floating(_midnight(d, zone)) for d in (start, end + timedelta(1)))
        where = f"codigoestacion IN ({_in(nearby)}) AND fechaobservacion >= '{first}'"
        where += f" AND fechaobservacion < '{last}'"
        trunc = "date_trunc_ymd" if server_daily else "date_trunc_ymdh"

        def bucket(at: datetime) -> datetime:
            if daily:  # server days are Bogotá days, which then are the zone's days
                return _midnight(at.astimezone(BOGOTA if server_daily else zone).date(), zone)
            return at.astimezone(BOGOTA).replace(minute=0, second=0, microsecond=0).astimezone(zone)

        def fetch(ds: Dataset) -> tuple[dict[str, Any], list[Obs]]:
            params_at = _history_params(ds, where, trunc)
            parse = parse_aggregate if ds.aggregates else parse_raw
            rows = self._soda.rows(ds.id, params_at, ttl)
            obs = [o for o in (parse(r, ds) for r in rows) if o is not None]
            return params_at(self._soda.page_size, 0), obs

        found, failed, queries = self._fetch(wanted, fetch)
        buckets = {
            ds_id: {code: bucketed(rows, bucket, ds_id == WIND_DIRECTION.id)
                    for code, rows in by_station.items()}
            for ds_id, by_station in found.items()
        }  # fmt: skip
        temps = buckets.get(TEMPERATURE.id, {})
        picked = {
            v: pick for v in wanted if (pick := _choose(v, buckets, nearby, temps, start, end))
        }
        if not picked:
            raise next(iter(failed.values()), ProviderUnavailable(Reason.ERROR, "sin_datos"))
        readings: list[Reading] = []
        for key in sorted(set().union(*(points for _, points in picked.values()))):
            values: dict[str, float | None] = dict.fromkeys(wanted)
            provenance: dict[str, Mapping[str, object]] = {}
            for variable, (near, points) in picked.items():
                if key in points:
                    values[variable], extra = points[key]
                    provenance[variable] = _provenance(near, key) | extra
            readings.append(Reading(key, values, provenance, _failure_reasons(wanted, failed)))
        used = {v: near.station.code for v, (near, _) in picked.items()}
        meta = self._meta(nearby, used, wanted, queries, failed)
        return ProviderAnswer(self.name, DataKind.OBSERVED, tuple(readings), meta)

    def _nearby(self, location: Location) -> list[Nearby]:
        nearby = self._catalogue.nearby(location, self.radius_km, MAX_CANDIDATES)
        if not nearby:
            raise ProviderUnavailable(Reason.FUERA_DE_COBERTURA, "sin_estaciones_cercanas")
        return nearby

    def _fetch(
        self,
        wanted: Sequence[str],
        fetch: Callable[[Dataset], tuple[dict[str, Any], list[Obs]]],
    ) -> _Fetched:
        """Rows of each needed dataset (temperature too when pressure is to be reduced)."""
        datasets = {SOURCES[v][0].id: SOURCES[v][0] for v in wanted}
        if "presion_atmosferica" in wanted:
            datasets.setdefault(TEMPERATURE.id, TEMPERATURE)
        found: dict[str, Series] = {}
        failed: dict[str, ProviderUnavailable] = {}
        queries: dict[str, Any] = {}

        def one(ds: Dataset) -> tuple[Any, ProviderUnavailable | None, list[bool]]:
            start_call_log()  # cache use of this dataset's requests, handed to the caller
            try:
                return fetch(ds), None, take_call_log()
            except ProviderUnavailable as exc:
                return None, exc, take_call_log()

        # The datasets are independent: ask them all at once, so a call costs about one
        # request's latency (not six) and a silent upstream costs one timeout, not six.
        with ThreadPoolExecutor(len(datasets), thread_name_prefix="ideam") as pool:
            futures = [submit_in_context(pool, one, ds) for ds in datasets.values()]  # request id
            results = list(zip(datasets.values(), [f.result() for f in futures], strict=True))
        for ds, (fetched, error, cached) in results:
            extend_call_log(cached)
            if error is not None:
                if error.reason is Reason.CLAVE_INVALIDA:
                    raise error
                failed[ds.id] = error
                continue
            params, rows = fetched
            found[ds.id], queries[ds.id] = series(rows, ds), redact(params)
        if all(SOURCES[v][0].id in failed for v in wanted):
            raise next(iter(failed.values()))
        return found, failed, queries

    def _latest(
        self,
        variable: str,
        by_station: Series,
        nearby: list[Nearby],
        temps: Series,
        now: datetime,
    ) -> tuple[float | None, dict[str, object], datetime] | None:
        """The nearest station with a fresh row; else the nearest stale one (value None)."""
        stale = None
        for near in _qualified(variable, nearby):
            rows = by_station.get(near.station.code)
            if not rows:
                continue
            last = max(rows, key=lambda o: o.at)
            if now - last.at > self.max_age:
                stale = stale or (None, _provenance(near, last.at), last.at)
                continue
            stats = dict(last.stats)
            if variable == "precipitacion":
                hour = [o.stats["sum"] for o in rows if o.at > last.at - timedelta(hours=1)]
                stats["sum"] = math.fsum(hour)
            value, extra = _value(variable, stats, near, _temperature(temps, near, last.at))
            return value, _provenance(near, last.at) | extra, last.at
        return stale

    def _meta(
        self,
        nearby: list[Nearby],
        used: Mapping[str, object],
        wanted: Sequence[str],
        queries: Mapping[str, Any],
        failed: Mapping[str, ProviderUnavailable],
    ) -> dict[str, Any]:
        """Provenance safe to store; `estaciones` lists the stations values came from."""
        stations = [
            {"estacion": n.station.code, "nombre": n.station.name,
             "altitud_m": n.station.elevation_m, "distancia_km": round(n.distance_km, 3),
             "variables": [v for v, code in used.items() if code == n.station.code]}
            for n in nearby if n.station.code in used.values()
        ]  # fmt: skip
        fetched = self._catalogue.fetched_at
        return {
            "endpoint": "/resource",
            "datasets": {v: SOURCES[v][0].id for v in wanted},
            "catalogo": {
                "dataset": CATALOGUE_DATASET,
                "obtenido": fetched and fetched.isoformat(),
            },
            "estaciones": stations,
            "radio_km": self.radius_km,
            "edad_maxima_h": self.max_age.total_seconds() / 3600,
            "zona_horaria_datos": "America/Bogota",
            "presion": f"reducida al nivel del mar: {PRESSURE_METHOD}",
            "consultas": dict(queries),
            "fallos": {ds_id: exc.code for ds_id, exc in failed.items()},
        }


def _qualified(variable: str, nearby: list[Nearby]) -> list[Nearby]:
    """Pressure needs the station's elevation to be reduced; other variables take any station."""
    if variable != "presion_atmosferica":
        return nearby
    return [n for n in nearby if n.station.elevation_m is not None]


def _temperature(temps: Series, near: Nearby, at: datetime) -> float | None:
    """The station's temperature observed closest to `at`, within TEMPERATURE_MATCH."""
    rows = [o for o in temps.get(near.station.code, ()) if abs(o.at - at) <= TEMPERATURE_MATCH]
    return min(rows, key=lambda o: abs(o.at - at)).stats["avg"] if rows else None


def _choose(
    variable: str,
    buckets: Mapping[str, Mapping[str, _Buckets]],
    nearby: list[Nearby],
    temps: Mapping[str, _Buckets],
    start: date,
    end: date,
) -> tuple[Nearby, dict[datetime, tuple[float, dict[str, object]]]] | None:
    """The nearest station with any value in [start, end], and its values per bucket."""
    by_station = buckets.get(SOURCES[variable][0].id, {})
    for near in _qualified(variable, nearby):
        points = {}
        for key, stats in by_station.get(near.station.code, {}).items():
            t = temps.get(near.station.code, {}).get(key, {}).get("avg")
            value, extra = _value(variable, stats, near, t)
            if value is not None and start <= key.date() <= end:
                points[key] = (value, extra)
        if points:
            return near, points
    return None


def _value(
    variable: str, stats: Mapping[str, float], near: Nearby, temperature_c: float | None
) -> tuple[float | None, dict[str, object]]:
    """The variable's statistic; pressure reduced to sea level with the station's temperature."""
    value = stats.get(SOURCES[variable][1])
    h = near.station.elevation_m
    if variable != "presion_atmosferica" or value is None or h is None:
        return value, {}
    extra = {"altitud_estacion_m": h, "presion_estacion_hpa": value}
    extra["temperatura_reduccion_c"] = temperature_c
    return sea_level_pressure(value, h, temperature_c), extra


def _provenance(near: Nearby, observed: datetime) -> dict[str, object]:
    return {
        "estacion": near.station.code,
        "nombre": near.station.name,
        "distancia_km": round(near.distance_km, 3),
        # The domain turns this into diferencia_elevacion_m when the location's elevation is known.
        "altitud_estacion_m": near.station.elevation_m,
        "observado_en": observed.isoformat(),
    }


def _failure_reasons(
    wanted: Sequence[str], failed: Mapping[str, ProviderUnavailable]
) -> dict[str, str]:
    return {v: failed[ds.id].reason.value for v in wanted if (ds := SOURCES[v][0]).id in failed}


def _history_params(ds: Dataset, where: str, trunc: str) -> Callable[[int, int], dict[str, Any]]:
    """Raw rows for wind direction; otherwise deduplicate, then aggregate, on the server."""
    if not ds.aggregates:
        order = "fechaobservacion,codigoestacion,codigosensor,:id"
        return lambda limit, offset: {
            "$select": COLUMNS, "$where": where, "$order": order, "$limit": limit, "$offset": offset
        }  # fmt: skip
    keys = "codigoestacion, codigosensor, unidadmedida"
    stats = ", ".join(f"{fn}(valor) AS {ALIASES[fn]}" for fn in ds.aggregates)
    query = (
        f"SELECT {keys}, fechaobservacion, max(valorobservado::number) AS valor WHERE {where} "
        f"GROUP BY {keys}, fechaobservacion |> SELECT {keys}, {trunc}(fechaobservacion) AS periodo,"
        f" {stats}, count(*) AS n GROUP BY {keys}, periodo ORDER BY {keys}, periodo"
    )
    return lambda limit, offset: {"$query": f"{query} LIMIT {limit} OFFSET {offset}"}


def _wanted(allowed: Sequence[str], variables: Sequence[str]) -> list[str]:
    wanted = [v for v in dict.fromkeys(variables) if v in allowed]
    if not wanted:
        raise ProviderUnavailable(Reason.ERROR, "no_soportado")
    return wanted


def _in(nearby: list[Nearby]) -> str:
    return ",".join(f"'{n.station.code}'" for n in nearby)  # codes are digits only


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ProviderUnavailable(Reason.ERROR, "zona_horaria_desconocida") from None


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)


def _aligned(start: date, end: date, zone: ZoneInfo) -> bool:
    """True when every midnight of the range in `zone` is a Bogotá midnight (UTC-5)."""
    offsets = (
        _midnight(start + timedelta(i), zone).utcoffset() for i in range((end - start).days + 2)
    )
    return all(offset == timedelta(hours=-5) for offset in offsets)
