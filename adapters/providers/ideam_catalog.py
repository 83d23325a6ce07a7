"""IDEAM on datos.gov.co (Socrata SODA): paging and the station catalogue.

- Every SODA value is a string, parsed strictly (ideam_rows.py): coordinates or elevations
  that are not plain decimal literals make a station unusable or its elevation unknown.
- The catalogue (hp9r-jxuu) is fetched with ttl=86400 and kept parsed in memory with its fetch
  time; it is refreshed after a day, and a failed refresh keeps using the previous copy.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from attrs import frozen

from adapters.providers import toolkit
from adapters.providers.http_client import ProviderHttp
from adapters.providers.ideam_rows import station_code
from domain.model.consensus import Reason
from domain.model.location import Location
from ports.providers import ProviderUnavailable

log = logging.getLogger("climaguru.providers")

CATALOGUE_DATASET = "hp9r-jxuu"
CATALOGUE_TTL = 86_400
CATALOGUE_SELECT = "codigo,nombre,categoria,estado,departamento,municipio,ubicaci_n,altitud"
PAGE_SIZE = 20_000  # ~3 MB of rows per page, well under the client's size cap
MAX_PAGES = 25


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
    latitude, longitude = toolkit.number(lat, text=True), toolkit.number(lon, text=True)
    if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
        return None
    name = str(row.get("nombre") or code).strip()
    return Station(code, name, latitude, longitude, toolkit.number(row.get("altitud"), text=True))


class StationCatalogue:
    """The active stations, fetched at most once a day and shared by every call (thread-safe)."""

    def __init__(self, soda: Soda, clock: Callable[[], datetime]) -> None:
        self._soda, self._clock, self._lock = soda, clock, threading.Lock()
        self._stations: tuple[Station, ...] = ()
        self.fetched_at: datetime | None = None

    def nearby(self, location: Location, radius_km: float, limit: int) -> list[Nearby]:
        """The `limit` nearest active stations within `radius_km`, nearest first."""
        here = (location.latitude, location.longitude)
        found = [
            Nearby(s, toolkit.haversine_km(*here, s.latitude, s.longitude)) for s in self._current()
        ]
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
