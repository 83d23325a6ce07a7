"""requests sessions that read the proxy settings of the environment once per origin.

With `trust_env` (the default, kept: HTTP(S)_PROXY and NO_PROXY are honoured) requests walks
os.environ twice on every request to find proxies (`get_environ_proxies`): a third of the CPU
of a provider answer served from the cache. A process's environment does not change while it
runs, so the answer is kept per scheme, host and NO_PROXY argument; everything else
(REQUESTS_CA_BUNDLE, the session's own settings) is merged as requests does.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.sessions import merge_setting
from requests.utils import get_environ_proxies


class EnvironmentOnce:
    """Mixed in before requests.Session (or requests-cache's CachedSession)."""

    def merge_environment_settings(
        self, url: str, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> dict[str, Any]:
        session: Any = self
        if session.trust_env:
            no_proxy = proxies.get("no_proxy") if proxies is not None else None
            env_proxies = _environ_proxies(session, url, no_proxy)
            if proxies is not None:
                for k, v in env_proxies.items():
                    proxies.setdefault(k, v)
            if verify is True or verify is None:
                verify = (
                    os.environ.get("REQUESTS_CA_BUNDLE")
                    or os.environ.get("CURL_CA_BUNDLE")
                    or verify
                )
        return {
            "proxies": merge_setting(proxies, session.proxies),
            "stream": merge_setting(stream, session.stream),
            "verify": merge_setting(verify, session.verify),
            "cert": merge_setting(cert, session.cert),
        }


def _environ_proxies(session: Any, url: str, no_proxy: str | None) -> dict[str, str]:
    known = session.__dict__.setdefault("_environ_proxies", {})
    parts = urlsplit(url)
    key = (parts.scheme, parts.netloc, no_proxy)
    if key not in known:
        known[key] = get_environ_proxies(url, no_proxy=no_proxy)
    return dict(known[key])  # requests may change what it is given


class Session(EnvironmentOnce, requests.Session):
    """requests.Session, the environment's proxies read once per origin."""


def cached_session(**options: Any) -> requests.Session:
    """requests_cache.CachedSession(**options), the environment's proxies read once per origin."""
    import requests_cache

    lean = type("CachedSession", (EnvironmentOnce, requests_cache.CachedSession), {})
    return lean(**options)
