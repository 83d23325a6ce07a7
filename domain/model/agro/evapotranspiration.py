"""Reference evapotranspiration by Hargreaves-Samani (1985) with Ra from FAO-56 eq. 21."""

from __future__ import annotations

import math

from domain.errors import ValidationError
from domain.model.agro import _inputs

SOLAR_CONSTANT = 0.0820  # Gsc, MJ m-2 min-1 (FAO-56)
MJ_TO_MM = 0.408  # equivalent evaporation, mm per MJ m-2 (FAO-56 eq. 20)


def extraterrestrial_radiation(latitude: float, day_of_year: int) -> float:
    """Ra in MJ m-2 day-1, FAO-56 eq. 21 with dr (eq. 23), δ (eq. 24) and ωs (eq. 25)."""
    phi = math.radians(_inputs.checked("latitud", latitude, -90.0, 90.0))
    if (
        isinstance(day_of_year, bool)
        or not isinstance(day_of_year, int)
        or not 1 <= day_of_year <= 366
    ):
        raise ValidationError(
            "dia_del_anio debe ser un entero entre 1 y 366",
            details={"dia_del_anio": "fuera_de_rango"},
        )
    angle = 2.0 * math.pi * day_of_year / 365.0
    dr = 1.0 + 0.033 * math.cos(angle)
    delta = 0.409 * math.sin(angle - 1.39)
    # Beyond the polar circles the sun never sets (ωs = π) or never rises (ωs = 0): clamp.
    omega_s = math.acos(max(-1.0, min(1.0, -math.tan(phi) * math.tan(delta))))
    sine_term = omega_s * math.sin(phi) * math.sin(delta)
    cosine_term = math.cos(phi) * math.cos(delta) * math.sin(omega_s)
    bracket = sine_term + cosine_term
    return max(0.0, (24.0 * 60.0 / math.pi) * SOLAR_CONSTANT * dr * bracket)


def hargreaves_et0(
    t_max: float | None, t_min: float | None, latitude: float, day_of_year: int
) -> float | None:
    """ET0 in mm/day, Hargreaves-Samani (1985; FAO-56 eq. 52); None if an extreme is missing."""
    if t_max is None or t_min is None:
        return None
    high, low = _inputs.extremes(t_max, t_min)
    ra = extraterrestrial_radiation(latitude, day_of_year)
    mean = (high + low) / 2.0
    # Below a mean of -17.8 °C the formula turns negative; evapotranspiration cannot be.
    return max(0.0, 0.0023 * (mean + 17.8) * math.sqrt(high - low) * MJ_TO_MM * ra)
