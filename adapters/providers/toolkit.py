"""Pieces every provider adapter shares: zones, numbers, variables, staleness, time, geometry.

One policy each, so that the six adapters cannot drift apart again:
- an unknown time zone is ERROR "zona_horaria_desconocida";
- a number is a finite JSON number (or, where the upstream writes numbers as text, a plain
  decimal literal); bool, NaN, ±inf and anything else are missing (None), never 0;
- asked variables are kept in request order without repeats; none supported is ERROR
  "no_soportado" before any network call;
- an observation older than the maximum age is `desactualizado`; one stamped more than ten
  minutes in the future is refused;
- distances are great-circle (haversine) on the mean Earth radius.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from attrs import frozen

from adapters.providers.http_client import ProviderHttp
from adapters.providers.parsed_answers import Parse
from domain.errors import ValidationError
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.readings import Credentials
from ports.providers import ProviderUnavailable

UNKNOWN_ZONE = "zona_horaria_desconocida"
NOT_SUPPORTED = "no_soportado"
STALE = Reason.DESACTUALIZADO.value
FUTURE_TOLERANCE = timedelta(minutes=10)
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
_DECIMAL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def zone(name: Any, fallback: tzinfo | None = None) -> tzinfo:
    """The IANA zone `name`; unknown or malformed: `fallback`, else ERROR UNKNOWN_ZONE."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        if fallback is not None:
            return fallback
        raise ProviderUnavailable(Reason.ERROR, UNKNOWN_ZONE) from None


def number(raw: Any, *, text: bool = False) -> float | None:
    """A finite float from a JSON number or, with `text`, a plain decimal string ("12.5");
    bool, NaN, ±inf, "", "NaN", "1_000", "12,5" and anything else are None."""
    if raw.__class__ is float:  # the usual JSON number: float(raw) would be raw itself
        return raw if math.isfinite(raw) else None
    is_number = isinstance(raw, int | float) and not isinstance(raw, bool)
    if not is_number and not (text and isinstance(raw, str) and _DECIMAL.fullmatch(raw.strip())):
        return None
    try:
        value = float(raw.strip() if isinstance(raw, str) else raw)  # float() strips less
    except OverflowError:  # an integer beyond the float range
        return None
    return value if math.isfinite(value) else None


def wanted(
    supported: Collection[str], variables: Iterable[str], *, required: bool = True
) -> tuple[str, ...]:
    """The asked variables in `supported`, in request order, each once. When none is and
    `required`: ERROR "no_soportado" (raised before any network call, sparing the quota)."""
    found = tuple(name for name in dict.fromkeys(variables) if name in supported)
    if required and not found:
        raise ProviderUnavailable(Reason.ERROR, NOT_SUPPORTED)
    return found


def pick(values: Mapping[str, float | None], names: Iterable[str]) -> dict[str, float | None]:
    """The values of `names` that `values` has, in the order of `names`."""
    return {name: values[name] for name in names if name in values}


@frozen
class Freshness:
    """How old an observation may be and still count; older ones are `desactualizado`."""

    max_age: timedelta
    future_tolerance: timedelta = FUTURE_TOLERANCE

    @classmethod
    def of_hours(cls, hours: float) -> Freshness:
        return cls(timedelta(hours=hours))

    def usable(self, observed: datetime, now: datetime) -> bool:
        """False for a row stamped in the future (beyond the tolerance): a clock error."""
        return observed <= now + self.future_tolerance

    def fresh(self, observed: datetime, now: datetime) -> bool:
        return now - observed <= self.max_age

    @property
    def max_age_hours(self) -> float:
        return self.max_age.total_seconds() / 3600


def station_provenance(
    code: str, name: str | None, distance_km: float, elevation_m: float | None, at: datetime
) -> dict[str, object]:
    """Where an observed value comes from; the domain derives diferencia_elevacion_m."""
    return {
        "estacion": code,
        "nombre": name,
        "distancia_km": round(distance_km, 3),
        "altitud_estacion_m": elevation_m,
        "observado_en": at.isoformat(),
    }


def midnight(day: date, where: tzinfo) -> datetime:
    """Local midnight of `day`: the instant a daily value is labelled with."""
    return datetime.combine(day, time(0), where)


def utc_span(start: date, end: date, where: tzinfo) -> tuple[datetime, datetime]:
    """[first, after) in UTC covering the local dates start..end of `where`."""
    after = midnight(end + timedelta(1), where)
    return midnight(start, where).astimezone(UTC), after.astimezone(UTC)


def hours_in_day(day: date, where: tzinfo) -> int:
    """23, 24 or 25: the hours of a local day (DST changes included)."""
    first, after = utc_span(day, day, where)
    return (after - first) // timedelta(hours=1)


def day_count(start: date, end: date) -> int:
    """How many dates start..end holds (0 or less when end < start)."""
    return (end - start).days + 1


def require_key(credentials: Credentials | None) -> Credentials:
    """The credentials the query engine chose (the user's or the system's); without a key:
    SIN_CLAVE, before any network call."""
    if credentials is None or not credentials.api_key:
        raise ProviderUnavailable(Reason.SIN_CLAVE, "sin_clave")
    return credentials


def get_keyed_json(
    http: ProviderHttp,
    path: str,
    params: Mapping[str, Any],
    *,
    ttl: int,
    credentials: Credentials,
    check: Callable[[Any], str | None],
    key_codes: Collection[str],
    parse: Parse | None = None,
) -> Any:
    """get_json charged to the key; a key problem that `check` finds in a 200's body (one of
    `key_codes`) becomes CLAVE_INVALIDA with that code. With `parse`, what it builds."""
    try:
        extra: dict[str, Any] = {"fresh": True} if credentials.fresh else {}  # a key probe
        if parse is not None:
            extra["parse"] = parse
        return http.get_json(
            path, params, ttl=ttl, charge=credentials.charge, error_check=check, **extra
        )
    except ProviderUnavailable as exc:
        if exc.reason is Reason.ERROR and exc.code in key_codes:
            raise ProviderUnavailable(Reason.CLAVE_INVALIDA, exc.code) from None
        raise


def weather_code(raw: Any, to_wmo: Callable[[int], int]) -> float | None:
    """The WMO code of an upstream's integral condition code; unknown or not integral: None."""
    value = number(raw)
    if value is None or not value.is_integer():
        return None
    try:
        return float(to_wmo(int(value)))
    except ValidationError:
        return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the mean Earth radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2
    a += math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@frozen
class Box:
    """A latitude/longitude rectangle (a provider's coverage), edges included."""

    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float

    def contains(self, latitude: float, longitude: float) -> bool:
        return (
            self.lat_min <= latitude <= self.lat_max and self.lon_min <= longitude <= self.lon_max
        )


def rounded_point(location: Location, lat: str = "lat", lon: str = "lon") -> dict[str, float]:
    """The query point to 2 decimals (about 1 km): nearby users share cache entries."""
    return {lat: round(location.latitude, 2), lon: round(location.longitude, 2)}
