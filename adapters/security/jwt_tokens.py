"""TokenService on PyJWT: HS256 only, every claim required and checked."""

from __future__ import annotations

import jwt

from domain.errors import AuthenticationFailed
from domain.model.tokens import TokenClaims, TokenType

REQUIRED = ["sub", "jti", "iat", "exp", "iss", "aud", "typ", "fam"]


class JwtTokenService:
    """Signs with one secret; decode refuses other algorithms, wrong types and missing claims."""

    def __init__(self, secret: str, issuer: str, audience: str, leeway: int = 0) -> None:
        self._secret = secret
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway

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
