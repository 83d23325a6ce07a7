"""Which error a query gets when no provider gave a reading: 400, 429 or 502-like."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from domain.errors import DomainError, NoReadings, QuotaExceeded, ValidationError
from domain.model.api_keys import seconds_until_next_quota_day
from domain.model.consensus import Reason


def no_readings_error(
    reasons: Collection[str | None], now: datetime, quota_timezone: str
) -> DomainError:
    """Nobody asked (no keys) → the client's 400; only spent quotas → 429 until local
    midnight; anything else → the providers failed, retry soon."""
    found = set(reasons)
    if found == {Reason.NO_KEY}:
        # Nobody was asked: retrying cannot help, so this is the client's 400, not a 502.
        return ValidationError(
            "ninguno de los proveedores pedidos tiene una clave activa; "
            "guarde una en /api/api-keys o pida otros proveedores",
            details={"proveedores": "sin_clave"},
        )
    if Reason.QUOTA_SPENT in found and found <= {Reason.QUOTA_SPENT, Reason.NO_KEY}:
        return QuotaExceeded(
            "las claves de los proveedores pedidos agotaron su cuota diaria",
            retry_after=seconds_until_next_quota_day(now, quota_timezone),
            details={"proveedores": "cuota_agotada"},
        )
    return NoReadings("ningún proveedor respondió; reintente en un momento", retry_after=30)
