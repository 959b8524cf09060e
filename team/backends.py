"""Sign-in lockout: django-axes' check, and the address it locks by."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a sign-in while its username and address are locked out.

    Every web sign-in (the login page, the admin) passes the request. authenticate() without one
    comes from code we run ourselves (the shell, management commands, Client.login() in tests);
    there is no address to lock by, so axes would raise, and the password check still applies.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address: from X-Forwarded-For only as far as our own proxies vouch for it.

    Each trusted proxy appends the address it received the request from, so with N proxies the
    N-th entry from the right is the one the outermost proxy saw; anything further left could
    have been typed by the visitor.
    """
    proxies = settings.SAFERPOL_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
