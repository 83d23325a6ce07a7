"""Every threshold of the farm indices in one frozen value, defaults from AGRO.md."""

from __future__ import annotations

import math
from collections.abc import Sequence

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
    settings: AgroSettings, base: object, cap: object, variables: Sequence[str] = ()
) -> tuple[AgroSettings, dict[str, float]]:
    """The settings with a request's grados_dia_base/tope, and the limits to keep with the
    query's parameters: the ones given, or those used when grados_dia is asked (so that an
    export can say which)."""
    chosen = {
        "grados_dia_base": _celsius(base, "grados_dia_base"),
        "grados_dia_tope": _celsius(cap, "grados_dia_tope"),
    }
    given = {k: v for k, v in chosen.items() if v is not None}
    if not given:
        return settings, _used(settings) if "grados_dia" in variables else {}
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
    chosen_settings = attrs.evolve(settings, degree_days=limits)
    return chosen_settings, _used(chosen_settings) if "grados_dia" in variables else given


def _used(settings: AgroSettings) -> dict[str, float]:
    limits = settings.degree_days
    return {"grados_dia_base": limits.base, "grados_dia_tope": limits.cap}
