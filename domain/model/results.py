"""What a query leaves behind: each provider's report, the stored result, the series rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from attrs import field, frozen

from domain.model.agro.alerts import Alert
from domain.model.consensus import ConsensusValue, Reason
from domain.model.forecast import ForecastFacts
from domain.model.queries import ProviderOutcome, SummaryValue

# variable → source → {kind, station provenance...}
Origins = Mapping[str, Mapping[str, Mapping[str, Any]]]


@frozen
class ProviderReport:
    """What respuesta_api keeps of one provider: how it did, never its key.

    An error keeps its reason and code (and latency and cache when known); an answer keeps
    its kind, how many readings it gave and its meta; a current query also keeps the last
    reading (instant, values, provenance and why values are missing). `extra` holds keys a
    stored report carries that this version does not know, so they survive a round trip.
    """

    ok: bool
    reason: str | None = None
    code: str | None = None
    latency_ms: float | None = None
    cache: str | None = None
    kind: str | None = None
    reading_count: int | None = None
    meta: Mapping[str, Any] = field(factory=dict)
    instant: datetime | None = None
    values: Mapping[str, float | None] | None = None
    provenance: Mapping[str, Mapping[str, object]] | None = None
    missing: Mapping[str, str] | None = None
    extra: Mapping[str, Any] = field(factory=dict)
    skipped: bool = False  # never asked: it cannot serve this kind of query (estado omitido)


def skipped_report(code: str) -> ProviderReport:
    """A provider left out before any call because it cannot serve the query at all."""
    return ProviderReport(ok=False, reason=str(Reason.ERROR), code=code, skipped=True)


def report_of(outcome: ProviderOutcome, with_reading: bool = False) -> ProviderReport:
    """The report of one provider's outcome; `with_reading` keeps its last reading too."""
    if not outcome.ok:
        return ProviderReport(
            ok=False,
            reason=str(outcome.reason),
            code=outcome.code,
            latency_ms=outcome.meta.get("latency_ms"),
            cache=outcome.meta.get("cache"),
        )
    reading = outcome.readings[-1] if with_reading and outcome.readings else None
    return ProviderReport(
        ok=True,
        kind=outcome.kind,
        reading_count=len(outcome.readings),
        meta=dict(outcome.meta),
        instant=reading.instant if reading else None,
        values=dict(reading.values) if reading else None,
        provenance={k: dict(v) for k, v in reading.provenance.items()}
        if reading and reading.provenance
        else None,
        missing=dict(reading.missing_reasons) if reading and reading.missing_reasons else None,
    )


@frozen
class QueryResult:
    """datos_clima of a completed query: the sources used and the consensus (a current query)
    with its origins, or the summary (a historical one; a forecast also keeps its facts)."""

    sources_used: tuple[str, ...]
    consensus: Mapping[str, ConsensusValue] | None = None
    origins: Origins = field(factory=dict)
    summary: Mapping[str, SummaryValue] | None = None
    forecast: ForecastFacts | None = None  # a forecast's issue time and horizons
    alerts: tuple[Alert, ...] = ()  # a forecast's alert periods (issue 14)


@frozen
class SeriesValues:
    """One stored timestep, values only: consensus value per variable and, when asked, each
    provider's reading per variable (the fast path of CSV and TXT exports)."""

    instant: datetime
    values: Mapping[str, float | None]
    readings: Mapping[str, Mapping[str, float | None]] | None = None
