"""Refusing guessable secrets: values published in the original guide, and low-entropy text."""

from __future__ import annotations

import math
import zlib

# Defaults published by the original project's guide: anyone can sign tokens with them.
PUBLISHED_SECRET_VALUES = frozenset(
    {
        "jwt-secret-key",
        "otra-clave-super-secreta-para-jwt",
        "dev-secret-key-cambiar-en-produccion",
        "tu-clave-secreta-super-segura-cambia-en-produccion",
        "tu-clave-secreta-muy-larga-y-aleatoria",
    }
)
MIN_SECRET_BITS = 128


def estimated_bits(secret: bytes) -> float:
    """The lower of two simple estimates: symbol frequencies, and how well zlib compresses it."""
    if not secret:
        return 0.0
    size = len(secret)
    counts = [secret.count(symbol) for symbol in set(secret)]
    per_symbol = -math.fsum(c / size * math.log2(c / size) for c in counts)
    by_symbols = size * per_symbol + (len(counts) - 1) / (2 * math.log(2))  # Miller-Madow
    by_compression = 8 * (len(zlib.compress(secret, 9)) - 6)  # less zlib's header and checksum
    return min(by_symbols, by_compression)


def too_predictable(secret: bytes) -> bool:
    """True when the estimate falls below MIN_SECRET_BITS."""
    return estimated_bits(secret) < MIN_SECRET_BITS
