"""WSGI entry point for gunicorn: `gunicorn 'climaguru.wsgi:build_app()'`."""

from __future__ import annotations

import logging

import falcon

from climaguru.app import create_app
from climaguru.container import Container
from climaguru.logging_setup import configure_logging
from climaguru.settings import load_settings


def build_app() -> falcon.App:
    """Read settings, build the container and the app; nothing happens at import time."""
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    container = Container(settings=settings)
    try:  # queries left procesando by a worker that died become error `abandonada`
        container.sweep_abandoned_queries()()
    except Exception:  # the database may not answer yet: the first listing sweeps instead
        logging.getLogger("climaguru").warning("no se pudieron revisar consultas abandonadas")
    return create_app(container)
