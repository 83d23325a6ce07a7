"""The OpenAPI 3.1 document of the ClimaGuru API, built once per app from plain dicts."""

from adapters.http.openapi.build import build_document

__all__ = ["build_document"]
