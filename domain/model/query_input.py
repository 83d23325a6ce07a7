"""Validation of what a client asks for in a query: variables, providers, format, dates, zone."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import ValidationError
from domain.model.queries import ExportFormat
from domain.model.readings import Granularity
from domain.model.variables import AGRO_VARIABLE_NAMES, ALL_VARIABLE_NAMES, DAILY_ONLY_NAMES


def names_of(raw: object, field: str) -> list[str] | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.split(",") if part.strip()]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw) or not raw:
        raise ValidationError(
            f"{field} debe ser una lista no vacía de nombres", details={field: "formato_invalido"}
        )
    return list(dict.fromkeys(raw))


def parse_variables(raw: object, accepted: Sequence[str] = ALL_VARIABLE_NAMES) -> tuple[str, ...]:
    """The requested subset of `accepted` (the catalogue; a forecast's variables) and of the
    farm variables, in that order (default: all of `accepted`; farm variables are computed
    only when named)."""
    accepted = (*accepted, *(n for n in AGRO_VARIABLE_NAMES if n not in accepted))
    names = names_of(raw, "parametros")
    if names is None:
        return tuple(n for n in accepted if n not in AGRO_VARIABLE_NAMES)
    unknown = sorted(set(names) - set(accepted))
    if unknown:
        raise ValidationError(
            f"parametros desconocidos: {', '.join(unknown)}",
            details={"parametros": f"validos: {', '.join(accepted)}"},
        )
    return tuple(n for n in accepted if n in names)


def refuse_daily_only(variables: Sequence[str]) -> None:
    """A single instant has no day's ET0, degree days or frost risk: 400, naming them."""
    daily = [n for n in variables if n in DAILY_ONLY_NAMES]
    if daily:
        raise ValidationError(
            f"{', '.join(daily)} son valores diarios: pídalos en una consulta histórica "
            "o de pronóstico",
            details={"parametros": "solo_diarios"},
        )


def parse_providers(raw: object, known: Sequence[str]) -> tuple[str, ...]:
    """The requested subset of the registered providers (default: all of them)."""
    names = names_of(raw, "proveedores")
    if names is None:
        return tuple(known)
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise ValidationError(
            f"proveedores desconocidos: {', '.join(unknown)}",
            details={"proveedores": f"validos: {', '.join(known)}"},
        )
    return tuple(n for n in known if n in names)


def parse_format(raw: object) -> ExportFormat:
    if raw is None:
        return ExportFormat.JSON
    try:
        return ExportFormat(raw)
    except ValueError:
        raise ValidationError(
            "formato debe ser json, csv, txt o yaml", details={"formato": "invalido"}
        ) from None


def parse_granularity(raw: object, default: Granularity = Granularity.DAILY) -> Granularity:
    if raw is None:
        return default
    try:
        return Granularity(raw)
    except ValueError:
        raise ValidationError(
            "granularidad debe ser diaria u horaria", details={"granularidad": "invalida"}
        ) from None


def parse_timezone(raw: object) -> str:
    if raw is None:
        return "America/Bogota"
    if not isinstance(raw, str) or not raw or len(raw) > 64 or ".." in raw:
        raise ValidationError("zona_horaria no es válida", details={"zona_horaria": "invalida"})
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"zona_horaria desconocida: {raw}", details={"zona_horaria": "desconocida"}
        ) from None
    return raw


# Only the calendar form AAAA-MM-DD, in ASCII digits: date.fromisoformat alone also takes
# 20240101 and week dates (2024-W01-1), which no client means and no provider speaks.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The oldest day the history providers serve (Open-Meteo's archive starts in 1940).
HISTORY_START = date(1940, 1, 1)


def parse_date(raw: object, field: str, earliest: date | None = None) -> date:
    """An AAAA-MM-DD calendar date, not before `earliest` when given."""
    if not isinstance(raw, str):
        raise ValidationError(
            f"{field} es obligatoria (AAAA-MM-DD)", details={field: "obligatoria"}
        )
    try:
        if not ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        value = date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            f"{field} no es una fecha ISO (AAAA-MM-DD)", details={field: "formato_invalido"}
        ) from None
    if earliest is not None and value < earliest:
        raise ValidationError(
            f"{field} no puede ser anterior a {earliest.isoformat()}: no hay datos más antiguos",
            details={field: "anterior_al_historico"},
        )
    return value


def check_range(
    start: date, end: date, today: date, granularity: Granularity, limits: dict
) -> None:
    """start ≤ end ≤ today, and no longer than the configured maximum for the granularity."""
    if start > end:
        raise ValidationError(
            "fecha_inicio no puede ser posterior a fecha_fin", details={"fecha_inicio": "posterior"}
        )
    if end > today:
        raise ValidationError("fecha_fin no puede ser futura", details={"fecha_fin": "futura"})
    days = (end - start).days + 1
    maximum = limits[granularity]
    if days > maximum:
        raise ValidationError(
            f"el rango pedido ({days} días) supera el máximo de {maximum} días para "
            f"granularidad {granularity.value}",
            details={"fecha_inicio": "rango_demasiado_largo"},
        )
