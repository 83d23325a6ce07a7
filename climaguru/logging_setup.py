"""Logging to stderr in one format; nothing logs bodies or headers, so secrets never reach it."""

from __future__ import annotations

import logging

# These log full request URLs (query strings carry provider keys) at DEBUG: never below WARNING.
URL_LOGGERS = ("urllib3", "requests", "requests_cache")


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    for name in URL_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
