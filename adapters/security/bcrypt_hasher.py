"""PasswordHasher on bcrypt; passwords over 72 bytes are refused upstream, never truncated."""

from __future__ import annotations

import logging

import bcrypt

log = logging.getLogger("climaguru.security")


class BcryptPasswordHasher:
    """bcrypt with a configurable cost; `burn` spends a verify's time for unknown users."""

    def __init__(self, rounds: int = 12) -> None:
        self._rounds = rounds
        self._dummy = bcrypt.hashpw(b"climaguru-timing-equaliser", bcrypt.gensalt(rounds))

    def hash(self, password: str) -> str:
        return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(self._rounds)).decode("ascii")

    def verify(self, password: str, password_hash: str) -> bool:
        data = password.encode("utf-8")
        if len(data) > 72:
            self.burn(password[:8])
            return False
        try:
            return bcrypt.checkpw(data, password_hash.encode("ascii"))
        except (ValueError, TypeError):  # a corrupted stored hash: refuse, and say so
            log.error("hash de contraseña almacenado ilegible: acceso rechazado")
            return False

    def burn(self, password: str) -> None:
        bcrypt.checkpw(password.encode("utf-8")[:72], self._dummy)
