"""Every threshold of the farm indices in one frozen value, defaults from AGRO.md."""

from __future__ import annotations

from attrs import field, frozen

from domain.model.agro.degree_days import DegreeDayLimits
from domain.model.agro.frost import FrostThresholds
from domain.model.agro.heat_stress import HeatStressThresholds


@frozen
class AgroSettings:
    """Heat-stress bands, degree-day limits and frost thresholds; each overridable (dairy herds)."""

    heat_stress: HeatStressThresholds = field(factory=HeatStressThresholds)
    degree_days: DegreeDayLimits = field(factory=DegreeDayLimits)
    frost: FrostThresholds = field(factory=FrostThresholds)
