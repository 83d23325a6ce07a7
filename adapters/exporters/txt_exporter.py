"""TXT: a report in Spanish for people; every value with its unit, "sin dato" when missing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from adapters.exporters import common
from domain.model.queries import ExportFormat
from ports.exporters import ExportDocument

RULE = "=" * 72
THIN = "-" * 72
FLUSH_ROWS = 256  # series rows per chunk
LABEL = 22  # width of the label column


class TxtExporter(common.Exporter, format=ExportFormat.TXT, media_type="text/plain"):
    """TxtExporter: header, then the consensus per variable or the series as a table."""

    def export(self, document: ExportDocument) -> Iterator[str]:
        decimals = document.decimals
        with_unit = _unit_writer(decimals)
        lines = _header(document, decimals)
        if not document.is_history:
            lines += _current(document, with_unit)
            yield "\n".join(lines) + "\n"
            return
        lines += _summary(document, with_unit)
        columns = common.series_columns(document)
        widths = [max(len(_title(c)), 14) for c in columns]
        lines += ["", f"SERIE (hora local, {document.timezone})", THIN]
        lines.append(
            f"{'instante':<26}"
            + "".join(f"  {_title(c):>{w}}" for c, w in zip(columns, widths, strict=True))
        )
        yield "\n".join(lines) + "\n"
        pending: list[str] = []
        total = 0
        for instant, values in common.series_rows(document, columns):
            cells = (
                f"  {with_unit(v, c.unit):>{w}}"
                for v, c, w in zip(values, columns, widths, strict=True)
            )
            pending.append(f"{instant:<26}" + "".join(cells) + "\n")
            total += 1
            if len(pending) >= FLUSH_ROWS:
                yield "".join(pending)
                pending.clear()
        yield "".join(pending) + f"{THIN}\nTotal: {total} instantes\n"


WithUnit = Callable[[Any, str], str]


def _unit_writer(decimals: int) -> WithUnit:
    """value, unit -> "14.2 °C"; "sin dato" when missing (one number memo per export)."""
    number = common.number_formatter(decimals)

    def with_unit(value: Any, unit: str) -> str:
        text = number(value)
        if not text:
            return common.MISSING
        return f"{text} {unit}" if unit else text

    return with_unit


def _title(column: common.Column) -> str:
    return f"{column.variable} [{column.provider}]" if column.provider else column.variable


def _row(label: str, value: object) -> str:
    return f"  {label:<{LABEL}}{value}"


def _header(document: ExportDocument, decimals: int) -> list[str]:
    h = common.header(document, decimals)
    tipo = (
        "pronóstico"
        if document.is_forecast
        else "histórica"
        if document.is_history
        else "tiempo real"
    )
    lines = [RULE, "CLIMAGURU - REPORTE DE CONSULTA METEOROLÓGICA", RULE, ""]
    lines.append(_row("Consulta", f"#{h['consulta_id']} ({tipo})"))
    lines.append(_row("Ciudad", h["ciudad"] or "sin nombre"))
    lat, lon = (common.number_text(h[k], 8) for k in ("latitud", "longitud"))
    lines.append(_row("Coordenadas", f"latitud {lat}°, longitud {lon}°"))
    if document.is_history:
        period = f"{h['fecha_inicio']} a {h['fecha_fin']} (granularidad {h['granularidad']})"
        lines.append(_row("Período", period))
    else:
        lines.append(_row("Instante de los datos", h["instante_datos"] or common.MISSING))
    if document.is_forecast:
        lines.append(_row("Pronóstico", f"sí, {h['dias']} días, emitido {h['emitido_en']}"))
        lines.append(_row("Horizonte efectivo", h["horizonte_efectivo"] or common.MISSING))
        lines += [_row(f"Horizonte {name}", limit) for name, limit in h["horizontes"].items()]
    lines.append(_row("Zona horaria", h["zona_horaria"]))
    lines.append(_row("Creada", h["creada_en"]))
    lines.append(_row("Completada", h["completada_en"] or common.MISSING))
    lines.append(_row("Generado", h["generado_en"]))
    lines.append(_row("Precisión", f"hasta {decimals} decimales"))
    lines += ["", "UNIDADES", THIN]
    lines += [_row(name, unit or "(sin unidad)") for name, unit in h["unidades"].items()]
    lines += ["", "FUENTES", THIN]
    used = [f"{n} ({h['tipos_de_fuente'].get(n, 'sin tipo')})" for n in h["fuentes_utilizadas"]]
    lines.append(_row("Utilizadas", ", ".join(used) or "ninguna"))
    rejected = [f"{name}: {why}" for name, why in h["fuentes_rechazadas"].items()]
    lines.append(_row("Rechazadas", "; ".join(rejected) or "ninguna"))
    if h.get("metodos"):
        lines += ["", "MÉTODOS", THIN]
        lines += [_row(name, how) for name, how in h["metodos"].items()]
    if h.get("alertas"):
        lines += ["", "ALERTAS", THIN]
        lines += [_row(a["tipo"], common.alert_line(a)) for a in h["alertas"]]
    return lines


def _current(document: ExportDocument, with_unit: WithUnit) -> list[str]:
    lines = ["", "CONSENSO POR VARIABLE", THIN]
    for name, value in common.consensus_rows(document):
        unit = value.get("unidad") or document.units.get(name, "")
        shown = with_unit(value.get("valor"), unit)
        if value.get("descripcion"):
            shown += f" ({value['descripcion']})"
        lines += [name, _row("valor", shown)]
        lines.append(_row("mínimo", with_unit(value.get("min"), unit)))
        lines.append(_row("máximo", with_unit(value.get("max"), unit)))
        lines.append(_row("desviación", with_unit(value.get("desviacion"), unit)))
        sources = common.sources_with_kinds(value, document.source_kinds)
        count = value.get("n_fuentes") or 0
        lines.append(_row("fuentes", f"{count} ({sources})" if sources else str(count)))
        dropped = [f"{d.get('fuente')}: {d.get('motivo')}" for d in value.get("descartadas") or ()]
        if dropped:
            lines.append(_row("descartadas", "; ".join(dropped)))
        lines.append("")
    return lines


def _summary(document: ExportDocument, with_unit: WithUnit) -> list[str]:
    summary: Mapping[str, Any] = common.summary_doc(document) or {}
    lines = ["", "RESUMEN DEL PERÍODO", THIN]
    for name in document.variables:
        item = summary.get(name) or {}
        unit = item.get("unidad") or document.units.get(name, "")
        stats = ", ".join(
            f"{label} {with_unit(item.get(key), unit)}"
            for label, key in (("promedio", "promedio"), ("mínimo", "min"), ("máximo", "max"))
        )
        lines.append(_row(name, f"{stats} ({item.get('n_instantes') or 0} instantes con dato)"))
    return lines
