"""X-Forwarded-For is believed only from trusted proxies."""

from __future__ import annotations

import ipaddress

from adapters.http.client_ip import client_ip

PROXIES = (ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8"))


def test_direct_client_ignores_forwarded_for():
    assert client_ip("203.0.113.9", "1.2.3.4", PROXIES) == "203.0.113.9"


def test_trusted_proxy_reveals_the_client():
    assert client_ip("127.0.0.1", "198.51.100.7", PROXIES) == "198.51.100.7"


def test_spoofed_hops_left_of_the_real_client_are_ignored():
    assert client_ip("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.2.3", PROXIES) == "198.51.100.7"


def test_garbage_in_forwarded_for_falls_back_to_the_peer():
    assert client_ip("127.0.0.1", "no-es-ip", PROXIES) == "127.0.0.1"


def test_no_trusted_proxies_means_the_peer():
    assert client_ip("127.0.0.1", "198.51.100.7", ()) == "127.0.0.1"
