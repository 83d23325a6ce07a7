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
- Pressure is station pressure, reduced to sea level with the station's elevation and
  temperature (ideam_sources.py); only stations with a known elevation qualify.
- A dataset that fails (timeout, 5xx, 429) leaves its variables None with missing_reasons = the
  reason; the call fails only when all of them fail, or on 401/403 (bad app token).
- Location has no elevation, so diferencia_elevacion_m is None.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from adapters.providers import toolkit
from adapters.providers.adapter import Ask, HistoryAsk, ProviderAdapter
from adapters.providers.http_client import ProviderHttp
from adapters.providers.ideam_catalog import (
    CATALOGUE_DATASET,
    PAGE_SIZE,
    Nearby,
    Soda,
    StationCatalogue,
)
from adapters.providers.ideam_rows import (
    BOGOTA,
    Dataset,
    Obs,
    Series,
    bucketed,
    floating,
    parse_aggregate,
    parse_raw,
)
from adapters.providers.ideam_sources import (
    COLUMNS,
    CURRENT_VARIABLES,
    PRESSURE_METHOD,
    SOURCES,
    TEMPERATURE,
    WIND_DIRECTION,
    choose,
    failure_reasons,
    fetch_all,
    history_params,
    qualified,
    sea_level_pressure,
    temperature_near,
    value_of,
)
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import (
    Capabilities,
    DataKind,
    ProviderAnswer,
    Reading,
)
from ports.providers import ProviderUnavailable

CURRENT_TTL, RECENT_TTL, PAST_TTL = 600, 3600, 2_592_000
MAX_CANDIDATES = 40  # nearest stations named in one `codigoestacion IN (...)`
__all__ = ["IdeamProvider", "sea_level_pressure"]


