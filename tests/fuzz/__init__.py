"""Property-based fuzzing of the HTTP API (schemathesis over the OpenAPI document)."""
