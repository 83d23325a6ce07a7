"""Which error a query gets when no provider gave a reading: 422, 429 or 502-like.

A provider left out for a permanent reason (the place is outside its coverage, no or a rejected
key, a variable or date range it does not serve) will be left out again on a retry; one that
failed for a passing reason (an error, a timeout) may answer next time. Retrying is advised
only when it can help.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from domain.errors import DomainError, NoProviderCanAnswer, NoReadings, QuotaExceeded
from domain.model.api_keys import seconds_until_next_quota_day
from domain.model.consensus import Reason
from domain.model.results import ProviderReport

# Reasons that say the provider cannot serve this request as asked, whatever the moment.
PERMANENT_REASONS = frozenset({Reason.NO_KEY, Reason.OUT_OF_COVERAGE, Reason.INVALID_KEY})
# Codes of an `error` reason that say the same: no variable, feed or range it serves.
PERMANENT_CODES = frozenset({"no_soportado", "rango_no_soportado", "rango_invalido"})
# What a failed query stores when the providers failed for a passing reason.
NO_ANSWER = "sin_respuesta_de_proveedores"
NO_KEY_MESSAGE = (
    "ninguno de los proveedores pedidos tiene una clave activa; "
    "guarde una en /api/api-keys o pida otros proveedores"
)
NOT_APPLICABLE_MESSAGE = (
    "ninguno de los proveedores pedidos puede atender esta consulta (cobertura, clave, "
    "variables o rango de fechas, ver detalles); reintentar no cambiará la respuesta: "
    "cambie el lugar, los proveedores o el rango"
)


def permanent_cause(report: ProviderReport) -> str | None:
    """The wire code of why a provider can never answer this request, or None."""
    if report.ok:
        return None
    if report.reason in PERMANENT_REASONS:
        return str(report.reason)
    if report.reason == Reason.ERROR and report.code in PERMANENT_CODES:
        return report.code
    return None


def no_readings_error(
    reports: Mapping[str, ProviderReport], now: datetime, quota_timezone: str
) -> DomainError:
    """Every provider out for a permanent reason (or none asked) → 422, no retry; only spent
    quotas besides → 429 until local midnight; anything else → the providers failed, retry."""
    causes = {name: permanent_cause(report) for name, report in reports.items()}
    if all(causes.values()):
        details = {n: c for n, c in causes.items() if c} or {"proveedores": "no_soportado"}
        only_keys = set(details.values()) == {Reason.NO_KEY.value}
        message = NO_KEY_MESSAGE if only_keys else NOT_APPLICABLE_MESSAGE
        return NoProviderCanAnswer(message, details=details)
    spent = {n for n, r in reports.items() if r.reason == Reason.QUOTA_SPENT}
    if spent and all(causes[n] or n in spent for n in reports):
        return QuotaExceeded(
            "las claves de los proveedores pedidos agotaron su cuota diaria",
            retry_after=seconds_until_next_quota_day(now, quota_timezone),
            details={"proveedores": "cuota_agotada"},
        )
    return NoReadings("ningún proveedor respondió; reintente en un momento", retry_after=30)


def stored_code(error: DomainError) -> str:
    """The mensaje_error a failed query keeps: the code the client got, except that a
    passing failure keeps its more precise historical code."""
    return NO_ANSWER if isinstance(error, NoReadings) else error.code
