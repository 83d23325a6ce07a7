"""What every export format shares: the header facts, number formatting, series columns."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from adapters import wire
from domain.model.queries import ExportFormat
from domain.model.results import SeriesValues
from ports.exporters import ExportDocument

MISSING = "sin dato"
_EMPTY: Mapping[str, Any] = {}


class Column(NamedTuple):
    """One value column of a historical series: a variable, or one provider's reading of it."""

    variable: str
    unit: str
    provider: str | None = None

    @property
    def title(self) -> str:
        name = f"{self.variable} [{self.provider}]" if self.provider else self.variable
        return f"{name} ({self.unit})" if self.unit else name


def zone(document: ExportDocument) -> ZoneInfo:
    return ZoneInfo(document.timezone)


def local_iso(instant: datetime | None, tz: ZoneInfo) -> str | None:
    """ISO 8601 in the document's zone, with its offset."""
    return instant.astimezone(tz).isoformat() if instant is not None else None


def finite(value: Any) -> float | int | None:
    """A number fit to export: None, NaN, infinities, booleans and non-numbers are missing."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if isinstance(value, int) or math.isfinite(value) else None


def clean(value: Any) -> Any:
    """A copy of nested mappings and lists with every non-finite float turned into None."""
    if isinstance(value, float):
        return finite(value)
    if isinstance(value, Mapping):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def number_formatter(
    decimals: int, decimal_comma: bool = False, cache_size: int = 4096
) -> Callable[[Any], str]:
    """A fast number_text with fixed settings, for the hot loop of the text exports.

    Weather series repeat a small set of values (14.2 °C, 0 mm, 80 %...), so the texts are
    memoised; the memo is emptied when it reaches `cache_size`, which bounds its memory.
    """
    spec = f".{decimals}f"
    isfinite = math.isfinite
    memo: dict[float | int, str] = {}

    def fresh(value: float | int) -> str:
        if value.__class__ is int:
            text = str(value)
        elif not isfinite(value):
            return ""
        else:
            text = format(value, spec)
            if decimals:
                text = text.rstrip("0").rstrip(".")
            if text == "-0":
                text = "0"
        return text.replace(".", ",") if decimal_comma else text

    def text_of(value: Any) -> str:
        kind = value.__class__
        if kind is float or kind is int:  # never bool: True == 1 must not hit the memo
            text = memo.get(value)
            if text is None:
                if len(memo) >= cache_size:
                    memo.clear()
                text = memo[value] = fresh(value)
            return text
        number = finite(value)  # None, booleans, strings, int/float subclasses
        return "" if number is None else fresh(float(number))

    return text_of


def number_text(value: Any, decimals: int, decimal_comma: bool = False) -> str:
    """At most `decimals` decimals, no trailing zeros, 0 as "0"; missing as ""."""
    return number_formatter(decimals, decimal_comma)(value)


def header(document: ExportDocument, decimals: int | None) -> dict[str, Any]:
    """The header block in wire names and plain values (str, numbers, lists, mappings)."""
    query, tz = document.query, zone(document)
    params = query.parameters
    doc: dict[str, Any] = {
        "consulta_id": query.id,
        "tipo_consulta": query.query_type.value,
        "ciudad": query.location.city,
        "latitud": query.location.latitude,
        "longitud": query.location.longitude,
    }
    if document.is_history:
        doc["fecha_inicio"] = query.start_date.isoformat() if query.start_date else None
        doc["fecha_fin"] = query.end_date.isoformat() if query.end_date else None
        doc["granularidad"] = params.granularity.value if params.granularity else None
    else:
        doc["instante_datos"] = local_iso(document.data_instant, tz)
    doc["zona_horaria"] = document.timezone
    doc["creada_en"] = local_iso(query.created_at, tz)
    doc["completada_en"] = local_iso(query.completed_at, tz)
    doc["unidades"] = dict(document.units)
    doc["fuentes_utilizadas"] = list(document.sources_used)
    doc["tipos_de_fuente"] = dict(document.source_kinds)
    doc["fuentes_rechazadas"] = dict(document.sources_rejected)
    doc["generado_en"] = local_iso(document.generated_at, tz)
    doc["decimales"] = decimals
    if document.is_forecast:
        doc.update(forecast_header(document))
    if document.methods:
        doc["metodos"] = dict(document.methods)
    if document.alerts:
        doc["alertas"] = [wire.alert(a, tz) for a in document.alerts]
    return doc


def forecast_header(document: ExportDocument) -> dict[str, Any]:
    """A forecast says so, when ClimaGuru asked and how far each provider reaches (UTC)."""
    facts = document.result.forecast
    params = document.query.parameters
    doc: dict[str, Any] = {"pronostico": "si", "dias": params.extra.get("dias")}
    doc["emitido_en"] = wire.utc_iso(facts.issued) if facts else None
    effective = facts.effective_horizon if facts else None
    doc["horizonte_efectivo"] = local_iso(effective, zone(document))
    doc["horizontes"] = {
        name: wire.utc_iso(reach.limit) for name, reach in (facts.horizons if facts else {}).items()
    }
    return doc


def alert_line(alert: Mapping[str, Any]) -> str:
    """'peligro 2026-12-05T12:00:00-05:00..2026-12-05T16:00:00-05:00 pico 85' (CSV, TXT)."""
    peak = number_text(alert["pico"], 2)
    return f"{alert['nivel']} {alert['desde']}..{alert['hasta']} pico {peak}"


def series_columns(document: ExportDocument) -> list[Column]:
    """The consensus column of every variable, then (detalle=fuentes) provider by provider."""
    columns = [Column(v, document.units.get(v, "")) for v in document.variables]
    if document.options.by_provider:
        columns += [
            Column(v, document.units.get(v, ""), p)
            for p in document.providers
            for v in document.variables
        ]
    return columns


def series_rows(document: ExportDocument, columns: list[Column]) -> Iterator[tuple[str, list[Any]]]:
    """(local instant, values in column order) for each stored row, read as it comes."""
    tz = zone(document)
    consensus = [c.variable for c in columns if c.provider is None]
    readings = [(c.provider, c.variable) for c in columns if c.provider is not None]
    for row in document.series:
        if isinstance(row, SeriesValues):  # the fast path: values only
            plain = row.values
            values = [plain.get(name) for name in consensus]
            lecturas = row.readings or _EMPTY
        else:
            point = row.consensus
            values = [point[name].value if name in point else None for name in consensus]
            lecturas = row.by_provider
        if readings:
            values += [(lecturas.get(p) or _EMPTY).get(name) for p, name in readings]
        yield row.instant.astimezone(tz).isoformat(), values


def consensus_doc(document: ExportDocument) -> dict[str, Any] | None:
    """The stored consensus of a current query in the API's form (None: there is none)."""
    result = document.result
    if result.consensus is None:
        return None
    return wire.consensus_map(result.consensus, result.origins)


