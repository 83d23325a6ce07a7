"""The OpenAPI 3.1 document of the ClimaGuru API, derived from the route table."""

from adapters.http.openapi.build import build_document

__all__ = ["build_document"]
