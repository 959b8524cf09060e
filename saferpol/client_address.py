"""The address a request came from, as far as our own reverse proxies vouch for it.

One function for every place that records or limits by address: the sign-in lockout
(django-axes, through AXES_CLIENT_IP_CALLABLE), the audit log of dashboard pages, and the JSON
API. If they read the address differently, a visitor could be locked out under one address and
audited under another, or dodge the lockout by typing an X-Forwarded-For header.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def _address(value: str) -> str | None:
    """The address in its canonical form, or None for anything that isn't one.

    The audit log stores addresses in an inet column: a proxy that writes "unknown" or a port
    must not turn a sign-in into a database error.
    """
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address: from X-Forwarded-For only as far as SAFERPOL_TRUSTED_PROXIES vouch for it.

    Each trusted proxy appends the address it received the request from, so with N proxies the
    N-th entry from the right is the one the outermost proxy saw; anything further left could
    have been typed by the visitor. With no trusted proxies the header is ignored entirely.

    When the header has fewer entries than there are proxies, the request did not come through
    the chain we were told about, so no entry can be told from a typed one: the connecting
    address (REMOTE_ADDR) is used instead, as Werkzeug's ProxyFix does. Behind a proxy that is
    the proxy's own address, which is wrong but can't be chosen by the visitor.
    """
    connecting = _address(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.SAFERPOL_TRUSTED_PROXIES
    if proxies <= 0:
        return connecting
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return connecting
    visitor = _address(forwarded[-proxies])
    if visitor is None:
        logger.warning(
            "X-Forwarded-For entry %r from a trusted proxy is not an address; using %s", forwarded[-proxies], connecting
        )
        return connecting
    return visitor
