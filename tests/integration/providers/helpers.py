"""What the provider adapter tests share: the failure of a call, a client that records ttls."""

from __future__ import annotations

import pytest

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
