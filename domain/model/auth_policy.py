"""Lifetimes and limits of authentication, set from configuration by the composition root."""

from __future__ import annotations

from attrs import frozen


@frozen
class AuthPolicy:
    """How long tokens live, how long a refresh retry is forgiven, how many failures are allowed."""

    access_ttl: int = 3600
    refresh_ttl: int = 86400
    refresh_reuse_grace: int = 10
    max_failures: int = 10
    failure_window: int = 900
