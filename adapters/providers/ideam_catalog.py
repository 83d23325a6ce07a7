"""IDEAM on datos.gov.co (Socrata SODA): paging, strict row parsing, the station catalogue.

- Every SODA value is a string, parsed strictly: only a plain decimal literal is a number; "",
  "NaN", "1_000", "n/a" make the row unusable (skipped), never 0.
- `fechaobservacion` is a floating Colombian wall time ("2026-04-05T23:59:00.000"): read as
  America/Bogota (UTC-5, no DST), it becomes an aware datetime.
- Units: the row's `unidadmedida` when it has one ("hPA", "GN" are known), else the dataset's
  documented unit; an unknown unit makes the row unusable, never guessed.
- Re-published rows (same station, sensor and time) are dropped (the first is kept); a station
  reporting through two sensors (0240 and 0257 GPRS) gives the first documented one's rows.
- The catalogue (hp9r-jxuu) is fetched with ttl=86400 and kept parsed in memory with its fetch
  time; it is refreshed after a day, and a failed refresh keeps using the previous copy.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from attrs import frozen

from adapters.providers.http_client import ProviderHttp
from domain.model import units
from domain.model.consensus import Reason, circular_mean
from domain.model.location import Location
from ports.providers import ProviderUnavailable

log = logging.getLogger("climaguru.providers")

BOGOTA = ZoneInfo("America/Bogota")
CATALOGUE_DATASET = "hp9r-jxuu"
CATALOGUE_TTL = 86_400
CATALOGUE_SELECT = "codigo,nombre,categoria,estado,departamento,municipio,ubicaci_n,altitud"
PAGE_SIZE = 20_000  # ~3 MB of rows per page, well under the client's size cap
MAX_PAGES = 25
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
ALIASES = {"avg": "media", "min": "minimo", "max": "maximo", "sum": "suma"}  # SoQL columns
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_CODE = re.compile(r"\d{1,10}")


def parse_number(raw: Any) -> float | None:
    """A finite number from a SODA string (or a JSON number); None for anything else."""
    number = isinstance(raw, int | float) and not isinstance(raw, bool)
    if not number and not (isinstance(raw, str) and _NUMBER.fullmatch(raw.strip())):
        return None
    value = float(raw)
    return value if math.isfinite(value) else None


def parse_floating(raw: Any) -> datetime | None:
    """A floating Bogotá wall time -> aware datetime (an explicit offset, if any, is kept)."""
    try:
        moment = datetime.fromisoformat(raw.strip()) if isinstance(raw, str) else None
    except ValueError:
        return None
    return moment.replace(tzinfo=BOGOTA) if moment and moment.tzinfo is None else moment


def floating(moment: datetime) -> str:
    """An aware instant as the floating Bogotá literal SoQL compares `fechaobservacion` with."""
    return moment.astimezone(BOGOTA).strftime("%Y-%m-%dT%H:%M:%S")


def station_code(raw: Any) -> str | None:
    """The 10-digit zero-padded code that joins the catalogue (8 digits) and the data tables."""
    code = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    return code.zfill(10) if _CODE.fullmatch(code) else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the mean Earth radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2
    a += math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def soda_check(body: Any) -> str | None:
    """A 200 must be a list of row objects; `{"error": true, ...}` is an error body."""
    if isinstance(body, list) and all(isinstance(row, dict) for row in body):
        return None
    if isinstance(body, dict) and body.get("error") not in (None, False):
        return "cuerpo_de_error"
    return "respuesta_inesperada"


class Soda:
    """Pages of SODA rows from one origin; the optional app token travels as X-App-Token."""

    def __init__(self, http: ProviderHttp, app_token: str | None, page_size: int) -> None:
        self._http = http
        self._headers = {"X-App-Token": app_token} if app_token else None
        self.page_size = page_size

    def rows(
        self,
        dataset: str,
        params_at: Callable[[int, int], Mapping[str, Any]],
        ttl: int,
        check: Callable[[Any], str | None] = soda_check,
    ) -> list[dict[str, Any]]:
        """Every row; `params_at(limit, offset)` builds each page's parameters."""
        found: list[dict[str, Any]] = []
        for page in range(MAX_PAGES):
            params = params_at(self.page_size, page * self.page_size)
            path = f"/resource/{dataset}.json"
            body = self._http.get_json(
                path, params, ttl=ttl, headers=self._headers, error_check=check
            )
            found.extend(body)
            if len(body) < self.page_size:
                return found
            check = soda_check  # after a full page, an empty one is the normal end
        raise ProviderUnavailable(Reason.ERROR, "demasiadas_filas")


