"""One module per upstream weather provider, the shared HTTP client and the concurrent fan-out."""
