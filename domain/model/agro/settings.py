"""Every threshold of the farm indices in one frozen value, defaults from AGRO.md."""

from __future__ import annotations

import math

import attrs
from attrs import field, frozen

from domain.errors import ValidationError
from domain.model.agro.degree_days import DegreeDayLimits
from domain.model.agro.frost import FrostRisk, FrostThresholds
from domain.model.agro.heat_stress import HeatStressCategory, HeatStressThresholds


@frozen
class AgroSettings:
    """Heat-stress bands, degree-day limits and frost thresholds; each overridable (dairy herds)."""

    heat_stress: HeatStressThresholds = field(factory=HeatStressThresholds)
    degree_days: DegreeDayLimits = field(factory=DegreeDayLimits)
    frost: FrostThresholds = field(factory=FrostThresholds)
    # The least severe level that raises an alert (ALERT_ITH_LEVEL, ALERT_FROST_LEVEL).
    alert_heat_level: HeatStressCategory = field(
        default=HeatStressCategory.DANGER, converter=HeatStressCategory
    )
    alert_frost_level: FrostRisk = field(default=FrostRisk.MODERATE, converter=FrostRisk)


DEFAULT_SETTINGS = AgroSettings()


def _celsius(raw: object, name: str) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise ValidationError(f"{name} debe ser un número (°C)", details={name: "no_numerico"})
    return float(raw)


def degree_day_limits(
    settings: AgroSettings, base: object, cap: object
) -> tuple[AgroSettings, dict[str, float]]:
    """The settings with a request's grados_dia_base/tope, and those as stored parameters."""
    chosen = {
        "grados_dia_base": _celsius(base, "grados_dia_base"),
        "grados_dia_tope": _celsius(cap, "grados_dia_tope"),
    }
    given = {k: v for k, v in chosen.items() if v is not None}
    if not given:
        return settings, {}
    try:
        limits = DegreeDayLimits(
            given.get("grados_dia_base", settings.degree_days.base),
            given.get("grados_dia_tope", settings.degree_days.cap),
        )
    except ValidationError:
        raise ValidationError(
            "grados_dia_base debe ser menor que grados_dia_tope y ambos entre -90 y 60 °C",
            details={"grados_dia_base": "fuera_de_rango"},
        ) from None
    return attrs.evolve(settings, degree_days=limits), given
