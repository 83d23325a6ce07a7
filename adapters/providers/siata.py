"""SIATA adapter: latest observations of the Valle de Aburrá stations (siata.gov.co JSON feeds).

SIATA publishes no API documentation and no verbatim JSON sample exists (PROVIDERS.md §6, §8):
the fields below are the ones community clients read, so every field is optional here.
- Coverage: the box lat 5.95..6.55, lon -75.75..-75.25 around the Valle de Aburrá (Caldas to
  Barbosa; it holds all 30 SIATA air-quality stations of the sample list). Outside it:
  FUERA_DE_COBERTURA "fuera_del_valle_de_aburra" without any network call.
- Stations: `/data/siata_app/PluviometricaMeteo.json` ({"red", "estaciones": [{codigo, nombre,
  latitud, longitud, ...}]}), cached a day; those within `radius_km` (haversine), nearest first.
- Values: `/data/siata_app/{codigo}.json` of the nearest MAX_STATIONS stations, nearest first,
  until every asked variable has a fresh value; each variable from the nearest station that has
  it. `date` is a Unix epoch (string or number, milliseconds when > 1e11), i.e. UTC; a row older
  than `max_age_hours` gives None with missing_reasons "desactualizado".
- Fields: t °C -> temperatura; h -> humedad_relativa and ws -> velocidad_viento, in % and m/s
  (undocumented: the units of their CSV siblings haire10_ssr and vviento_ssr); wd ° ->
  direccion_viento; p1h mm (last hour) -> precipitacion. `p` is not used: it is station pressure,
  its unit is undocumented (the CSV's p_ssr reads 635-645, i.e. mmHg, not hPa) and no station
  elevation is published to reduce it to sea level.
- -999 / -9999 (any value <= -999) mean missing: None, never 0. A measured 0 stays 0.
- History: no JSON feed is documented (only manual CSV downloads): no_soportado, no network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from adapters.providers import toolkit
from adapters.providers.adapter import Ask, ProviderAdapter
from adapters.providers.http_client import ProviderHttp
from domain.model import units
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import (
    Capabilities,
    DataKind,
    ProviderAnswer,
    Reading,
)
from ports.providers import ProviderUnavailable

FEED_PATH = "/data/siata_app"
STATIONS_PATH = f"{FEED_PATH}/PluviometricaMeteo.json"
STATIONS_TTL, CURRENT_TTL = 86_400, 600
MAX_STATIONS = 3
COVERAGE = toolkit.Box(lat_min=5.95, lat_max=6.55, lon_min=-75.75, lon_max=-75.25)
MISSING_AT_OR_BELOW = -999.0
# catalogue name -> (field, unit of the field)
FIELDS: Mapping[str, tuple[str, str]] = {
    "temperatura": ("t", "°C"),
    "humedad_relativa": ("h", "%"),
    "velocidad_viento": ("ws", "m/s"),
    "direccion_viento": ("wd", "°"),
    "precipitacion": ("p1h", "mm"),
}
_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")  # it becomes part of a URL path


def in_coverage(latitude: float, longitude: float) -> bool:
    """True inside the Valle de Aburrá box SIATA's stations cover."""
    return COVERAGE.contains(latitude, longitude)


