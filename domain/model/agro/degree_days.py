"""Growing degree days by the modified average method (McMaster & Wilhelm 1997)."""

from __future__ import annotations

from attrs import field, frozen

from domain.errors import ValidationError
from domain.model.agro import _inputs


@frozen
class DegreeDayLimits:
    """Base and upper threshold in °C (AGRO.md defaults 10 and 30); a setting, also per request."""

    base: float = field(default=10.0, converter=float)
    cap: float = field(default=30.0, converter=float)

    def __attrs_post_init__(self) -> None:
        _inputs.temperature("temperatura_base", self.base)
        _inputs.temperature("temperatura_tope", self.cap)
        if not self.base < self.cap:
            raise ValidationError(
                "temperatura_base debe ser menor que temperatura_tope",
                details={"temperatura_base": "mayor_o_igual_que_tope"},
            )


DEFAULT_LIMITS = DegreeDayLimits()


def growing_degree_days(
    t_max: float | None, t_min: float | None, limits: DegreeDayLimits = DEFAULT_LIMITS
) -> float | None:
    """GD in °C·day, modified average (McMaster & Wilhelm 1997); None if an input is missing."""
    if t_max is None or t_min is None:
        return None
    high, low = _inputs.extremes(t_max, t_min)
    # The method clamps both extremes to [Tbase, Tsup]; AGRO.md writes only the binding sides,
    # which differ only on a night warmer than Tsup (then GD would exceed Tsup - Tbase).
    capped_high = min(high, limits.cap)
    raised_low = min(max(low, limits.base), limits.cap)
    return max(0.0, (capped_high + raised_low) / 2.0 - limits.base)
