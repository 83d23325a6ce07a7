"""Retention: how long queries, the audit log and sessions are kept, and what a purge removed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Self

from attrs import astuple, frozen

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


class _RowCounts:
    """Counts of rows by table, added up field by field over a purge's steps."""

    __slots__ = ()

    def __add__(self, other: Self) -> Self:
        return type(self)(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    @property
    def rows(self) -> int:
        return sum(astuple(self))


@frozen
class PurgedQueries(_RowCounts):
    """Rows of one purge step: queries, their summaries (datos_clima) and series points."""

    queries: int = 0
    summaries: int = 0
    series_points: int = 0


# Sessions are not kept for a number of days: a token row goes once no check could accept its
# token any more. A day past that, so that clock skew between hosts and the JWT leeway never
# matter (the leeway is seconds).
SESSION_MARGIN = timedelta(days=1)


@frozen
class SessionCutoffs:
    """Which session rows no request can need any more.

    - A revoked access token or a refresh token that expired before `expired_before`: the
      signature check refuses the token itself before any lookup (refresh-token reuse
      detection included, so a replayed expired token needs no stored row).
    - A refresh token issued before `issued_before` too: the access token issued with it (a
      pair shares its instant) expired before `expired_before` as well.
    - A family created before `issued_before` with none of its refresh tokens left: every
      access token naming it has expired, so no authentication reads it.
    """

    expired_before: datetime
    issued_before: datetime

    @classmethod
    def at(cls, now: datetime, access_ttl_s: int) -> SessionCutoffs:
        expired = now - SESSION_MARGIN
        return cls(expired, expired - timedelta(seconds=max(access_ttl_s, 0)))


@frozen
class PurgedSessions(_RowCounts):
    """Rows of one session purge step: revoked access tokens, refresh tokens, families."""

    revoked_access: int = 0
    refresh_tokens: int = 0
    families: int = 0
