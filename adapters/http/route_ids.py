"""The `{name:id}` route converter: a positive 32-bit id, else the route does not match (404)."""

from __future__ import annotations

from falcon.routing import BaseConverter

MAX_ID = 2_147_483_647  # the schema's INT primary keys


class IdConverter(BaseConverter):
    """Digits only, 1..2^31-1; anything else (huge, signed, zero) is simply not found."""

    def convert(self, value: str) -> int | None:
        if not value.isascii() or not value.isdigit() or len(value) > 10:
            return None
        number = int(value)
        return number if 1 <= number <= MAX_ID else None
