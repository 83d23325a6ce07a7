"""One module per use case; each is a callable class taking a command."""
