"""Evidence from the dashboard: packs (ask for one, see its SHA-256, download it), the stored files
of an item (each view and reveal logged in the custody log), and the custody log itself."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from evidence.models import Artefact, CustodyEvent, Pack
from evidence.pack import PACK_FILE_NAMES, PackError, folder_name, pack_create
from evidence.selectors import INLINE_IMAGE_TYPES, artefact_for_user, custody_events_for_user
from evidence.services import _sha256_file as file_sha256
from evidence.services import artefact_path, custody_append
from evidence.tables import CustodyTable
from moderation.models import Membership
from moderation.selectors import item_for_user
from moderation.views import paginate_lazily

# Session key: the pictures this person chose to show on item pages (until they hide them again).
REVEALED_SESSION_KEY = "evidence_revealed"
_REVEALED_KEEP = 200


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


# --- An item's stored files -----------------------------------------------------------------


def _download_name(artefact: Artefact) -> str:
    """e.g. ``demo_12345_post.png``: platform ids are platform data, so only safe characters are kept."""
    base = folder_name(0, artefact.item).removeprefix("items/0000_")
    name = PACK_FILE_NAMES.get(artefact.kind) if artefact.derived_from_id is None else None
    if name is None:
        extension = {"application/json": "json", "image/png": "png", "image/jpeg": "jpg"}.get(
            artefact.media_type, "bin"
        )
        name = f"{artefact.kind}-{artefact.code}.{extension}"
    return f"{base}_{name}"


@login_required
@require_GET
def artefact_view(request: HttpRequest, code: str) -> HttpResponse:
    """Serve one stored file to a member of its item's account, and log the view in the custody log.

    The file is re-hashed first: one that no longer matches its capture is not served. Pictures
    are shown inline; anything else (a JSON payload above all) comes as a plain-text download.
    """
    artefact, _ = artefact_for_user(request.user, code)
    if artefact.status != Artefact.Status.CAPTURED or not artefact.file_name:
        raise Http404("This file was never captured")
    path = artefact_path(artefact)
    try:
        sha256, size = file_sha256(path)
    except FileNotFoundError:
        raise Http404("This evidence file is missing; run verify_evidence") from None
    if sha256 != artefact.sha256 or size != artefact.bytes:
        return HttpResponse(
            "This evidence file no longer matches the SHA-256 recorded when it was captured, so it is not "
            "shown. Run verify_evidence to see what changed.",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    custody_append(
        action=CustodyEvent.Action.VIEW,
        obj=artefact,
        actor=request.user,
        reason="viewed from the dashboard",
        detail={"item": str(artefact.item.code), "kind": artefact.kind, "sha256": sha256},
    )
    inline = artefact.media_type in INLINE_IMAGE_TYPES
    if inline:
        content_type = artefact.media_type
    elif artefact.media_type == "application/json" or artefact.media_type.startswith("text/"):
        content_type = "text/plain; charset=utf-8"
    else:
        content_type = "application/octet-stream"
    response = FileResponse(
        path.open("rb"), as_attachment=not inline, filename=_download_name(artefact), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"  # every view comes back here, so every view is logged
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
@require_POST
def artefact_reveal(request: HttpRequest, code: str) -> HttpResponse:
    """Show (or hide again) a picture on its item's page; showing it is a REVEAL in the custody log."""
    artefact, _ = artefact_for_user(request.user, code)
    back = reverse("moderation:item", kwargs={"code": artefact.item.code}) + "#evidence"
    revealed = [value for value in request.session.get(REVEALED_SESSION_KEY, []) if value != str(artefact.code)]
    if request.POST.get("hide"):
        request.session[REVEALED_SESSION_KEY] = revealed
        return redirect(back)
    if artefact.status != Artefact.Status.CAPTURED or artefact.media_type not in INLINE_IMAGE_TYPES:
        messages.error(request, "Only a captured picture can be shown on the page; open the file instead.")
        return redirect(back)
    custody_append(
        action=CustodyEvent.Action.REVEAL,
        obj=artefact,
        actor=request.user,
        reason="revealed on the item page",
        detail={"item": str(artefact.item.code), "kind": artefact.kind, "sha256": artefact.sha256},
    )
    request.session[REVEALED_SESSION_KEY] = [*revealed, str(artefact.code)][-_REVEALED_KEEP:]
    return redirect(back)


def uuid_or_404(value: str) -> uuid.UUID:
    """A code from the query string; anything that isn't one is as unknown as a code that doesn't exist."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such object") from None


# --- The custody log ------------------------------------------------------------------------


@login_required
@require_GET
def custody_log(request: HttpRequest) -> HttpResponse:
    """Custody events about the person's accounts, newest first; ``?item=`` or ``?account=`` narrows it."""
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("account").order_by("account__handle")
    )
    item = account = None
    if request.GET.get("item"):
        item, _ = item_for_user(request.user, uuid_or_404(request.GET["item"]))
    elif request.GET.get("account"):
        account = next((m.account for m in memberships if str(m.account.code) == request.GET["account"]), None)
        if account is None:
            raise Http404("No such account")
    table = CustodyTable(custody_events_for_user(request.user, item=item, account=account))
    RequestConfig(request, paginate=False).configure(table)
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    paginate_lazily(table, page=page, per_page=50)
    return render(
        request,
        "evidence/custody.html",
        {"table": table, "item": item, "account": account, "memberships": memberships},
    )
