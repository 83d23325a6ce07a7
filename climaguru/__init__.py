"""Composition root: settings, container, Falcon app, WSGI entry point and CLI."""
