"""The place a weather query is about: a point on Earth with an optional city name."""

from __future__ import annotations

import math
from numbers import Real

from attrs import field, frozen

from domain.errors import ValidationError


def _coordinate(name: str, limit: float, value: object) -> float:
    """Return `value` as a float in [-limit, limit] or raise a Spanish ValidationError."""
    # A float (every stored row, most bodies) skips the Real ABC check, the slow part here.
    if type(value) is not float and (isinstance(value, bool) or not isinstance(value, Real)):
        raise ValidationError(f"{name} debe ser un número", details={name: "no es un número"})
    number = float(value)
    if not math.isfinite(number):
        raise ValidationError(f"{name} debe ser un número finito", details={name: "no es finito"})
    if not -limit <= number <= limit:
        message = f"{name} debe estar entre {-limit:g} y {limit:g}"
        raise ValidationError(message, details={name: message})
    return number


def _latitude(value: object) -> float:
    return _coordinate("latitud", 90.0, value)


def _longitude(value: object) -> float:
    return _coordinate("longitud", 180.0, value)


MAX_CITY_LENGTH = 100  # the `ciudad` columns


def _city(value: object) -> str | None:
    """Strip the name; a blank name means no name."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("ciudad debe ser texto", details={"ciudad": "no es texto"})
    name = value.strip()
    if len(name) > MAX_CITY_LENGTH:
        raise ValidationError(
            f"ciudad admite como máximo {MAX_CITY_LENGTH} caracteres",
            details={"ciudad": "demasiado largo"},
        )
    return name or None


@frozen
class Location:
    """A point (WGS84 degrees) and, when known, the city it was asked for.

    Integers are accepted and stored as floats; booleans, strings, NaN and infinities are not.
    """

    latitude: float = field(converter=_latitude)
    longitude: float = field(converter=_longitude)
    city: str | None = field(default=None, converter=_city)
    # Metres above sea level when known (from geocoding); used for station elevation differences.
    elevation: float | None = field(default=None, eq=False)
