"""Protocols the domain needs from the outside world; domain types only."""
