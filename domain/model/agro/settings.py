"""Every threshold of the farm indices in one frozen value, defaults from AGRO.md."""

from __future__ import annotations

from attrs import field, frozen

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
