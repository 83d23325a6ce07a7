"""The shared provider HTTP client against a real loopback server: caching, caps and faults."""

from __future__ import annotations

import time

import pytest
from werkzeug import Response

from adapters.providers.http_client import ProviderHttp, make_session
from climaguru.logging_setup import JsonFormatter, configure_logging
from domain.model.consensus import Reason
from ports.providers import ProviderUnavailable


@pytest.fixture
def cached(tmp_path, httpserver):
    session = make_session({"backend": "sqlite", "cache_name": str(tmp_path / "cache.sqlite")})
    return ProviderHttp("prueba", httpserver.url_for(""), timeout=2.0, session=session)


@pytest.fixture
def plain(httpserver):
    return ProviderHttp("prueba", httpserver.url_for(""), timeout=1.0, max_bytes=10_000)


def _calls(httpserver, path: str = "/v1/x") -> int:
    """Requests that reached `path` (slow handlers of earlier tests may still log late)."""
    return sum(1 for request, _ in httpserver.log if request.path == path)


def _reason(call) -> tuple[Reason, str]:
    with pytest.raises(ProviderUnavailable) as info:
        call()
    return info.value.reason, info.value.code


def test_json_body_is_decoded(plain, httpserver):
    httpserver.expect_request("/v1/x", query_string={"a": "1"}).respond_with_json({"t": 21.5})
    assert plain.get_json("/v1/x", {"a": 1}) == {"t": 21.5}


@pytest.mark.parametrize(
    ("status", "reason", "code"),
    [
        (500, Reason.ERROR, "http_500"),
        (503, Reason.ERROR, "http_503"),
        (400, Reason.ERROR, "http_400"),
        (401, Reason.CLAVE_INVALIDA, "http_401"),
        (403, Reason.CLAVE_INVALIDA, "http_403"),
        (429, Reason.ERROR, "limite_del_proveedor"),
    ],
)
def test_error_statuses_become_reasons(plain, httpserver, status, reason, code):
    httpserver.expect_request("/v1/x").respond_with_json({"error": True}, status=status)
    assert _reason(lambda: plain.get_json("/v1/x", {})) == (reason, code)


def test_redirects_are_not_followed(plain, httpserver):
    httpserver.expect_request("/v1/x").respond_with_data(
        "", status=302, headers={"Location": "http://10.0.0.1/robar"}
    )
    assert _reason(lambda: plain.get_json("/v1/x", {})) == (Reason.ERROR, "redireccion_no_seguida")


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        ("<html>Bad gateway</html>", "text/html", "respuesta_no_json"),
        ("{'t': 1", "application/json", "json_invalido"),
        ('{"t": NaN}', "application/json", "json_invalido"),  # NaN is not JSON
    ],
    ids=["html_instead_of_json", "invalid_json", "nan_in_json_is_invalid"],
)
def test_a_body_that_is_not_strict_json_is_refused(plain, httpserver, body, content_type, code):
    httpserver.expect_request("/v1/x").respond_with_data(body, content_type=content_type)
    assert _reason(lambda: plain.get_json("/v1/x", {})) == (Reason.ERROR, code)


def test_oversized_body_is_refused(plain, httpserver):
    httpserver.expect_request("/v1/x").respond_with_json({"t": "x" * 20_000})
    assert _reason(lambda: plain.get_json("/v1/x", {})) == (
        Reason.ERROR,
        "respuesta_demasiado_grande",
    )


def test_server_that_never_answers_times_out(plain, httpserver):
    httpserver.expect_request("/v1/never").respond_with_handler(
        lambda req: (time.sleep(3), Response("{}"))[1]
    )
    started = time.monotonic()
    assert _reason(lambda: plain.get_json("/v1/never", {})) == (Reason.TIMEOUT, "timeout")
    assert time.monotonic() - started < 2.5


def test_slow_body_counts_against_the_budget(plain, httpserver):
    def trickle(_req):
        def body():
            for _ in range(30):
                yield b" "
                time.sleep(0.1)
            yield b"{}"

        return Response(body(), content_type="application/json")

    httpserver.expect_request("/v1/slow").respond_with_handler(trickle)
    started = time.monotonic()
    assert _reason(lambda: plain.get_json("/v1/slow", {})) == (Reason.TIMEOUT, "timeout")
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("cache", [False, True], ids=["plain", "cached"])
def test_body_trickling_under_the_read_timeout_is_cut_at_the_deadline(httpserver, tmp_path, cache):
    """One byte every 0.3 s never trips a read timeout; the call must still end at its budget."""
    body = b'{"t": 21.5}' + b" " * 200

    def trickle(_req):
        def chunks():
            for byte in body:
                time.sleep(0.3)
                yield bytes([byte])

        headers = {"Content-Length": str(len(body))}  # not chunked: one long body read
        return Response(chunks(), content_type="application/json", headers=headers)

    httpserver.expect_request("/v1/trickle").respond_with_handler(trickle)
    options = {"backend": "sqlite", "cache_name": str(tmp_path / "c.sqlite")} if cache else None
    client = ProviderHttp(
        "prueba", httpserver.url_for(""), timeout=1.0, session=make_session(options)
    )
    started = time.monotonic()
    assert _reason(lambda: client.get_json("/v1/trickle", {}, ttl=600, charge=lambda: True)) == (
        Reason.TIMEOUT,
        "timeout",
    )
    assert time.monotonic() - started < 1.8


def test_unreachable_origin_is_an_error():
    client = ProviderHttp("prueba", "http://127.0.0.1:9", timeout=1.0)
    assert _reason(lambda: client.get_json("/x", {})) == (Reason.ERROR, "conexion")


