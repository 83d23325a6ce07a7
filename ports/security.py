"""Security ports: password hashing, token signing and encryption of stored secrets."""

from __future__ import annotations

from typing import Protocol

from domain.model.tokens import TokenClaims, TokenType


class PasswordHasher(Protocol):
    """One-way password hashing with a constant-cost check."""

    def hash(self, password: str) -> str: ...

    def verify(self, password: str, password_hash: str) -> bool: ...

    def burn(self, password: str) -> None:
        """Spend the time a verify costs, for unknown users, so timing tells nothing."""
        ...


class TokenService(Protocol):
    """Signs and verifies tokens; decode raises AuthenticationFailed on anything wrong."""

    def encode(self, claims: TokenClaims) -> str: ...

    def decode(self, token: str, expected: TokenType) -> TokenClaims: ...


class SecretBox(Protocol):
    """Symmetric encryption of secrets at rest (provider API keys)."""

    def encrypt(self, plaintext: str) -> str: ...

    def decrypt(self, ciphertext: str) -> str:
        """Raises ValueError when no configured key can decrypt it."""
        ...

    def rotate(self, ciphertext: str) -> str:
        """Re-encrypt under the newest key (decrypting with any configured key); ValueError
        when none can decrypt it."""
        ...
