"""Time and identifiers are injected, so use cases are deterministic under test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]
"""Returns the current instant as an aware UTC datetime."""

IdGenerator = Callable[[], str]
"""Returns a fresh unique identifier (e.g. a UUID4 hex string)."""