def test_cache_hits_take_no_quota_and_keys_are_not_stored(cached, httpserver, tmp_path):
    httpserver.expect_request("/v1/x").respond_with_json({"t": 1})
    charges = []

    def charge():
        charges.append(1)
        return True

    first = cached.get_json("/v1/x", {"lat": 4.6, "appid": "SECRETO-1"}, ttl=600, charge=charge)
    second = cached.get_json("/v1/x", {"lat": 4.6, "appid": "SECRETO-1"}, ttl=600, charge=charge)
    assert first == second == {"t": 1}
    assert len(charges) == 1
    assert _calls(httpserver) == 1
    assert b"SECRETO" not in (tmp_path / "cache.sqlite").read_bytes()


def test_exhausted_quota_makes_no_call(cached, httpserver):
    httpserver.expect_request("/v1/x").respond_with_json({"t": 1})
    reason = _reason(lambda: cached.get_json("/v1/x", {"q": 1}, ttl=600, charge=lambda: False))
    assert reason == (Reason.CUOTA_AGOTADA, "cuota_agotada")
    assert _calls(httpserver) == 0


def test_errors_and_error_bodies_are_never_cached(cached, httpserver):
    httpserver.expect_ordered_request("/v1/x").respond_with_json({}, status=500)
    httpserver.expect_ordered_request("/v1/x").respond_with_json({"error": "limite"})
    httpserver.expect_ordered_request("/v1/x").respond_with_json({"t": 2})
    check = lambda body: "cuerpo_de_error" if "error" in body else None  # noqa: E731
    assert _reason(lambda: cached.get_json("/v1/x", {}, ttl=600))[1] == "http_500"
    assert _reason(lambda: cached.get_json("/v1/x", {}, ttl=600, error_check=check))[1] == (
        "cuerpo_de_error"
    )
    assert cached.get_json("/v1/x", {}, ttl=600, error_check=check) == {"t": 2}
    assert cached.get_json("/v1/x", {}, ttl=600, error_check=check) == {"t": 2}
    assert _calls(httpserver) == 3


def test_no_ttl_means_no_caching(cached, httpserver):
    httpserver.expect_request("/v1/x").respond_with_json({"t": 1})
    cached.get_json("/v1/x", {})
    cached.get_json("/v1/x", {})
    assert _calls(httpserver) == 2


def test_log_lines_never_carry_the_query_string(plain, httpserver, caplog):
    httpserver.expect_request("/v1/x").respond_with_json({"t": 1})
    caplog.set_level("DEBUG")
    configure_logging("DEBUG")
    plain.get_json("/v1/x", {"appid": "CLAVE-SECRETA"})
    ours = [JsonFormatter().format(r) for r in caplog.records if not r.name.startswith("werkzeug")]
    assert any("/v1/x" in line for line in ours)
    assert not any("CLAVE-SECRETA" in line for line in ours)


def test_different_keys_never_share_a_cached_answer(cached, httpserver):
    """A bad key must not be answered from a good key's cached response (/probar)."""
    httpserver.expect_request(
        "/v1/x", query_string={"lat": "4.6", "appid": "BUENA"}
    ).respond_with_json({"t": 1})
    httpserver.expect_request(
        "/v1/x", query_string={"lat": "4.6", "appid": "MALA"}
    ).respond_with_json({"error": "clave"}, status=401)
    assert cached.get_json("/v1/x", {"lat": 4.6, "appid": "BUENA"}, ttl=600) == {"t": 1}
    reason = _reason(lambda: cached.get_json("/v1/x", {"lat": 4.6, "appid": "MALA"}, ttl=600))
    assert reason == (Reason.CLAVE_INVALIDA, "http_401")
    assert cached.get_json("/v1/x", {"lat": 4.6, "appid": "BUENA"}, ttl=600) == {"t": 1}
    assert _calls(httpserver) == 2


def test_an_answer_read_from_the_cache_is_reused_until_it_expires_there(cached, httpserver):
    """Served again from memory (no request, no backend read), but never past the stored
    copy's own expiry: then the upstream is asked again."""
    httpserver.expect_request("/v1/x").respond_with_json({"t": 1})
    reads = []
    real_get = cached._session.get
    cached._session.get = lambda *a, **kw: reads.append(1) or real_get(*a, **kw)
    params = {"lat": 4.6, "appid": "SECRETO-1"}
    answers = [cached.get_json("/v1/x", dict(params), ttl=1, charge=lambda: True) for _ in range(5)]
    assert answers == [{"t": 1}] * 5
    assert answers[3] is not answers[4]  # each caller gets its own decoded body
    assert _calls(httpserver) == 1
    # store (2 gets: only-if-cached, then the real call), one read from the cache, then memory
    assert len(reads) == 3
    other_key = {"lat": 4.6, "appid": "SECRETO-2"}  # another key never shares a cached answer
    assert cached.get_json("/v1/x", other_key, ttl=1, charge=lambda: True) == {"t": 1}
    assert _calls(httpserver) == 2
    time.sleep(1.2)
    assert cached.get_json("/v1/x", dict(params), ttl=1, charge=lambda: True) == {"t": 1}
    assert _calls(httpserver) == 3


def test_a_probe_never_answers_from_memory(cached, httpserver):
    httpserver.expect_request("/v1/x").respond_with_json({"t": 1})
    for _ in range(3):
        cached.get_json("/v1/x", {"appid": "K"}, ttl=600, charge=lambda: True)
    cached.get_json("/v1/x", {"appid": "K"}, ttl=600, charge=lambda: True, fresh=True)
    assert _calls(httpserver) == 2
