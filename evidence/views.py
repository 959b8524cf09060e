"""Evidence packs from the dashboard: ask for one, see its SHA-256, download it."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from evidence.models import Pack
from evidence.pack import PackError, pack_create
from moderation.models import Membership


class PackForm(forms.Form):
    account = forms.UUIDField(error_messages={"invalid": "Choose one of your accounts."})
    author = forms.CharField(required=False, max_length=100, label="Only this author (handle)")
    since = forms.DateField(required=False, label="Posted on or after", widget=forms.DateInput(attrs={"type": "date"}))


@login_required
@require_GET
def packs(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("account").order_by("account__handle")
    return render(
        request,
        "evidence/packs.html",
        {
            "memberships": memberships,
            "form": PackForm(),
            "packs": Pack.objects.filter(exporter=request.user).select_related("account").order_by("-created_at")[:50],
        },
    )


@login_required
@require_POST
def pack_new(request: HttpRequest) -> HttpResponse:
    form = PackForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("evidence:packs")
    membership = (
        Membership.objects.filter(user=request.user, account__code=form.cleaned_data["account"])
        .select_related("account")
        .first()
    )
    if membership is None:
        raise Http404("No such account")
    try:
        pack = pack_create(
            user=request.user,
            account=membership.account,
            author_handle=form.cleaned_data["author"] or None,
            since=form.cleaned_data["since"],
        )
    except PackError as exc:
        messages.error(request, str(exc))
        return redirect("evidence:packs")
    messages.success(request, f"Evidence pack ready: {pack.items} items. SHA-256 {pack.sha256}")
    return redirect("evidence:packs")


@login_required
@require_GET
def pack_download(request: HttpRequest, code: str) -> FileResponse:
    pack = Pack.objects.filter(code=code, exporter=request.user).first()
    if pack is None:
        raise Http404("No such pack")
    path = Path(settings.MEDIA_ROOT) / pack.file_name
    if not path.is_file():
        raise Http404("That pack's file is no longer here")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"evidence-pack-{pack.account.handle}-{pack.created_at:%Y%m%d-%H%M}.zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