class IdeamProvider(ProviderAdapter):
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
        self.freshness = toolkit.Freshness.of_hours(max_age_hours)

    def _current(self, ask: Ask) -> ProviderAnswer:
        """Each variable's latest observation at its nearest reporting station."""
        names = toolkit.wanted(CURRENT_VARIABLES, ask.variables)
        nearby = self._nearby(ask.location)
        now = self._clock()
        since = now - max(4 * self.freshness.max_age, timedelta(hours=6))
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
            obs = [o for o in obs if self.freshness.usable(o.at, now)]
            return params_at(self._soda.page_size, 0), obs

        found, failed, queries = fetch_all(names, fetch)
        values: dict[str, float | None] = dict.fromkeys(names)
        provenance: dict[str, Mapping[str, object]] = {}
        reasons = failure_reasons(names, failed)
        times: dict[bool, list[datetime]] = {True: [], False: []}  # fresh -> observation times
        for variable in (v for v in names if v not in reasons):
            by_station = found.get(SOURCES[variable][0].id, {})
            pick = self._latest(variable, by_station, nearby, found.get(TEMPERATURE.id, {}), now)
            if pick is not None:
                values[variable], provenance[variable], observed = pick
                times[values[variable] is not None].append(observed)
                if values[variable] is None:
                    reasons[variable] = toolkit.STALE
        if not provenance:
            raise next(iter(failed.values()), ProviderUnavailable(Reason.ERROR, "sin_datos"))
        reading = Reading(max(times[True] or times[False]), values, provenance, reasons)
        used = {v: p["estacion"] for v, p in provenance.items()}
        meta = self._meta(nearby, used, names, queries, failed)
        return ProviderAnswer(self.name, DataKind.OBSERVED, (reading,), meta)

    def _history(self, ask: HistoryAsk) -> ProviderAnswer:
        """One Reading per hour or day of [start, end] (local dates of TimeRange.timezone)."""
        names = toolkit.wanted(tuple(SOURCES), ask.variables)
        local = ask.zone()
        nearby = self._nearby(ask.location)
        start, end, daily = ask.start, ask.end, ask.daily
        server_daily = daily and _aligned(start, end, local)
        today = self._clock().astimezone(local).date()
        ttl = PAST_TTL if end < today - timedelta(1) else RECENT_TTL  # IDEAM lags hours
        first, last = (floating(toolkit.midnight(d, local)) for d in (start, end + timedelta(1)))
        where = f"codigoestacion IN ({_in(nearby)}) AND fechaobservacion >= '{first}'"
        where += f" AND fechaobservacion < '{last}'"
        trunc = "date_trunc_ymd" if server_daily else "date_trunc_ymdh"

        def bucket(at: datetime) -> datetime:
            if daily:  # server days are Bogotá days, which then are the zone's days
                return toolkit.midnight(
                    at.astimezone(BOGOTA if server_daily else local).date(), local
                )
            return (
                at.astimezone(BOGOTA).replace(minute=0, second=0, microsecond=0).astimezone(local)
            )

        def fetch(ds: Dataset) -> tuple[dict[str, Any], list[Obs]]:
            params_at = history_params(ds, where, trunc)
            parse = parse_aggregate if ds.aggregates else parse_raw
            rows = self._soda.rows(ds.id, params_at, ttl)
            obs = [o for o in (parse(r, ds) for r in rows) if o is not None]
            return params_at(self._soda.page_size, 0), obs

        found, failed, queries = fetch_all(names, fetch)
        buckets = {
            ds_id: {code: bucketed(rows, bucket, ds_id == WIND_DIRECTION.id)
                    for code, rows in by_station.items()}
            for ds_id, by_station in found.items()
        }  # fmt: skip
        temps = buckets.get(TEMPERATURE.id, {})
        picked = {v: pick for v in names if (pick := choose(v, buckets, nearby, temps, start, end))}
        if not picked:
            raise next(iter(failed.values()), ProviderUnavailable(Reason.ERROR, "sin_datos"))
        readings: list[Reading] = []
        for key in sorted(set().union(*(points for _, points in picked.values()))):
            values: dict[str, float | None] = dict.fromkeys(names)
            provenance: dict[str, Mapping[str, object]] = {}
            for variable, (near, points) in picked.items():
                if key in points:
                    values[variable], extra = points[key]
                    provenance[variable] = _provenance(near, key) | extra
            readings.append(Reading(key, values, provenance, failure_reasons(names, failed)))
        used = {v: near.station.code for v, (near, _) in picked.items()}
        meta = self._meta(nearby, used, names, queries, failed)
        return ProviderAnswer(self.name, DataKind.OBSERVED, tuple(readings), meta)

    def _nearby(self, location: Location) -> list[Nearby]:
        nearby = self._catalogue.nearby(location, self.radius_km, MAX_CANDIDATES)
        if not nearby:
            raise ProviderUnavailable(Reason.FUERA_DE_COBERTURA, "sin_estaciones_cercanas")
        return nearby

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
        for near in qualified(variable, nearby):
            rows = by_station.get(near.station.code)
            if not rows:
                continue
            last = max(rows, key=lambda o: o.at)
            if not self.freshness.fresh(last.at, now):
                stale = stale or (None, _provenance(near, last.at), last.at)
                continue
            stats = dict(last.stats)
            if variable == "precipitacion":
                hour = [o.stats["sum"] for o in rows if o.at > last.at - timedelta(hours=1)]
                stats["sum"] = math.fsum(hour)
            value, extra = value_of(variable, stats, near, temperature_near(temps, near, last.at))
            return value, _provenance(near, last.at) | extra, last.at
        return stale

    def _meta(
        self,
        nearby: list[Nearby],
        used: Mapping[str, object],
        names: Sequence[str],
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
            "datasets": {v: SOURCES[v][0].id for v in names},
            "catalogo": {
                "dataset": CATALOGUE_DATASET,
                "obtenido": fetched and fetched.isoformat(),
            },
            "estaciones": stations,
            "radio_km": self.radius_km,
            "edad_maxima_h": self.freshness.max_age_hours,
            "zona_horaria_datos": "America/Bogota",
            "presion": f"reducida al nivel del mar: {PRESSURE_METHOD}",
            "consultas": dict(queries),
            "fallos": {ds_id: exc.code for ds_id, exc in failed.items()},
        }


def _in(nearby: list[Nearby]) -> str:
    return ",".join(f"'{n.station.code}'" for n in nearby)  # codes are digits only


def _aligned(start: date, end: date, local: tzinfo) -> bool:
    """True when every midnight of the range in `local` is a Bogotá midnight (UTC-5)."""
    offsets = (
        toolkit.midnight(start + timedelta(i), local).utcoffset()
        for i in range((end - start).days + 2)
    )
    return all(offset == timedelta(hours=-5) for offset in offsets)


def _provenance(near: Nearby, observed: datetime) -> dict[str, object]:
    station = near.station
    return toolkit.station_provenance(
        station.code, station.name, near.distance_km, station.elevation_m, observed
    )
