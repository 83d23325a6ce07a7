"""TokenService on PyJWT: HS256 only, every claim required and checked."""

from __future__ import annotations

import time

import jwt

from domain.errors import AuthenticationFailed
from domain.model.tokens import TokenClaims, TokenType

REQUIRED = ["sub", "jti", "iat", "exp", "iss", "aud", "typ", "fam"]
# Tokens whose signature and claims this process has verified: a client sends the same access
# token on every request for its whole life, and PyJWT's checks (its base64 alphabet test runs
# a generator over each character) cost ~60 us a request. Only the token's own, immutable
# content is remembered, keyed by its exact text; expiry is checked again at every use, and
# revocation, account status and role are read from the database on every request as before.
VERIFIED_MAX = 2048


class JwtTokenService:
    """Signs with one secret; decode refuses other algorithms, wrong types and missing claims."""

    def __init__(self, secret: str, issuer: str, audience: str, leeway: int = 0) -> None:
        self._secret = secret
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway
        self._verified: dict[tuple[str, TokenType], TokenClaims] = {}

    def encode(self, claims: TokenClaims) -> str:
        payload = {
            "sub": str(claims.user_id),
            "jti": claims.token_id,
            "fam": claims.family_id,
            "typ": claims.token_type.value,
            "iat": claims.issued_at,
            "exp": int(claims.expires_at),
            "iss": self._issuer,
            "aud": self._audience,
        }
        return jwt.encode(payload, self._secret, algorithm="HS256")

    def decode(self, token: str, expected: TokenType) -> TokenClaims:
        claims = self._verified.get((token, expected))
        if claims is None:
            claims = self._verify(token, expected)
            if len(self._verified) >= VERIFIED_MAX:
                self._verified.clear()  # a whole generation at once: no bookkeeping per hit
            self._verified[token, expected] = claims
        elif claims.expires_at <= time.time() - self._leeway:  # PyJWT's own rule for `exp`
            raise AuthenticationFailed("el token expiró")
        return claims

    def _verify(self, token: str, expected: TokenType) -> TokenClaims:
        try:
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=["HS256"],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": REQUIRED},
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed("el token expiró") from None
        except jwt.PyJWTError:
            raise AuthenticationFailed("token inválido") from None
        if payload.get("typ") != expected.value:
            raise AuthenticationFailed("tipo de token incorrecto para esta operación")
        try:
            user_id = int(payload["sub"])
            if not isinstance(payload["sub"], str) or user_id <= 0:
                raise ValueError
            token_id, family_id = str(payload["jti"]), str(payload["fam"])
            issued_at, expires_at = float(payload["iat"]), float(payload["exp"])
        except (TypeError, ValueError):
            raise AuthenticationFailed("token inválido") from None
        return TokenClaims(
            user_id=user_id,
            token_id=token_id,
            family_id=family_id,
            token_type=expected,
            issued_at=issued_at,
            expires_at=expires_at,
        )
