"""Exporters: write one completed query as a downloadable document, chunk by chunk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Protocol

from attrs import field, frozen

from domain.model.agro.alerts import Alert
from domain.model.queries import ExportFormat, QueryType, SeriesPoint, WeatherQuery
from domain.model.results import QueryResult, SeriesValues

SEPARATORS = (",", ";")
DECIMALS = 4  # numbers in text formats (CSV, TXT) carry at most this many decimals


@frozen
class ExportOptions:
    """How the caller wants the file: CSV separator (';' also means decimal commas) and detail."""

    separator: str = ","
    by_provider: bool = False  # ?detalle=fuentes: one column per provider and variable


@frozen
class ExportDocument:
    """Everything an exporter writes: the header facts, then the data.

    `result` is the stored datos_clima (the consensus of a current query, the summary of a
    historical one). `series` yields the stored timesteps of a historical series in time order:
    SeriesPoints (the whole consensus) for exporters with full_series, else SeriesValues (the
    values, and each provider's readings on request). It is read lazily and exactly once, so an
    exporter must write each row as it comes and never hold the whole series.
    """

    query: WeatherQuery
    variables: tuple[str, ...]
    units: Mapping[str, str]
    timezone: str
    sources_used: tuple[str, ...]
    sources_rejected: Mapping[str, str]
    providers: tuple[str, ...]
    generated_at: datetime
    # provider → observado (a station) | modelo (a forecast model) | reanalisis (ERA5)
    source_kinds: Mapping[str, str] = field(factory=dict)
    data_instant: datetime | None = None  # current query: the newest provider reading
    result: QueryResult = QueryResult(())
    series: Iterable[SeriesPoint | SeriesValues] = ()
    options: ExportOptions = ExportOptions()
    decimals: int = DECIMALS
    # Per farm variable exported, how it was made (metodos in the header); {} for the others.
    methods: Mapping[str, str] = field(factory=dict)
    # Alert periods of a forecast (alertas in the header); () when there are none.
    alerts: tuple[Alert, ...] = ()

    @property
    def is_history(self) -> bool:
        """A series query (history or forecast): header, summary, then one row per step."""
        return self.query.query_type.has_series

    @property
    def is_forecast(self) -> bool:
        return self.query.query_type is QueryType.FORECAST


class Exporter(Protocol):
    """One output format: its media type and extension, and the writer of its chunks."""

    format: ExportFormat
    media_type: str  # without parameters; the body is always UTF-8
    extension: str
    # True when the series rows must carry the whole consensus ("datos"); False when the
    # values alone ("valores", plus "lecturas" for per-provider detail) are enough.
    full_series: bool

    def export(self, document: ExportDocument) -> Iterator[str]:
        """The document as text chunks, header first; the series is consumed as it is written."""
        ...
