"""Thin Falcon resources: parse, call a use case, render."""
