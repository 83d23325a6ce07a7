"""A base for the farm indices' ordered categories (frost risk, heat-stress band)."""

from __future__ import annotations

import enum


class Graded(enum.Enum):
    """Members declared mildest first; `level` is 0 for the first and grows with severity."""

    @property
    def level(self) -> int:
        """The member's position in declaration order: the order in which the risk grows."""
        return list(type(self)).index(self)
