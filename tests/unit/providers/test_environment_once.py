"""Provider sessions honour the environment's proxies as requests does, reading them once."""

from __future__ import annotations

import pytest
import requests

from adapters.providers import environment_once
from adapters.providers.http_client import make_session

URLS = [
    "https://api.open-meteo.com/v1/forecast?latitude=6.2",
    "http://127.0.0.1:8080/datos",
    "https://interno.ejemplo.co/x",
]


@pytest.mark.parametrize("cache", [None, {"backend": "memory"}])
def test_the_proxies_are_what_requests_would_use(monkeypatch, cache):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.ejemplo.co:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy-http.ejemplo.co:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,interno.ejemplo.co")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/ca.pem")
    session, plain = make_session(cache), requests.Session()
    assert isinstance(session, environment_once.EnvironmentOnce)
    for url in URLS * 2:  # the second time from what was read the first
        for proxies in ({}, {"no_proxy": "api.open-meteo.com"}):
            got = session.merge_environment_settings(url, dict(proxies), None, None, None)
            want = plain.merge_environment_settings(url, dict(proxies), None, None, None)
            assert got == want, url


def test_without_trust_env_the_environment_is_ignored(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.ejemplo.co:3128")
    session = make_session()
    session.trust_env = False
    merged = session.merge_environment_settings(URLS[0], {}, None, None, None)
    assert merged["proxies"] == {}
