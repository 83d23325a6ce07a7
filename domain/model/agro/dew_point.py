"""Dew point from temperature and relative humidity (Magnus form, Alduchov & Eskridge 1996)."""

from __future__ import annotations

import math

from domain.errors import ValidationError
from domain.model.agro import _inputs

# Alduchov & Eskridge (1996), J. Appl. Meteor. 35:601-609, over water.
MAGNUS_A = 17.625
MAGNUS_B = 243.04  # °C


def dew_point(temperature: float | None, humidity: float | None) -> float | None:
    """Td in °C, Magnus with Alduchov & Eskridge's a, b; None when an input is missing."""
    if temperature is None or humidity is None:
        return None
    t = _inputs.temperature("temperatura", temperature)
    rh = _inputs.humidity(humidity)
    if rh == 0.0:
        raise ValidationError(
            "humedad_relativa debe ser mayor que 0 para calcular el punto de rocío",
            details={"humedad_relativa": "fuera_de_rango"},
        )
    gamma = math.log(rh / 100.0) + MAGNUS_A * t / (MAGNUS_B + t)
    # Exactly Td <= T (= at 100 %); min() removes the last-bit rounding noise at saturation.
    return min(MAGNUS_B * gamma / (MAGNUS_A - gamma), t)