def summary_doc(document: ExportDocument) -> dict[str, Any] | None:
    """The stored summary of a historical query in the API's form (None: there is none)."""
    summary = document.result.summary
    return wire.summary(summary) if summary is not None else None


def consensus_rows(document: ExportDocument) -> Iterable[tuple[str, Mapping[str, Any]]]:
    """(variable, its consensus in wire form; {} when missing) for a current query."""
    consensus = consensus_doc(document) or {}
    for name in document.variables:
        yield name, consensus.get(name) or {}


def sources_with_kinds(value: Mapping[str, Any], kinds: Mapping[str, str]) -> str:
    """'ideam (observado, estación 0021205012), open_meteo (modelo)' for one consensus value."""
    origins = {o.get("fuente"): o for o in value.get("procedencia") or () if isinstance(o, Mapping)}
    parts = []
    for source in value.get("fuentes") or ():
        origin = origins.get(source, {})
        kind = origin.get("tipo") or kinds.get(source)
        station = origin.get("estacion")
        detail = ", ".join(x for x in (kind, station and f"estación {station}") if x)
        parts.append(f"{source} ({detail})" if detail else str(source))
    return ", ".join(parts)


class Exporter:
    """Base of the exporters: the class line states the format and media type; the extension
    is the format's code. `full_series`: the series rows carry the whole consensus."""

    format: ExportFormat
    media_type: str
    extension: str
    full_series: bool

    def __init_subclass__(
        cls, *, format: ExportFormat, media_type: str, full_series: bool = False, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        cls.format, cls.media_type, cls.extension = format, media_type, format.value
        cls.full_series = full_series