@frozen
class Station:
    """An active catalogue station; `code` zero-padded to 10 digits, elevation in metres."""

    code: str
    name: str
    latitude: float
    longitude: float
    elevation_m: float | None


@frozen
class Nearby:
    """A station and its great-circle distance to the asked location."""

    station: Station
    distance_km: float


def parse_station(row: Mapping[str, Any]) -> Station | None:
    """A catalogue row -> Station; None when suspended or unusable."""
    code = station_code(row.get("codigo"))
    if code is None or str(row.get("estado", "")).strip().casefold() != "activa":
        return None
    point, lat, lon = row.get("ubicaci_n"), row.get("latitud"), row.get("longitud")
    if isinstance(point, dict) and isinstance(point.get("coordinates"), list):  # GeoJSON point
        lon, lat = [*point["coordinates"], None, None][:2]
    elif isinstance(point, dict):  # location column {"latitude": "...", "longitude": "..."}
        lat, lon = point.get("latitude", lat), point.get("longitude", lon)
    latitude, longitude = parse_number(lat), parse_number(lon)
    if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
        return None
    name = str(row.get("nombre") or code).strip()
    return Station(code, name, latitude, longitude, parse_number(row.get("altitud")))


class StationCatalogue:
    """The active stations, fetched at most once a day and shared by every call (thread-safe)."""

    def __init__(self, soda: Soda, clock: Callable[[], datetime]) -> None:
        self._soda, self._clock, self._lock = soda, clock, threading.Lock()
        self._stations: tuple[Station, ...] = ()
        self.fetched_at: datetime | None = None

    def nearby(self, location: Location, radius_km: float, limit: int) -> list[Nearby]:
        """The `limit` nearest active stations within `radius_km`, nearest first."""
        here = (location.latitude, location.longitude)
        found = [Nearby(s, haversine_km(*here, s.latitude, s.longitude)) for s in self._current()]
        found = [n for n in found if n.distance_km <= radius_km]
        return sorted(found, key=lambda n: (n.distance_km, n.station.code))[:limit]

    def _current(self) -> tuple[Station, ...]:
        with self._lock:
            now = self._clock()
            if self.fetched_at is None or now - self.fetched_at >= timedelta(days=1):
                try:
                    self._stations, self.fetched_at = self._fetch(), now
                except ProviderUnavailable as exc:
                    if self.fetched_at is None:
                        raise
                    log.warning("ideam: catálogo sin refrescar (%s); se usa la copia previa", exc)
            return self._stations

    def _fetch(self) -> tuple[Station, ...]:
        def params_at(limit: int, offset: int) -> dict[str, Any]:
            where, order = "estado='Activa'", "codigo"
            return {"$select": CATALOGUE_SELECT, "$where": where, "$order": order} | {
                "$limit": limit, "$offset": offset
            }  # fmt: skip

        def check(body: Any) -> str | None:
            return soda_check(body) or (None if body else "sin_datos")

        rows = self._soda.rows(CATALOGUE_DATASET, params_at, CATALOGUE_TTL, check)
        stations = {s.code: s for s in map(parse_station, rows) if s is not None}
        if not stations:  # rows, yet none usable: the schema changed
            raise ProviderUnavailable(Reason.ERROR, "respuesta_inesperada")
        return tuple(stations.values())


@frozen
class Dataset:
    """One SODA dataset: documented sensors (preferred first), unit, SoQL history aggregates."""

    id: str
    sensors: tuple[str, ...]
    unit: str
    aggregates: tuple[str, ...]  # () = raw rows, combined here


