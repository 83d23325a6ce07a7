"""The HTTP client every provider adapter shares: pooling, cache, caps, and failures as reasons.

- one requests session per provider, connection pooling, no redirects followed;
- a total time budget per call (a slow body counts), a cap on the response size;
- answers cached by requests-cache (only 200s; key parameters are left out of the cache key
  and of the stored copy); a cache hit never charges a quota;
- every failure becomes ProviderUnavailable(reason, code) with no exception text, URL or key;
- one JSON log line per call: provider, path, status or reason, latency, from_cache (the
  request id comes from the context), never the query string; the same call is counted in
  the Prometheus metrics (adapters/metrics.py), as is each unit of quota charged.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError

from adapters import metrics
from adapters.providers import call_log, environment_once, sqlite_wal
from adapters.providers.parsed_answers import MISSING, Parse, ParsedAnswers
from adapters.providers.recent_answers import RecentAnswers
from domain.model.consensus import Reason
from ports.providers import ProviderUnavailable

log = logging.getLogger("climaguru.providers")
_calls = threading.local()  # per pool thread: the running call's deadline and its timers


# Query parameters and headers that carry secrets: left out of cache keys and stored copies.
SECRET_PARAMS = (
    "appid", "apikey", "api_key", "key", "sig", "token", "$$app_token", "X-App-Token",
)  # fmt: skip
DEFAULT_MAX_BYTES = 8 * 1024 * 1024


def _cache_key(request: Any, **kwargs: Any) -> str:
    """requests-cache's key (secrets left out) plus a digest of the secrets themselves.

    Answers are shared by everyone calling with the same key (system keys, cache hits across
    users) but never across different keys: a bad key must not be answered from a good key's
    cached response (that would make /probar report any key as valid). Only a truncated
    SHA-256 of the key is stored, never the key.
    """
    import hashlib
    from urllib.parse import parse_qsl, urlsplit

    import requests_cache

    base = requests_cache.create_key(request, **kwargs)
    lowered = {name.lower() for name in SECRET_PARAMS}
    secrets = sorted(
        f"{k}={v}" for k, v in parse_qsl(urlsplit(request.url).query) if k.lower() in lowered
    )
    secrets += sorted(f"{k}={v}" for k, v in request.headers.items() if k.lower() in lowered)
    if not secrets:
        return base
    digest = hashlib.sha256("&".join(secrets).encode()).hexdigest()[:16]
    return f"{base}-{digest}"


def make_session(cache: Mapping[str, Any] | None = None, pool_size: int = 16) -> requests.Session:
    """A pooled session; with `cache` ({"backend": ..., "cache_name": ...}) a CachedSession."""
    if cache and cache.get("backend") == "sqlite" and cache.get("wal"):
        path = sqlite_wal.sqlite_cache_file(cache["cache_name"])
        sqlite_wal.ensure_wal(path)  # before requests-cache's own pragma: see sqlite_wal
        cache = {**cache, "cache_name": str(path)}
    if cache:
        session: requests.Session = environment_once.cached_session(
            key_fn=_cache_key,
            allowable_codes=(200,),
            allowable_methods=("GET",),
            ignored_parameters=list(SECRET_PARAMS),
            match_headers=False,
            stale_if_error=False,
            **cache,
        )
    else:
        session = environment_once.Session()
    adapter = _DeadlineAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class _DeadlineAdapter(HTTPAdapter):
    """Cuts the connection when the calling thread's deadline passes, however the body arrives.

    A read timeout bounds each recv(), not the whole answer: an upstream that sends a byte every
    few seconds would hold the thread for ever (requests-cache reads the body inside get(), out
    of reach of any check of ours). A timer shuts the socket down at the deadline instead; the
    blocked read then fails and the call is reported as a timeout.
    """

    def build_response(self, req: Any, resp: Any) -> requests.Response:
        response = super().build_response(req, resp)
        deadline = getattr(_calls, "deadline", None)
        if deadline is not None:
            timer = threading.Timer(max(deadline - time.monotonic(), 0.0), _cut, args=(resp,))
            timer.daemon = True
            timer.start()
            _calls.timers.append(timer)
        return response


def _cut(raw: Any) -> None:
    """urllib3's own way to interrupt a blocking read from another thread (urllib3 >= 2.3)."""
    with contextlib.suppress(OSError, ValueError, RuntimeError):  # already read and released
        raw.shutdown()


