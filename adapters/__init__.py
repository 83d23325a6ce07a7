"""Technology adapters that implement the ports."""
