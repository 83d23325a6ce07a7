"""Logging to stderr as one JSON object per line (or readable text in development).

Nothing logs bodies, headers or query strings; tracebacks are scrubbed of query strings and SQL
parameters (adapters.log_context.safe_traceback), so secrets never reach the log.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

from adapters.log_context import request_id, safe_traceback

# These log full request URLs (query strings carry provider keys) at DEBUG: never below WARNING.
URL_LOGGERS = ("urllib3", "requests", "requests_cache")
FORMATS = ("json", "text")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ts, level, logger, event, request_id, the record's `fields`.

    Encoded by orjson (C; every request writes one of these lines, and the stdlib encoder was
    a twentieth of a listing's CPU), non-ASCII kept as UTF-8 as before; what orjson does not
    take (an integer past 64 bits, a non-text key) goes through the stdlib encoder as before.
    """

    def format(self, record: logging.LogRecord) -> str:
        doc = _document(record)
        try:
            return orjson.dumps(doc, default=str).decode()
        except TypeError:
            return json.dumps(doc, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The same document as `ts LEVEL logger event key=value ...` for a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        doc = _document(record)
        head = f"{doc.pop('ts')} {doc.pop('level')} {doc.pop('logger')} {doc.pop('event')}"
        tb = doc.pop("traceback", None)
        line = " ".join([head, *(f"{k}={v}" for k, v in doc.items())])
        return f"{line}\n{tb}" if tb else line


def _document(record: logging.LogRecord) -> dict[str, Any]:
    ts = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
    doc: dict[str, Any] = {
        "ts": ts.replace("+00:00", "Z"),
        "level": record.levelname,
        "logger": record.name,
        "event": record.getMessage(),
    }
    current = request_id.get()
    if current is not None:
        doc["request_id"] = current
    doc.update(getattr(record, "fields", None) or {})
    if record.exc_info and record.exc_info[1] is not None:
        doc["traceback"] = safe_traceback(record.exc_info[1])
    return doc


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time of the record (test capture, journal)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Install (or replace) ClimaGuru's stderr handler on the root logger at `level`."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(TextFormatter() if fmt == "text" else JsonFormatter())
    root.addHandler(handler)
    root.setLevel(logging.getLevelNamesMapping().get(level.upper(), logging.INFO))
    for name in URL_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
