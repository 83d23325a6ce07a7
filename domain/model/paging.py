"""Pagination and small parsing helpers shared by list use cases."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta
from typing import Any

from attrs import frozen

from domain.errors import ValidationError
from domain.model.query_input import parse_date

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000
MAX_ID = 2_147_483_647  # ids are 32-bit in the schema


class _NotGiven:
    """Marks a PATCH field the client did not send (distinct from an explicit null)."""

    _instance: _NotGiven | None = None

    def __new__(cls) -> _NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN: Any = _NotGiven()


@frozen
class Page:
    """A page of items and the totals."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page) if self.total else 0

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def positive(raw: object, field: str, default: int, maximum: int | None = None) -> int:
    if raw is None:
        return default
    try:
        value = int(str(raw))
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        bound = f"entre 1 y {maximum}" if maximum else "un entero positivo"
        raise ValidationError(f"{field} debe ser {bound}", details={field: "invalido"})
    return value


def paging(page: object, per_page: object) -> tuple[int, int]:
    return positive(page, "page", 1, MAX_PAGE), positive(per_page, "per_page", 20, MAX_PER_PAGE)


def identifier(raw: object, field: str) -> int | None:
    """An optional id filter (?usuario=): a positive 32-bit integer."""
    return None if raw is None else positive(raw, field, 0, MAX_ID)


def day_bounds(since: object, until: object) -> tuple[datetime | None, datetime | None]:
    """?desde=&hasta= (ISO dates, inclusive) as UTC instants [desde 00:00, hasta+1 00:00)."""
    start = parse_date(since, "desde") if since is not None else None
    end = parse_date(until, "hasta") if until is not None else None
    if end is not None and end.year >= 9999:
        raise ValidationError(
            "hasta está fuera del calendario admitido", details={"hasta": "invalida"}
        )
    if start and end and start > end:
        raise ValidationError(
            "desde no puede ser posterior a hasta", details={"desde": "posterior"}
        )
    return (
        datetime.combine(start, time(0), UTC) if start else None,
        datetime.combine(end + timedelta(days=1), time(0), UTC) if end else None,
    )


def parse_bool(raw: object, field: str) -> bool | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "si", "sí"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise ValidationError(f"{field} debe ser true o false", details={field: "invalido"})
