"""Pure domain: values, rules and use cases of ClimaGuru; no I/O."""
