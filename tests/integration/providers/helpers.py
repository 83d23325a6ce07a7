"""What the provider adapter tests share: the failure of a call, a client that records ttls,
a provider factory over it, and an upstream slower than the budget."""

from __future__ import annotations

import time

import pytest
from werkzeug import Response

from adapters.providers.http_client import ProviderHttp
from domain.model.consensus import Reason
from ports.providers import ProviderUnavailable


def failure(call) -> tuple[Reason, str]:
    with pytest.raises(ProviderUnavailable) as info:
        call()
    return info.value.reason, info.value.code


class RecordingHttp(ProviderHttp):
    """The real client, remembering the path and ttl of each call."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[tuple[str, int | None]] = []

    def get_json(self, path, params, **kwargs):
        self.calls.append((path, kwargs.get("ttl")))
        return super().get_json(path, params, **kwargs)

    @property
    def ttls(self) -> list[int | None]:
        """The ttl of each call, in order."""
        return [ttl for _, ttl in self.calls]

    def ttls_at(self, path: str) -> set[int | None]:
        """The ttls the calls to `path` asked for."""
        return {ttl for called, ttl in self.calls if called == path}


def recording_factory(httpserver, provider_cls, name: str, now):
    """`build(clock, timeout, origin, **kwargs)`: a `provider_cls` over a RecordingHttp on the
    test server (the client is kept as `build.http`), its clock stopped at `now` by default."""

    def build(clock=lambda: now, timeout=2.0, origin="", **kwargs):
        build.http = RecordingHttp(name, httpserver.url_for(origin), timeout=timeout)
        return provider_cls(build.http, clock=clock, **kwargs)

    return build


def answer_late(httpserver, path: str, seconds: float = 0.8) -> None:
    """The test server answers `path` with `{}` only after `seconds`."""
    httpserver.expect_request(path).respond_with_handler(
        lambda _request: (time.sleep(seconds), Response("{}", content_type="application/json"))[1]
    )
