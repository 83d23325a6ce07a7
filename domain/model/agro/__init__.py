"""Farm and herd indices (AGRO.md): dew point, cattle heat stress, ET0, degree days, frost risk."""

from domain.model.agro.degree_days import DegreeDayLimits, growing_degree_days
from domain.model.agro.dew_point import dew_point
from domain.model.agro.evapotranspiration import extraterrestrial_radiation, hargreaves_et0
from domain.model.agro.frost import FrostRisk, FrostThresholds, frost_risk
from domain.model.agro.heat_stress import (
    HeatStressCategory,
    HeatStressThresholds,
    adjusted_thi,
    is_night_relief,
    thi,
    thi_category,
)
from domain.model.agro.settings import AgroSettings

__all__ = [
    "AgroSettings",
    "DegreeDayLimits",
    "FrostRisk",
    "FrostThresholds",
    "HeatStressCategory",
    "HeatStressThresholds",
    "adjusted_thi",
    "dew_point",
    "extraterrestrial_radiation",
    "frost_risk",
    "growing_degree_days",
    "hargreaves_et0",
    "is_night_relief",
    "thi",
    "thi_category",
]
