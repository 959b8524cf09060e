"""Thin views for the team pages, invitations, two-step verification and the lockout page."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from moderation.models import Role
from saferpol.client_address import client_ip
from team import selectors, services
from team.forms import CodeForm, InvitationForm, JoinForm, RoleForm
from team.models import RecoveryCodeDevice

# --- Members and invitations -------------------------------------------------------------


@login_required
@require_GET
def members(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "team/members.html",
        {"teams": selectors.teams_for_user(request.user), "invite_form": InvitationForm(), "roles": Role.choices},
    )


def _form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@login_required
@require_POST
@never_cache
def invite(request: HttpRequest, code: str) -> HttpResponse:
    account, _ = selectors.account_for_user(request.user, code, manage=True)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("team:members")
    invitation, secret = services.member_invite(
        account=account, role=form.cleaned_data["role"], note=form.cleaned_data["note"], by=request.user
    )
    # Shown in this response only: the database keeps just a digest, so it can't be shown again.
    link = request.build_absolute_uri(reverse("team:join", kwargs={"secret": secret}))
    return render(
        request,
        "team/invitation_created.html",
        {"invitation": invitation, "link": link, "role": Role(invitation.role).label},
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, code: str) -> HttpResponse:
    invitation = selectors.invitation_for_user(request.user, code)
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, f"Invitation for {invitation.note} withdrawn: the link no longer works.")
    return redirect("team:members")


@login_required
@require_POST
def member_role(request: HttpRequest, code: str) -> HttpResponse:
    membership = selectors.member_for_user(request.user, code)
    form = RoleForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("team:members")
    try:
        services.member_set_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
    except services.TeamChangeRefused as exc:
        messages.error(request, str(exc))
    else:
        role = Role(form.cleaned_data["role"]).label.lower()
        messages.success(request, f"{membership.user.username} is now {role} of {membership.account}.")
    return redirect("team:members")


@login_required
@require_POST
def member_remove(request: HttpRequest, code: str) -> HttpResponse:
    membership = selectors.member_for_user(request.user, code)
    try:
        services.member_remove(membership=membership, by=request.user)
    except services.TeamChangeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{membership.user.username} removed from {membership.account}.")
    return redirect("team:members")


@require_http_methods(["GET", "POST"])
@never_cache
def join(request: HttpRequest, secret: str) -> HttpResponse:
    """Accept an invitation: signed in, with one button; otherwise by creating a login first."""
    invitation = selectors.invitation_for_secret(secret)
    problem = selectors.invitation_problem(invitation)
    if problem:
        return _invitation_unusable(request, problem)
    context = {"invitation": invitation, "role": Role(invitation.role).label}

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                membership = services.invitation_accept(secret=secret, user=request.user)
            except services.InvitationUnusable as exc:
                return _invitation_unusable(request, str(exc))
            messages.success(request, f"You've joined {membership.account} as {context['role'].lower()}.")
            return redirect("team:members")
        return render(request, "team/join.html", context)

    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept_as_new_user(
                secret=secret, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except services.InvitationUnusable as exc:
            return _invitation_unusable(request, str(exc))
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"Welcome: you've joined {membership.account} as {context['role'].lower()}. "
            "One more step: set up two-step verification so your login can't be used with a password alone.",
        )
        return redirect("team:two_step_setup")
    return render(request, "team/join.html", {**context, "form": form}, status=400 if form.is_bound else 200)


def _invitation_unusable(request: HttpRequest, problem: str) -> HttpResponse:
    return render(request, "team/invitation_unusable.html", {"problem": problem}, status=404)


# --- Two-step verification ---------------------------------------------------------------


def _is_safe_next(request: HttpRequest, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if _is_safe_next(request, target) else reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    url = reverse(name)
    return f"{url}?{urlencode({'next': target})}" if _is_safe_next(request, target) else url


def _verified(request: HttpRequest, device) -> None:
    django_otp.login(request, device)
    # A new session key once the second step is passed, like Django does after the password.
    request.session.cycle_key()


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def two_step_setup(request: HttpRequest) -> HttpResponse:
    if selectors.has_two_step(request.user):
        # Replacing the app would need the current one: never on a password alone.
        if request.user.is_verified():
            return redirect("team:security")
        return redirect(_with_next("team:two_step_verify", request))
    device = services.totp_device_for_setup(user=request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                codes = services.two_step_confirm(
                    user=request.user, device=device, code=form.cleaned_data["code"], ip_address=client_ip(request)
                )
            except services.CodeRefused as exc:
                form.add_error("code", str(exc))
            else:
                _verified(request, device)
                return render(
                    request,
                    "team/recovery_codes.html",
                    {"codes": codes, "next": _next_url(request), "first_time": True},
                )
    secret = b32encode(device.bin_key).decode()
    # Our own SVG: the otpauth URI is drawn as QR modules, never written out as markup; no style attributes.
    qr_svg = mark_safe(
        segno.make(device.config_url).svg_inline(scale=4, light="#fff", title="QR code for your authenticator app")
    )
    return render(
        request,
        "team/two_step_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "next": _next_url(request),
            "required": settings.SAFERPOL_REQUIRE_2FA,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def two_step_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not selectors.has_two_step(request.user):
        return redirect(_with_next("team:two_step_setup", request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                device = services.two_step_verify(
                    user=request.user, code=form.cleaned_data["code"], ip_address=client_ip(request)
                )
            except services.CodeRefused as exc:
                form.add_error("code", str(exc))
            else:
                _verified(request, device)
                if isinstance(device, RecoveryCodeDevice):
                    left = selectors.recovery_codes_left(request.user)
                    messages.warning(
                        request,
                        f"You used a recovery code; {left} left. If you've lost your phone, "
                        "make new codes and set up the app again from the Security page.",
                    )
                return redirect(_next_url(request))
    return render(request, "team/two_step_verify.html", {"form": form, "next": _next_url(request)}, status=status)


@login_required
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    device = selectors.totp_device(request.user)
    return render(
        request,
        "team/security.html",
        {
            "device": device,
            "codes_left": selectors.recovery_codes_left(request.user) if device else 0,
            "required": settings.SAFERPOL_REQUIRE_2FA,
            "lockout_limit": settings.AXES_FAILURE_LIMIT,
            "lockout_minutes": _lockout_minutes(),
        },
    )


@login_required
@require_POST
@never_cache
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    if not selectors.has_two_step(request.user):
        messages.error(request, "Set up two-step verification first: recovery codes come with it.")
        return redirect("team:security")
    if not request.user.is_verified():
        return redirect(_with_next("team:two_step_verify", request))
    codes = services.recovery_codes_regenerate(user=request.user, ip_address=client_ip(request))
    return render(
        request, "team/recovery_codes.html", {"codes": codes, "next": reverse("team:security"), "first_time": False}
    )


# --- Sign-in lockout (django-axes) -------------------------------------------------------


def lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page shown instead of the sign-in form while a username and address are locked out."""
    return render(request, "registration/lockout.html", {"minutes": _lockout_minutes()}, status=429)


def _lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
