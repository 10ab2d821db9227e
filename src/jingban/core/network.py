"""The client's address, believing forwarded headers only from trusted reverse proxies.

A request's peer (``REMOTE_ADDR``) is the client unless it is one of ``JINGBAN_TRUSTED_PROXIES``;
then ``X-Forwarded-For`` is read from the right, skipping further trusted proxies, and the first
address that is not one is the client. Anything a client writes into the header itself lies to
the left of what our proxies appended, so it is never reached while a trusted hop remains.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def trusted_networks() -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES)


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted(address: str) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in trusted_networks())


def from_trusted_proxy(request: HttpRequest) -> bool:
    return is_trusted(request.META.get("REMOTE_ADDR", ""))


def client_address(request: HttpRequest) -> str:
    """The address sign-in throttling and the action log attribute the request to."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not is_trusted(peer):
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if _parse(hop) is None:
            return peer  # a malformed chain: attribute the request to the proxy itself
        if not is_trusted(hop):
            return hop
    return peer