class ProviderHttp:
    """GET JSON from one upstream origin with the rules above."""

    def __init__(
        self,
        provider: str,
        base_url: str,
        timeout: float,
        session: requests.Session | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self.timeout, self.max_bytes = timeout, max_bytes
        self._session = session or make_session()
        self._cached = hasattr(self._session, "cache")
        self._recent = RecentAnswers()
        self._parsed = ParsedAnswers()

    def get_json(
        self,
        path: str,
        params: Mapping[str, Any],
        *,
        ttl: int | None = None,
        charge: Callable[[], bool] | None = None,
        headers: Mapping[str, str] | None = None,
        error_check: Callable[[Any], str | None] | None = None,
        fresh: bool = False,
        parse: Parse | None = None,
    ) -> Any:
        """The decoded JSON body of a 200 answer; with `parse`, what it builds from the body
        (a cached answer's result kept and shared: parsed_answers.py).

        `ttl` seconds of caching (None or 0: not cached). `charge` takes a unit of quota before
        a real network call; `fresh` (a key probe) never answers from the cache. `error_check(body)`
        returns an error code when a 200 carries an error body or no data at all; such answers
        raise and are evicted from the cache.
        """
        url = self.base_url + path
        started = time.monotonic()
        outcome: dict[str, Any] = {"status": None, "reason": None, "from_cache": False}
        try:
            response = self._respond(url, params, headers, ttl, charge, fresh, outcome)
            if parse is not None and (kept := self._parsed.lookup(response, parse)) is not MISSING:
                return kept
            body = self._decode(response, error_check)
        except ProviderUnavailable as exc:
            outcome["reason"] = exc.code
            raise
        except BaseException:
            outcome["reason"] = "excepcion"
            raise
        finally:
            self._log(path, outcome, started, cacheable=bool(self._cached and ttl))
        return body if parse is None else self._parsed.keep(response, parse, body)

    def _respond(self, url, params, headers, ttl, charge, fresh, outcome) -> requests.Response:
        """A 200 from the cache (no quota charged), else from the network (charged first)."""
        if self._cached and ttl and charge is not None and not fresh:
            hit = self._send(url, params, headers, ttl, outcome, only_if_cached=True)
            if hit is not None and hit.status_code == 200:
                return hit
        if charge is not None:
            if not charge():
                raise ProviderUnavailable(Reason.CUOTA_AGOTADA, "cuota_agotada")
            metrics.quota_unit_spent(self.provider)
        response = self._send(url, params, headers, ttl, outcome, fresh=fresh)
        assert response is not None
        return response

    def _send(self, url, params, headers, ttl, outcome, only_if_cached=False, fresh=False):
        kwargs: dict[str, Any] = {
            "params": params,
            "headers": dict(headers or {}),
            "timeout": (min(self.timeout, 5.0), self.timeout),
            "allow_redirects": False,
            "stream": True,
        }
        if self._cached:
            kwargs["expire_after"] = ttl if ttl else 0  # 0: do not cache
            if only_if_cached:
                kwargs["only_if_cached"] = True
            if fresh:
                kwargs["force_refresh"] = True
        recent = self._cached and ttl and not fresh
        if recent and (hit := self._recent.lookup(url, params, headers, outcome)) is not None:
            return hit
        started = time.monotonic()
        _calls.deadline, _calls.timers = started + self.timeout, []
        try:
            response = self._session.get(url, **kwargs)
            if only_if_cached and response.status_code == 504:
                return None
            outcome["status"] = response.status_code
            response._content = self._read_capped(response, started)  # type: ignore[attr-defined]
        except requests.Timeout:  # no exception text: it names the URL, query string included
            raise ProviderUnavailable(Reason.TIMEOUT, "timeout") from None
        except (requests.RequestException, urllib3.exceptions.HTTPError):
            # requests-cache reads the body itself: urllib3's errors arrive unwrapped.
            if time.monotonic() - started >= self.timeout:  # cut by the deadline timer
                raise ProviderUnavailable(Reason.TIMEOUT, "timeout") from None
            raise ProviderUnavailable(Reason.ERROR, "conexion") from None
        finally:
            for timer in _calls.timers:
                timer.cancel()
            _calls.deadline, _calls.timers = None, []
        cached = bool(getattr(response, "from_cache", False))
        outcome["from_cache"] = cached
        call_log.record(cached)
        self._check_status(response)
        if recent and cached:
            self._recent.keep(url, params, headers, response)
        return response

    def _read_capped(self, response: requests.Response, started: float) -> bytes:
        if getattr(response, "from_cache", False):
            return response.content
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    response.close()
                    raise ProviderUnavailable(Reason.ERROR, "respuesta_demasiado_grande")
                if time.monotonic() - started > self.timeout:
                    response.close()
                    raise ProviderUnavailable(Reason.TIMEOUT, "timeout")
                chunks.append(chunk)
        except requests.ConnectionError as exc:
            # A body that stalls past the read timeout: requests wraps urllib3's
            # ReadTimeoutError in ConnectionError here, but it is a timeout all the same.
            if exc.args and isinstance(exc.args[0], ReadTimeoutError):
                raise requests.Timeout() from None
            raise
        return b"".join(chunks)

    def _check_status(self, response: requests.Response) -> None:
        status = response.status_code
        if status == 200:
            return
        self._evict(response)
        if status in (401, 403):
            raise ProviderUnavailable(Reason.CLAVE_INVALIDA, f"http_{status}")
        if status == 429:
            raise ProviderUnavailable(Reason.ERROR, "limite_del_proveedor")
        if 300 <= status < 400:
            raise ProviderUnavailable(Reason.ERROR, "redireccion_no_seguida")
        raise ProviderUnavailable(Reason.ERROR, f"http_{status}")

    def _decode(self, response: requests.Response, error_check) -> Any:
        ctype = response.headers.get("Content-Type", "").lower()
        if "html" in ctype:
            self._evict(response)
            raise ProviderUnavailable(Reason.ERROR, "respuesta_no_json")
        try:
            body = json.loads(response.content.decode("utf-8"), parse_constant=_no_constants)
        except (ValueError, UnicodeDecodeError):
            self._evict(response)
            raise ProviderUnavailable(Reason.ERROR, "json_invalido") from None
        code = error_check(body) if error_check else None
        if code:
            self._evict(response)
            raise ProviderUnavailable(Reason.ERROR, code)
        return body

    def _evict(self, response: requests.Response) -> None:
        if self._cached and getattr(response, "cache_key", None):
            self._recent.forget(response)
            self._parsed.forget(response)
            self._session.cache.delete(response.cache_key)  # type: ignore[attr-defined]

    def _log(self, path: str, outcome: Mapping[str, Any], started: float, cacheable: bool) -> None:
        """One line per call: the path only (keys travel in the query string), never the URL.

        The same call in the metrics: outcome "ok" or the failure code, a cache hit or miss
        when the answer could come from the cache."""
        seconds = time.monotonic() - started
        fields = {
            "provider": self.provider,
            "path": path.split("?", 1)[0] or "/",
            **outcome,
            "latency_ms": round(seconds * 1000, 1),
        }
        log.info("llamada_proveedor", extra={"fields": fields})
        cache = ("hit" if outcome["from_cache"] else "miss") if cacheable else None
        metrics.provider_call(self.provider, outcome["reason"] or "ok", seconds, cache)


def _no_constants(name: str) -> Any:
    raise ValueError(name)


def redact(params: Mapping[str, Any], secrets: Iterable[str] = SECRET_PARAMS) -> dict[str, Any]:
    """Request parameters safe to store as provenance (keys replaced)."""
    hidden = set(secrets)
    return {k: ("***" if k in hidden else v) for k, v in params.items()}
