"""Cattle heat stress: NRC (1971) temperature-humidity index, LWSI bands, Mader's adjustment."""

from __future__ import annotations

from attrs import field, frozen

from domain.model import units
from domain.model.agro import _inputs
from domain.model.agro.graded import Graded


class HeatStressCategory(Graded):
    """Livestock Weather Safety Index band (Armstrong 1994), mildest first (level 0 normal up
    to 3 emergency); values: wire codes."""

    NORMAL = "normal"
    ALERT = "alerta"
    DANGER = "peligro"
    EMERGENCY = "emergencia"


@frozen
class HeatStressThresholds:
    """Lower ITH bound of each band (LWSI defaults; dairy herds set lower ones) and night relief."""

    alert: float = field(default=75.0, converter=float)
    danger: float = field(default=79.0, converter=float)
    emergency: float = field(default=84.0, converter=float)
    relief_below: float = field(default=75.0, converter=float)

    def __attrs_post_init__(self) -> None:
        _inputs.finite("umbral_ith_alerta", self.alert)
        _inputs.finite("umbral_ith_peligro", self.danger)
        _inputs.finite("umbral_ith_emergencia", self.emergency)
        _inputs.finite("umbral_ith_alivio_nocturno", self.relief_below)
        _inputs.rising(
            "umbrales_ith",
            "los umbrales de ITH deben crecer: alerta < peligro < emergencia",
            *(self.alert, self.danger, self.emergency),
        )


DEFAULT_THRESHOLDS = HeatStressThresholds()


def thi(temperature: float | None, humidity: float | None) -> float | None:
    """ITH = (1.8T + 32) - (0.55 - 0.0055 HR)(1.8T - 26), NRC (1971); None if input missing."""
    if temperature is None or humidity is None:
        return None
    t = _inputs.temperature("temperatura", temperature)
    rh = _inputs.humidity(humidity)
    return (1.8 * t + 32.0) - (0.55 - 0.0055 * rh) * (1.8 * t - 26.0)


def thi_category(
    value: float | None, thresholds: HeatStressThresholds = DEFAULT_THRESHOLDS
) -> HeatStressCategory | None:
    """LWSI band of an ITH: normal < 75 <= alerta < 79 <= peligro < 84 <= emergencia (defaults)."""
    if value is None:
        return None
    v = _inputs.finite("ith", value)
    if v >= thresholds.emergency:
        return HeatStressCategory.EMERGENCY
    if v >= thresholds.danger:
        return HeatStressCategory.DANGER
    if v >= thresholds.alert:
        return HeatStressCategory.ALERT
    return HeatStressCategory.NORMAL


def is_night_relief(value: float, thresholds: HeatStressThresholds = DEFAULT_THRESHOLDS) -> bool:
    """Whether an hour's ITH lets cattle recover (below 75; Harrington & Bowles)."""
    return _inputs.finite("ith", value) < thresholds.relief_below


def adjusted_thi(
    temperature: float | None,
    humidity: float | None,
    wind_kmh: float | None,
    solar_radiation: float | None,
) -> float | None:
    """ITH + 4.51 - 1.992 v[m/s] + 0.0068 R[W/m²] (Mader et al. 2006); None if any is missing."""
    base = thi(temperature, humidity)
    if base is None or wind_kmh is None or solar_radiation is None:
        return None
    v = units.kmh_to_ms(_inputs.non_negative("velocidad_viento", wind_kmh))
    r = _inputs.non_negative("radiacion_solar", solar_radiation)
    return 4.51 + base - 1.992 * v + 0.0068 * r
