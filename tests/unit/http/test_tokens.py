"""Token verification: every forged, expired, mistyped or replayed token is refused."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from tests.unit.http.helpers import PASSWORD, bearer, register

SECRET = "x" * 48  # the testing JWT_SECRET_KEY from conftest


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def _b64(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _assert_401(client, token: str) -> None:
    result = client.simulate_get("/api/auth/me", headers=bearer(token))
    assert result.status_code == 401, result.json
    assert result.json["error"] == "no_autenticado"
    assert result.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.fixture
def session(client):
    return register(client, "tokenes")


def test_valid_token_is_accepted(client, session):
    assert (
        client.simulate_get("/api/auth/me", headers=bearer(session["access_token"])).status_code
        == 200
    )


def test_alg_none_is_refused(client, session):
    claims = _claims(session["access_token"])
    forged = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    _assert_401(client, forged)


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_other_algorithm_is_refused(client, session):
    # Same secret, another HMAC algorithm: only HS256 is accepted.
    _assert_401(client, jwt.encode(_claims(session["access_token"]), SECRET, algorithm="HS512"))


def test_edited_payload_is_refused(client, session):
    header, _payload, signature = session["access_token"].split(".")
    claims = _claims(session["access_token"]) | {"sub": "999"}
    _assert_401(client, f"{header}.{_b64(claims)}.{signature}")


def test_wrong_secret_is_refused(client, session):
    _assert_401(client, jwt.encode(_claims(session["access_token"]), "y" * 48, algorithm="HS256"))


def test_expired_token_is_refused(client, session):
    claims = _claims(session["access_token"]) | {"exp": int(time.time()) - 60}
    _assert_401(client, jwt.encode(claims, SECRET, algorithm="HS256"))


@pytest.mark.parametrize("claim", ["exp", "sub", "jti", "iat", "iss", "aud", "typ"])
def test_token_missing_a_required_claim_is_refused(client, session, claim):
    claims = _claims(session["access_token"])
    del claims[claim]
    _assert_401(client, jwt.encode(claims, SECRET, algorithm="HS256"))


def test_wrong_audience_or_issuer_is_refused(client, session):
    for change in ({"aud": "otra-api"}, {"iss": "otro"}):
        claims = _claims(session["access_token"]) | change
        _assert_401(client, jwt.encode(claims, SECRET, algorithm="HS256"))


def test_refresh_token_is_not_an_access_token(client, session):
    _assert_401(client, session["refresh_token"])


def test_access_token_is_not_a_refresh_token(client, session):
    result = client.simulate_post(
        "/api/auth/refresh", json={"refresh_token": session["access_token"]}
    )
    assert result.status_code == 401


def test_missing_or_malformed_authorization_header(client):
    assert client.simulate_get("/api/auth/me").status_code == 401
    for header in ("Basic abc", "Bearer", "Bearer    ", "tokensolo"):
        result = client.simulate_get("/api/auth/me", headers={"Authorization": header})
        assert result.status_code == 401
        assert result.headers["WWW-Authenticate"].startswith("Bearer")


def test_refresh_rotates_and_the_old_token_dies(client, session, clock):
    first = client.simulate_post(
        "/api/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    assert first.status_code == 200
    clock.advance(30)  # past the grace window
    replay = client.simulate_post(
        "/api/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    assert replay.status_code == 401


def test_replay_after_grace_revokes_the_whole_family(client, session, clock, container):
    rotated = client.simulate_post(
        "/api/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    clock.advance(11)
    replay = client.simulate_post(
        "/api/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    assert replay.status_code == 401
    # The legitimate successor is dead too, and so is the access token of the family.
    successor = client.simulate_post(
        "/api/auth/refresh", json={"refresh_token": rotated.json["refresh_token"]}
    )
    assert successor.status_code == 401
    _assert_401(client, rotated.json["access_token"])
    with container.uow() as uow:
        assert "refresh_reutilizado" in [e.action for e in uow._store.activity]


def test_retry_within_grace_window_gets_a_new_pair(client, session, clock):
    first = client.simulate_post(
        "/api/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    clock.advance(5)
    retry = client.simulate_post(
        "/api/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    assert first.status_code == retry.status_code == 200
    me = client.simulate_get("/api/auth/me", headers=bearer(retry.json["access_token"]))
    assert me.status_code == 200


def test_expired_refresh_token_is_refused(client, session):
    claims = _claims(session["refresh_token"]) | {"exp": int(time.time()) - 60}
    result = client.simulate_post(
        "/api/auth/refresh", json={"refresh_token": jwt.encode(claims, SECRET, algorithm="HS256")}
    )
    assert result.status_code == 401


def test_login_throttle_per_account_spares_an_address_that_never_failed(client, clock):
    """Ten failures from ten addresses lock those addresses out, not the owner at home."""
    register(client, "insistente")
    for i in range(10):
        login = "insistente" if i % 2 else "insistente@ejemplo.co"  # username or e-mail alike
        bad = client.simulate_post(
            "/api/auth/login",
            json={"username": login, "password": "Incorrecta-123"},
            remote_addr=f"198.51.100.{i + 1}",
        )
        assert bad.status_code == 401
    blocked = client.simulate_post(
        "/api/auth/login",
        json={"email": "insistente@ejemplo.co", "password": PASSWORD},
        remote_addr="198.51.100.1",
    )
    assert blocked.status_code == 429
    assert blocked.json["error"] == "demasiados_intentos"
    retry_after = int(blocked.headers["Retry-After"])
    assert 0 < retry_after <= 900
    ok = client.simulate_post(
        "/api/auth/login",
        json={"username": "insistente", "password": PASSWORD},
        remote_addr="203.0.113.77",
    )
    assert ok.status_code == 200


def test_one_address_locks_across_accounts_only_at_the_spraying_threshold(client):
    """Behind one NAT, ten failures on other accounts do not lock anyone; 100 do."""
    register(client, "victima")
    for i in range(99):
        client.simulate_post("/api/auth/login", json={"username": f"nadie{i}", "password": "x" * 9})
    mine = {"username": "victima", "password": PASSWORD}
    assert client.simulate_post("/api/auth/login", json=mine).status_code == 200
    client.simulate_post("/api/auth/login", json={"username": "nadie", "password": "x" * 9})
    assert client.simulate_post("/api/auth/login", json=mine).status_code == 429
    other = client.simulate_post("/api/auth/login", json=mine, remote_addr="10.9.8.7")
    assert other.status_code == 200


def test_registration_is_throttled_per_address_before_the_hash(client, clock):
    """REGISTER_MAX_PER_ADDRESS (10 an hour) sign-ups from one address, then 429 + Retry-After."""

    def sign_up(name: str, addr: str = "203.0.113.9"):
        body = {"username": name, "email": f"{name}@ejemplo.co", "password": PASSWORD}
        return client.simulate_post("/api/auth/register", json=body, remote_addr=addr)

    assert [sign_up(f"alta{i}").status_code for i in range(10)] == [201] * 10
    refused = sign_up("alta10")
    assert refused.status_code == 429
    assert refused.json["error"] == "demasiados_intentos"
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert sign_up("alta11", "203.0.113.10").status_code == 201
    clock.advance(int(refused.headers["Retry-After"]))
    assert sign_up("alta12").status_code == 201


def test_unknown_user_costs_about_as_much_as_a_wrong_password(tmp_path):
    """bcrypt runs for unknown users too, so timing does not reveal which accounts exist."""
    import statistics as stats

    from adapters.security.bcrypt_hasher import BcryptPasswordHasher

    hasher = BcryptPasswordHasher(rounds=9)
    stored = hasher.hash("Una-clave-larga-1")

    def timed(call) -> float:
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        return stats.median(samples)

    wrong = timed(lambda: hasher.verify("Otra-clave-larga-2", stored))
    unknown = timed(lambda: hasher.burn("Otra-clave-larga-2"))
    assert 0.5 < unknown / wrong < 2.0


def test_a_verified_token_is_still_refused_once_it_expires(monkeypatch):
    # The service remembers tokens it verified (same text, same type): that memory must never
    # outlive `exp` (with the leeway), nor turn an access token into a refresh token.
    from adapters.security.jwt_tokens import JwtTokenService
    from domain.errors import AuthenticationFailed
    from domain.model.tokens import TokenClaims, TokenType

    service = JwtTokenService(SECRET, "climaguru", "climaguru-api", leeway=10)
    now = float(int(time.time()))
    claims = TokenClaims(7, "j" * 32, "f" * 32, TokenType.ACCESS, now, now + 60)
    token = service.encode(claims)
    assert service.decode(token, TokenType.ACCESS) == claims
    assert service.decode(token, TokenType.ACCESS) == claims  # remembered
    with pytest.raises(AuthenticationFailed, match="tipo de token"):
        service.decode(token, TokenType.REFRESH)
    monkeypatch.setattr(time, "time", lambda: now + 69)  # inside the leeway: still valid
    assert service.decode(token, TokenType.ACCESS) == claims
    monkeypatch.setattr(time, "time", lambda: now + 71)
    with pytest.raises(AuthenticationFailed, match="expiró"):
        service.decode(token, TokenType.ACCESS)
