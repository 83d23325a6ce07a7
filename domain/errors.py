"""The DomainError tree: every failure a use case can report, mapped to HTTP in one table."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base of every expected failure; carries a stable code and a Spanish message."""

    code = "error"

    def __init__(
        self, message: str, *, details: Mapping[str, str] | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = dict(details or {})
        if code is not None:
            self.code = code


class ValidationError(DomainError):
    """Input that breaks a rule of the domain (a bad field, an impossible range)."""

    code = "validacion"


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it exists."""

    code = "no_encontrado"


class Conflict(DomainError):
    """The change clashes with what is stored (a duplicate, a last admin)."""

    code = "conflicto"


class AuthenticationFailed(DomainError):
    """Credentials or token missing, wrong, expired or revoked."""

    code = "no_autenticado"


class PermissionDenied(DomainError):
    """The caller is known but its role does not allow the action."""

    code = "prohibido"


class TooManyAttempts(DomainError):
    """Too many failed logins; carries how long to wait."""

    code = "demasiados_intentos"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(TooManyAttempts):
    """Too many queries in the current minute; carries how long to wait."""

    code = "demasiadas_consultas"


class QuotaExceeded(DomainError):
    """Every provider that could answer is out of its daily quota; retry when quotas reset."""

    code = "cuota_agotada"

    def __init__(
        self, message: str, *, retry_after: int, details: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message, details=details)
        self.retry_after = retry_after


class NoProviderCanAnswer(DomainError):
    """Every asked provider was left out for a reason retrying cannot change (no coverage, no
    key, a variable or range it does not serve): the request must change, not be repeated."""

    code = "proveedores_no_aplicables"


class NoReadings(DomainError):
    """Every provider failed for a passing reason (errors, timeouts); retrying may help."""

    code = "sin_datos"

    def __init__(self, message: str, *, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after
