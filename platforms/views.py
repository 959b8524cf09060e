"""Thin views for connecting and reconnecting an X account (OAuth 2.0 with PKCE; see x_oauth)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from platforms import x_oauth
from platforms.x import XConnectError


def _callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("platforms:x_callback"))


@login_required
@require_GET
def connect_x(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "platforms/connect_x.html",
        {
            "configured": x_oauth.x_oauth_configured(),
            "scopes": x_oauth.SCOPES,
            "enterprise_scope": x_oauth.ENTERPRISE_SCOPE,
            "owned": x_oauth.x_accounts_owned(request.user),
        },
    )


def _send_to_x(request: HttpRequest, account=None, *, enterprise: bool) -> HttpResponse:
    try:
        url = x_oauth.x_authorization_begin(
            request.session,
            user=request.user,
            redirect_uri=_callback_uri(request),
            enterprise=enterprise,
            account=account,
        )
    except XConnectError as exc:
        messages.error(request, str(exc))
        return redirect("platforms:connect_x")
    return HttpResponseRedirect(url)


@login_required
@require_POST
@never_cache
def connect_x_start(request: HttpRequest) -> HttpResponse:
    # Anyone signed in may connect an X account they control: they become its owner.
    return _send_to_x(request, enterprise=request.POST.get("enterprise") == "on")


@login_required
@require_POST
@never_cache
def reconnect_x(request: HttpRequest, code: str) -> HttpResponse:
    account = x_oauth.x_account_to_reconnect(request.user, code)
    if account.platform != "x":
        messages.error(request, f"@{account.handle} isn't an X account: there's nothing to reconnect on X.")
        return redirect("moderation:accounts")
    enterprise = request.POST.get("enterprise") == "on" or bool(account.settings.get(x_oauth.ENTERPRISE_SETTING))
    return _send_to_x(request, account, enterprise=enterprise)


@login_required
@require_GET
@never_cache
def x_callback(request: HttpRequest) -> HttpResponse:
    """Where X sends the person back; every failure is a message on the connect page, never a 500."""
    try:
        account = x_oauth.x_authorization_finish(request.session, user=request.user, query=request.GET)
    except XConnectError as exc:
        messages.error(request, str(exc))
        return redirect("platforms:connect_x")
    messages.success(request, f"@{account.handle} on X is connected: SaferPol will check its replies from now on.")
    return redirect("moderation:accounts")
