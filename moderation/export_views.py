"""Log exports from the dashboard: ask for one, watch it being written, download it.

Any member of an account (owner, co-moderator, comms officer) may export it; exports are
private to the person who asked for them, and anyone else gets a 404.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from moderation import exports
from moderation.models import Export, Membership
from saferpol.client_address import client_ip

logger = logging.getLogger(__name__)


class ExportForm(forms.Form):
    # A code rather than a choice field: an account the person isn't a member of is a 404, not a
    # form error, so the page never confirms that an account exists.
    account = forms.UUIDField(
        required=False,
        label="Account",
        widget=forms.Select,
        error_messages={"invalid": "Choose one of your accounts, or all of them."},
    )
    since = forms.DateField(
        required=False,
        label="Posted on or after",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date like 2025-01-31, or leave it empty for everything."},
    )
    format = forms.ChoiceField(choices=Export.Format.choices, initial=Export.Format.CSV, label="Format")

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        memberships = Membership.objects.filter(user=user).select_related("account")
        self.fields["account"].widget.choices = [("", "All my accounts")] + [
            (str(m.account.code), f"@{m.account.handle} ({m.account.get_platform_display()})")
            for m in memberships.order_by("account__platform", "account__handle")
        ]
        self.has_accounts = bool(self.fields["account"].widget.choices[1:])


def _items(count: int) -> str:
    return f"{count:,} item{'' if count == 1 else 's'}"


def _scope(export: Export) -> str:
    return f"@{export.account.handle}" if export.account else "all your accounts"


def _progress(export: Export) -> dict:
    total = export.total
    return {
        "written": f"{export.written:,}",
        "total": f"{total:,}" if total is not None else "",
        "percent": round(100 * export.written / total) if total else (100 if total == 0 else 0),
        "running": export.status in (Export.Status.PENDING, Export.Status.RUNNING),
    }


def _list_page(request: HttpRequest, form: ExportForm, *, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "exports": exports.exports_for_user(request.user)[:50],
        "retention_days": settings.SAFERPOL_EXPORT_RETENTION_DAYS,
    }
    return render(request, "exports/list.html", context, status=status)


@login_required
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, ExportForm(user=request.user))


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST, user=request.user)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    code = form.cleaned_data["account"]
    account = exports.export_account_for_user(request.user, code) if code else None
    try:
        export = exports.export_request(
            user=request.user, account=account, since=form.cleaned_data["since"], fmt=form.cleaned_data["format"]
        )
    except exports.ExportNotPossible as exc:
        form.add_error(None, str(exc))
        return _list_page(request, form, status=400)
    messages.success(request, "Export started. It keeps going if you leave this page.")
    return redirect("exports:detail", code=export.code)


@login_required
@require_GET
def export_detail(request: HttpRequest, code: str) -> HttpResponse:
    export = exports.export_for_user(request.user, code)
    return render(request, "exports/detail.html", {"export": export, "progress": _progress(export)})


@login_required
@require_GET
def export_progress(request: HttpRequest, code: str) -> HttpResponse:
    """The progress fragment htmx polls; a plain visit gets the whole page."""
    export = exports.export_for_user(request.user, code)
    if not request.htmx:
        return redirect("exports:detail", code=export.code)
    return render(request, "exports/_progress.html", {"export": export, "progress": _progress(export)})


@login_required
@require_GET
def export_download(request: HttpRequest, code: str) -> HttpResponse:
    export = exports.export_for_user(request.user, code)
    if export.expired_at is not None:
        return export_expired_page(
            request,
            what="export",
            made_at=export.finished_at or export.created_at,
            expired_at=export.expired_at,
            sha256=export.sha256,
            again_url=reverse("exports:list"),
            again_label="Start a new export",
        )
    if export.status != Export.Status.DONE:
        if export.status == Export.Status.FAILED:
            messages.error(request, "This export failed, so there is nothing to download. Start a new one.")
        else:
            messages.warning(request, "This export is still being written. The download link appears when it's ready.")
        return redirect("exports:detail", code=export.code)
    try:
        path = exports.exported_file(export.file_name, folder="exports")  # only ever files this feature wrote
    except exports.ExportFileRefused:
        path = None
    if path is None:
        raise Http404("No such export")
    try:
        handle = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except OSError as exc:
        # Ready and not expired, so its file should be here: lost with a disk, or deleted by hand.
        logger.warning(
            "Export %s (%s, made %s, SHA-256 %s) is ready but its file %s can't be opened (%s); it must be made again",
            export.code,
            export.format,
            (export.finished_at or export.created_at).isoformat(),
            export.sha256,
            path,
            exc.strerror or exc,
        )
        return export_missing_page(
            request,
            what="export",
            description=f"A {export.get_format_display()} export of {_items(export.total or 0)} from {_scope(export)}",
            made_at=export.finished_at or export.created_at,
            sha256=export.sha256,
            again_url=reverse("exports:list"),
            again_label="Start a new export",
        )
    exports.export_download_record(export=export, user=request.user, ip_address=client_ip(request))
    scope = slugify(export.account.handle) if export.account else "all-accounts"
    filename = f"saferpol-log-{scope or 'account'}-{export.created_at:%Y%m%d-%H%M}.{exports.EXTENSIONS[export.format]}"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=exports.CONTENT_TYPES[export.format]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # abuse logs must not sit in shared caches
    return response


def export_expired_page(
    request: HttpRequest,
    *,
    what: str,
    made_at: datetime,
    expired_at: datetime,
    sha256: str,
    again_url: str,
    again_label: str,
) -> HttpResponse:
    """410 Gone, in words: the file was deleted on purpose after the retention period; make a new one.

    Shared with evidence packs. Not a 404: the export is known and still listed, and the page
    says why it can't be had and what to do instead.
    """
    context = {
        "what": what,
        "made_at": made_at,
        "expired_at": expired_at,
        "sha256": sha256,
        "days": settings.SAFERPOL_EXPORT_RETENTION_DAYS,
        "again_url": again_url,
        "again_label": again_label,
    }
    return render(request, "exports/gone.html", context, status=410)


def export_missing_page(
    request: HttpRequest,
    *,
    what: str,
    description: str,
    made_at: datetime,
    sha256: str,
    again_url: str,
    again_label: str,
) -> HttpResponse:
    """410 Gone, in words: the file should still be here and isn't (lost, or deleted by hand); make a new one.

    Shared with evidence packs; the caller logs a warning for the operators. 410 like an expired
    one, not 404: to its owner the export is known and still listed, and a 404 is what everyone
    else gets for it, so it would read as "not yours" or "never existed". 410 says what is true of
    this link: its file won't be served here again, and a new export is a new link.
    """
    context = {
        "missing": True,
        "what": what,
        "description": description,
        "made_at": made_at,
        "sha256": sha256,
        "again_url": again_url,
        "again_label": again_label,
    }
    return render(request, "exports/gone.html", context, status=410)
