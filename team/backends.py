"""Sign-in lockout: django-axes' check.

The address it locks by is saferpol.client_address.client_ip (AXES_CLIENT_IP_CALLABLE), the same
one the audit log records.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
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
