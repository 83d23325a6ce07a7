"""The farm indices' thresholds from the environment (AGRO.md defaults when unset)."""

from __future__ import annotations

from collections.abc import Mapping

from domain.errors import ValidationError
from domain.model.agro import (
    AgroSettings,
    DegreeDayLimits,
    FrostRisk,
    HeatStressCategory,
    HeatStressThresholds,
)


class AgroSettingsError(ValueError):
    """A farm setting is unreadable; the message names the variable."""


def _float(values: Mapping[str, str], name: str, default: float) -> float:
    raw = values.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise AgroSettingsError(f"{name} debe ser un número") from None


def _level(values: Mapping[str, str], name: str, kind: type, default: str, allowed: tuple):
    raw = values.get(name, "").strip().lower() or default
    if raw not in allowed:
        raise AgroSettingsError(f"{name} debe ser uno de {', '.join(allowed)}")
    return kind(raw)


def parse_agro_settings(values: Mapping[str, str]) -> AgroSettings:
    """ALERT_ITH_LEVEL (peligro), ALERT_FROST_LEVEL (moderado), ITH_ALERTA/PELIGRO/EMERGENCIA
    (75/79/84: dairy herds set lower ones), GRADOS_DIA_BASE/TOPE (10/30 °C)."""
    try:
        heat = HeatStressThresholds(
            alert=_float(values, "ITH_ALERTA", 75.0),
            danger=_float(values, "ITH_PELIGRO", 79.0),
            emergency=_float(values, "ITH_EMERGENCIA", 84.0),
        )
        limits = DegreeDayLimits(
            _float(values, "GRADOS_DIA_BASE", 10.0), _float(values, "GRADOS_DIA_TOPE", 30.0)
        )
    except ValidationError as exc:
        raise AgroSettingsError(str(exc)) from None
    return AgroSettings(
        heat_stress=heat,
        degree_days=limits,
        alert_heat_level=_level(
            values, "ALERT_ITH_LEVEL", HeatStressCategory, "peligro", ("peligro", "emergencia")
        ),
        alert_frost_level=_level(
            values, "ALERT_FROST_LEVEL", FrostRisk, "moderado", ("bajo", "moderado", "alto")
        ),
    )
