"""Input checks shared by the farm indices: finite numbers inside a physical range."""

from __future__ import annotations

import itertools
import math

from domain.errors import ValidationError

# Air temperature at 2 m: the world records (-89.2 °C, 56.7 °C) with a margin, as the catalogue.
TEMPERATURE_RANGE = (-90.0, 60.0)
HUMIDITY_RANGE = (0.0, 100.0)


def checked(name: str, value: float, low: float, high: float) -> float:
    """The value as a float if finite and within [low, high]; ValidationError naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"{name} debe ser un número", details={name: "no_numerico"})
    if not low <= value <= high:
        raise ValidationError(
            f"{name} debe estar entre {low:g} y {high:g}", details={name: "fuera_de_rango"}
        )
    return float(value)


def temperature(name: str, value: float) -> float:
    """An air temperature in °C within the catalogue's valid range."""
    return checked(name, value, *TEMPERATURE_RANGE)


def humidity(value: float) -> float:
    """A relative humidity in % within [0, 100]."""
    return checked("humedad_relativa", value, *HUMIDITY_RANGE)


def non_negative(name: str, value: float) -> float:
    """A finite quantity that cannot be negative (wind speed, radiation)."""
    return checked(name, value, 0.0, math.inf)


def finite(name: str, value: float) -> float:
    """A finite setting (a threshold) of any sign."""
    return checked(name, value, -math.inf, math.inf)


def extremes(t_max: float, t_min: float) -> tuple[float, float]:
    """A day's (maximum, minimum) temperatures, each in range and the maximum not below."""
    high = temperature("temperatura_max", t_max)
    low = temperature("temperatura_min", t_min)
    if high < low:
        raise ValidationError(
            "temperatura_max no puede ser menor que temperatura_min",
            details={"temperatura_max": "menor_que_minima"},
        )
    return high, low


def rising(field: str, message: str, *bounds: float) -> None:
    """ValidationError `field: orden_invalido` unless the bounds strictly increase."""
    if any(low >= high for low, high in itertools.pairwise(bounds)):
        raise ValidationError(message, details={field: "orden_invalido"})
