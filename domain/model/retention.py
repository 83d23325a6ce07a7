"""Retention: how long queries and the audit log are kept, and what a purge removed."""

from __future__ import annotations

from datetime import datetime, timedelta

from attrs import frozen

from domain.errors import ValidationError


@frozen
class RetentionPolicy:
    """Queries older than `query_days` go; the audit log is kept at least as long."""

    query_days: int
    audit_days: int

    def __attrs_post_init__(self) -> None:
        if self.query_days < 1:
            raise ValidationError(
                "los días de retención deben ser al menos 1",
                details={"older_than": "minimo_1"},
            )
        if self.audit_days < self.query_days:
            raise ValidationError(
                "la auditoría se conserva al menos tanto como las consultas",
                details={"audit_older_than": "menor_que_consultas"},
            )

    def query_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.query_days)

    def audit_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.audit_days)


@frozen
class PurgedQueries:
    """Rows of one purge step: queries, their summaries (datos_clima) and series points."""

    queries: int = 0
    summaries: int = 0
    series_points: int = 0

    def __add__(self, other: PurgedQueries) -> PurgedQueries:
        return PurgedQueries(
            self.queries + other.queries,
            self.summaries + other.summaries,
            self.series_points + other.series_points,
        )

    @property
    def rows(self) -> int:
        return self.queries + self.summaries + self.series_points
