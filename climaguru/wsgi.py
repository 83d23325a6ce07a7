"""WSGI entry point for gunicorn: `gunicorn 'climaguru.wsgi:build_app()'`."""

from __future__ import annotations

import falcon

from climaguru.app import create_app
from climaguru.container import Container
from climaguru.logging_setup import configure_logging
from climaguru.settings import load_settings
from climaguru.sweeper import PeriodicSweep


def build_app() -> falcon.App:
    """Read settings, build the container and the app; nothing happens at import time."""
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    container = Container(settings=settings)
    # Queries left procesando by a worker that died become error `abandonada`: now, then
    # every minute in this worker (listings only read, and show stale rows so meanwhile).
    sweeper = PeriodicSweep(container.sweep_abandoned_queries())
    sweeper.run_once()
    sweeper.start()
    return create_app(container)
