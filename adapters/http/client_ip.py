"""The client's address: X-Forwarded-For is believed only when it comes from a trusted proxy."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(addr, proxies: Sequence[Network]) -> bool:
    return addr is not None and any(addr in net for net in proxies)


def client_ip(
    remote_addr: str | None, forwarded_for: str | None, proxies: Sequence[Network]
) -> str | None:
    """Walk X-Forwarded-For from the right past trusted proxies; return the first other hop."""
    peer = _parse(remote_addr or "")
    if peer is None:
        return None
    if not forwarded_for or not _trusted(peer, proxies):
        return str(peer)
    hops = [_parse(h) for h in forwarded_for.split(",")]
    for hop in reversed(hops):
        if hop is None:
            return str(peer)
        if not _trusted(hop, proxies):
            return str(hop)
        peer = hop
    return str(peer)