class SiataProvider(ProviderAdapter):
    """SIATA (Medellín and the Valle de Aburrá): station observations, current only, no key.
    No history feed is documented: `history` is ERROR no_soportado (ProviderAdapter's)."""

    name = "siata"
    capabilities = Capabilities(True, False, False, frozenset(FIELDS), needs_key=False)

    def __init__(
        self,
        http: ProviderHttp,
        *,
        radius_km: float = 10.0,
        max_age_hours: float = 3.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._http = http
        self._clock = clock
        self.radius_km = radius_km
        self.freshness = toolkit.Freshness.of_hours(max_age_hours)

    def _current(self, ask: Ask) -> ProviderAnswer:
        """Each variable's latest value at the nearest station reporting it."""
        names, location = toolkit.wanted(FIELDS, ask.variables), ask.location
        if not in_coverage(location.latitude, location.longitude):
            raise ProviderUnavailable(Reason.FUERA_DE_COBERTURA, "fuera_del_valle_de_aburra")
        network = self._http.get_json(STATIONS_PATH, {}, ttl=STATIONS_TTL, error_check=_network)
        nearby = _nearby(network, location, self.radius_km)
        if not nearby:
            raise ProviderUnavailable(Reason.FUERA_DE_COBERTURA, "sin_estaciones_cercanas")
        now = self._clock()
        values: dict[str, float | None] = dict.fromkeys(names)
        provenance: dict[str, Mapping[str, object]] = {}
        reasons: dict[str, str] = {}
        fresh: list[datetime] = []
        failures: list[ProviderUnavailable] = []
        for station, distance in nearby[:MAX_STATIONS]:
            if all(values[v] is not None for v in names):
                break
            path = f"{FEED_PATH}/{station['codigo']}.json"
            try:
                body = self._http.get_json(path, {}, ttl=CURRENT_TTL, error_check=_latest)
            except ProviderUnavailable as exc:
                failures.append(exc)
                continue
            observed = _instant(body.get("date"))
            if observed is None or not self.freshness.usable(observed, now):
                continue
            is_fresh = self.freshness.fresh(observed, now)
            origin = _provenance(station, distance, observed)
            for variable in (v for v in names if values[v] is None):
                value = _value(body, *FIELDS[variable])
                if value is None or (variable in provenance and not is_fresh):
                    continue
                provenance[variable] = origin
                if is_fresh:
                    values[variable] = value
                    reasons.pop(variable, None)
                    fresh.append(observed)
                else:
                    reasons[variable] = toolkit.STALE
        if not provenance:
            if failures and len(failures) == min(len(nearby), MAX_STATIONS):
                raise failures[0]
            raise ProviderUnavailable(Reason.ERROR, "sin_datos")
        stale = [datetime.fromisoformat(str(p["observado_en"])) for p in provenance.values()]
        reading = Reading(max(fresh or stale), values, provenance, reasons)
        return ProviderAnswer(
            self.name, DataKind.OBSERVED, (reading,), self._meta(network, provenance)
        )

    def _meta(self, network: Any, provenance: Mapping[str, Mapping[str, object]]) -> dict[str, Any]:
        stations: dict[object, dict[str, object]] = {}
        for variable, origin in provenance.items():
            entry = stations.setdefault(
                origin["estacion"],
                {k: origin[k] for k in ("estacion", "nombre", "distancia_km")} | {"variables": []},
            )
            entry["variables"].append(variable)  # type: ignore[attr-defined]
        return {
            "endpoint": FEED_PATH,
            "red": network.get("red") if isinstance(network, dict) else None,
            "estaciones": list(stations.values()),
            "unidades": {field: unit for field, unit in FIELDS.values()},
            "supuestos": "h en %, ws en m/s (no documentados); date: epoch Unix (UTC)",
            "radio_km": self.radius_km,
            "edad_maxima_h": self.freshness.max_age_hours,
            "cobertura": attrs.asdict(COVERAGE),
        }


def _network(body: Any) -> str | None:
    """The station list: {"estaciones": [...]} (or a bare list); empty means no data."""
    stations = body.get("estaciones") if isinstance(body, dict) else body
    if not isinstance(stations, list):
        return "respuesta_inesperada"
    return None if stations else "sin_datos"


def _latest(body: Any) -> str | None:
    return None if isinstance(body, dict) else "respuesta_inesperada"


def _nearby(
    network: Any, location: Location, radius_km: float
) -> list[tuple[dict[str, Any], float]]:
    """Usable stations within the radius, nearest first (code, then position required)."""
    stations = network.get("estaciones") if isinstance(network, dict) else network
    found = []
    for raw in stations:
        if not isinstance(raw, dict):
            continue
        code = str(raw.get("codigo", "")).strip()
        lat, lon = _number(raw.get("latitud")), _number(raw.get("longitud"))
        if not _CODE.fullmatch(code) or lat is None or lon is None:
            continue
        distance = toolkit.haversine_km(location.latitude, location.longitude, lat, lon)
        if distance <= radius_km:
            found.append(({**raw, "codigo": code}, distance))
    return sorted(found, key=lambda item: (item[1], item[0]["codigo"]))


def _number(raw: Any) -> float | None:
    """A number (JSON number or plain numeric string); the -999 / -9999 sentinels are None."""
    value = toolkit.number(raw, text=True)
    return value if value is not None and value > MISSING_AT_OR_BELOW else None


def _value(body: Mapping[str, Any], field: str, unit: str) -> float | None:
    value = _number(body.get(field))
    return None if value is None else units.convert(value, unit, units.canonical_unit(unit))


def _instant(raw: Any) -> datetime | None:
    """`date`: Unix seconds (or milliseconds) as a string or number -> aware UTC datetime."""
    seconds = _number(raw)
    if seconds is None or seconds <= 0:
        return None
    seconds = seconds / 1000 if seconds > 1e11 else seconds
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _provenance(
    station: Mapping[str, Any], distance: float, observed: datetime
) -> dict[str, object]:
    name = station.get("nombre")
    name = name.strip() if isinstance(name, str) else None
    # SIATA publishes no station elevation
    return toolkit.station_provenance(station["codigo"], name, distance, None, observed)
