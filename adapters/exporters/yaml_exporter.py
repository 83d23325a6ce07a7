"""YAML (safe dumper only): the JSON export's document, the series one sequence item at a time.

The pieces concatenate into one block mapping, so yaml.safe_load of the whole file gives the
same values as the JSON export.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from adapters.exporters import common
from adapters.exporters.common import clean
from adapters.exporters.json_exporter import head, points
from domain.model.queries import ExportFormat
from ports.exporters import ExportDocument

# libyaml's emitter when present (same safe representer, ~10x faster), else the pure one.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def safe_dump(value: Any) -> str:
    """yaml.safe_dump with block style, key order kept and UTF-8 text left readable."""
    return yaml.dump(
        clean(value),
        Dumper=_DUMPER,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1000,
    )


class YamlExporter(
    common.Exporter, format=ExportFormat.YAML, media_type="application/yaml", full_series=True
):
    """YamlExporter: header and result first, then `serie:` written item by item."""

    def export(self, document: ExportDocument) -> Iterator[str]:
        yield safe_dump(head(document))
        if not document.is_history:
            return
        total = 0
        for point in points(document):
            yield ("serie:\n" if total == 0 else "") + safe_dump([point])
            total += 1
        if total == 0:
            yield "serie: []\n"
        yield safe_dump({"serie_total": total, "serie_truncada": False})
