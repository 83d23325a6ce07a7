"""Falcon adapter: resources, middleware, error handling, body parsing and the converter."""
