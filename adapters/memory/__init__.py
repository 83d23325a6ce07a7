"""In-memory repositories and unit of work: real adapters, held to the SQL contract tests."""
