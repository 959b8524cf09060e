"""Nobody works in the dashboard on a password alone: the second step comes first."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from team import selectors

API_PREFIX = "/api/"


class TwoStepRequiredMiddleware:
    """Sends a signed-in person who hasn't passed the second step to set it up or enter a code.

    With SAFERPOL_REQUIRE_2FA off (the demo, and the test suite by default) people without an
    authenticator app aren't forced to add one; anyone who has added one still enters its code.
    Needs django_otp's OTPMiddleware before it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified() or self._is_open(request):
            return self.get_response(request)
        has_app = selectors.has_two_step(user)
        if not has_app and not settings.SAFERPOL_REQUIRE_2FA:
            return self.get_response(request)
        target = reverse("team:two_step_verify" if has_app else "team:two_step_setup")
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            # A redirect would be followed inside htmx and swapped into part of the page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)

    def _is_open(self, request: HttpRequest) -> bool:
        if self._open_paths is None:
            self._open_paths = frozenset(
                reverse(name)
                for name in ("login", "logout", "team:two_step_setup", "team:two_step_verify", "api:openapi")
            )
        static = "/" + settings.STATIC_URL.lstrip("/")
        path = request.path_info
        if request.path in self._open_paths or path.startswith(static) or path == "/healthz":
            return True
        return path.startswith(API_PREFIX) and _is_bearer_api(path)


def _is_bearer_api(path: str) -> bool:
    """The JSON API (django-ninja, bearer tokens only) checks its callers itself.

    Not everything under /api/ is that API: the pages for managing one's own tokens use the
    session, and must not be reachable on a password alone (a token would bypass the second step).
    """
    try:
        match = resolve(path)
    except Resolver404:
        return True  # nothing there: a 404 either way
    return "ninja" in match.app_names
