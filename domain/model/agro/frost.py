"""Frost risk on clear, calm high-plains nights: ClimaGuru's documented heuristic (AGRO.md)."""

from __future__ import annotations

from attrs import field, frozen

from domain.model.agro import _inputs
from domain.model.agro.graded import Graded


class FrostRisk(Graded):
    """Frost risk level, lowest first (level 0 none up to 3 high); values are the wire codes.

    A heuristic, not a warning."""

    NONE = "ninguno"
    LOW = "bajo"
    MODERATE = "moderado"
    HIGH = "alto"


_ORDER = tuple(FrostRisk)


@frozen
class FrostThresholds:
    """Minimum-temperature bounds (inclusive, °C) and the dry, calm dawn that raises a level."""

    high_at_or_below: float = field(default=0.0, converter=float)
    moderate_at_or_below: float = field(default=2.0, converter=float)
    low_at_or_below: float = field(default=4.0, converter=float)
    dry_dew_point_at_or_below: float = field(default=0.0, converter=float)
    calm_wind_below_kmh: float = field(default=5.0, converter=float)

    def __attrs_post_init__(self) -> None:
        _inputs.temperature("umbral_helada_alto", self.high_at_or_below)
        _inputs.temperature("umbral_helada_moderado", self.moderate_at_or_below)
        _inputs.temperature("umbral_helada_bajo", self.low_at_or_below)
        _inputs.temperature("umbral_helada_punto_de_rocio", self.dry_dew_point_at_or_below)
        _inputs.non_negative("umbral_helada_viento", self.calm_wind_below_kmh)
        _inputs.rising(
            "umbrales_helada",
            "los umbrales de helada deben crecer: alto < moderado < bajo",
            *(self.high_at_or_below, self.moderate_at_or_below, self.low_at_or_below),
        )


DEFAULT_THRESHOLDS = FrostThresholds()


def frost_risk(
    t_min: float | None,
    dawn_dew_point: float | None = None,
    dawn_wind_kmh: float | None = None,
    thresholds: FrostThresholds = DEFAULT_THRESHOLDS,
) -> FrostRisk | None:
    """The level from the day's minimum at 2 m, one up on a dry, calm dawn (AGRO.md heuristic).

    None without a minimum. Without the dawn dew point or wind the raise cannot be judged and
    the level from the minimum alone is returned (the rule's lower bound, nothing guessed).
    """
    if t_min is None:
        return None
    low = _inputs.temperature("temperatura_min", t_min)
    if low <= thresholds.high_at_or_below:
        risk = FrostRisk.HIGH
    elif low <= thresholds.moderate_at_or_below:
        risk = FrostRisk.MODERATE
    elif low <= thresholds.low_at_or_below:
        risk = FrostRisk.LOW
    else:
        risk = FrostRisk.NONE
    if dawn_dew_point is None or dawn_wind_kmh is None:
        return risk
    dry = (
        _inputs.temperature("punto_de_rocio", dawn_dew_point)
        <= thresholds.dry_dew_point_at_or_below
    )
    calm = _inputs.non_negative("velocidad_viento", dawn_wind_kmh) < thresholds.calm_wind_below_kmh
    if dry and calm:
        return _ORDER[min(risk.level + 1, len(_ORDER) - 1)]
    return risk
