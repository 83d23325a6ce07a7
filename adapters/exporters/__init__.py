"""Export adapters (json, csv, txt, yaml) and the registry the container picks them from."""

from __future__ import annotations

from adapters.exporters.csv_exporter import CsvExporter
from adapters.exporters.json_exporter import JsonExporter
from adapters.exporters.txt_exporter import TxtExporter
from adapters.exporters.yaml_exporter import YamlExporter
from domain.model.queries import ExportFormat
from ports.exporters import Exporter

__all__ = ["CsvExporter", "JsonExporter", "TxtExporter", "YamlExporter", "default_exporters"]


def default_exporters() -> dict[ExportFormat, Exporter]:
    """One exporter per ExportFormat, keyed by it."""
    exporters: list[Exporter] = [JsonExporter(), CsvExporter(), TxtExporter(), YamlExporter()]
    return {e.format: e for e in exporters}