@frozen
class Obs:
    """One row (raw, or a server aggregate) in canonical units; `at` is aware."""

    station: str
    sensor: str
    at: datetime
    stats: Mapping[str, float]  # avg, min, max, sum, vector (raw rows only), n (row count)


Series = dict[str, list[Obs]]  # station code -> the rows of its one sensor


def _canonical(value: float | None, declared: Any, ds: Dataset) -> float | None:
    unit = declared.strip() if isinstance(declared, str) and declared.strip() else ds.unit
    target = units.canonical_unit(ds.unit)
    if value is None or not units.is_known_unit(unit) or units.canonical_unit(unit) != target:
        return None
    return units.convert(value, unit, target)


def parse_raw(row: Mapping[str, Any], ds: Dataset) -> Obs | None:
    """An observation row; None when its station, time, number or unit is unusable."""
    code, at = station_code(row.get("codigoestacion")), parse_floating(row.get("fechaobservacion"))
    value = _canonical(parse_number(row.get("valorobservado")), row.get("unidadmedida"), ds)
    if code is None or at is None or value is None:
        return None
    stats = dict.fromkeys(("avg", "min", "max", "sum", "vector"), value) | {"n": 1.0}
    return Obs(code, str(row.get("codigosensor") or ""), at, stats)


def parse_aggregate(row: Mapping[str, Any], ds: Dataset) -> Obs | None:
    """A server-aggregated row (`periodo`, media/minimo/maximo/suma, n)."""
    code, at = station_code(row.get("codigoestacion")), parse_floating(row.get("periodo"))
    stats = {
        fn: value
        for fn in ds.aggregates
        if (value := _canonical(parse_number(row.get(ALIASES[fn])), row.get("unidadmedida"), ds))
        is not None
    }
    if code is None or at is None or not stats:
        return None
    count = parse_number(row.get("n"))
    stats["n"] = count if count is not None and count >= 1 else 1.0
    return Obs(code, str(row.get("codigosensor") or ""), at, stats)


def series(rows: Iterable[Obs], ds: Dataset) -> Series:
    """Rows by station without re-published duplicates, from one sensor per station."""
    seen: set[tuple[str, str, datetime]] = set()
    by_sensor: dict[str, dict[str, list[Obs]]] = defaultdict(lambda: defaultdict(list))
    for obs in rows:
        if (key := (obs.station, obs.sensor, obs.at)) not in seen:
            seen.add(key)
            by_sensor[obs.station][obs.sensor].append(obs)

    def rank(sensor: str) -> tuple[int, str]:
        known = sensor in ds.sensors
        return (ds.sensors.index(sensor) if known else len(ds.sensors), sensor)

    return {code: sensors[min(sensors, key=rank)] for code, sensors in by_sensor.items()}


def bucketed(
    rows: Iterable[Obs], bucket: Callable[[datetime], datetime], circular: bool
) -> dict[datetime, dict[str, float]]:
    """Rows grouped by `bucket(at)`: sums added, means weighted by n, extremes kept; for a
    direction the mean of unit vectors (absent when they cancel out)."""
    groups: dict[datetime, list[Obs]] = defaultdict(list)
    for obs in rows:
        groups[bucket(obs.at)].append(obs)
    return {key: _combine(group, circular) for key, group in groups.items()}


def _combine(group: list[Obs], circular: bool) -> dict[str, float]:
    if len(group) == 1 and not circular:
        return dict(group[0].stats)
    n = math.fsum(o.stats["n"] for o in group)
    if circular:
        angle = circular_mean(o.stats["vector"] for o in group if "vector" in o.stats)
        return {"n": n} if angle is None else {"n": n, "vector": angle}
    out = {"n": n}
    if all("sum" in o.stats for o in group):
        out["sum"] = math.fsum(o.stats["sum"] for o in group)
    if all("avg" in o.stats for o in group):
        out["avg"] = math.fsum(o.stats["avg"] * o.stats["n"] for o in group) / n
    for key, pick in (("min", min), ("max", max)):
        if all(key in o.stats for o in group):
            out[key] = pick(o.stats[key] for o in group)
    return out
