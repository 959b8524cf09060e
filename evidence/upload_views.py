"""Uploading evidence by hand: a screenshot (for an item held, or a new item typed from it) and
WhatsApp chat imports. Owners and co-moderators upload; comms officers see what was uploaded."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from evidence.models import Artefact, CustodyEvent
from evidence.uploads import (
    IMPORT_DONE,
    IMPORT_FAILED,
    IMPORT_QUEUED,
    IMPORT_RUNNING,
    MAX_CHAT_BYTES,
    MAX_SCREENSHOT_BYTES,
    MB,
    ManualItem,
    UploadRefused,
    import_progress_for_user,
    imports_for_user,
    item_code_from,
    read_upload,
    screenshot_upload,
    time_zone_named,
    whatsapp_upload,
)
from moderation import selectors
from moderation.models import AuditEvent, Item, Membership, Platform

CHANNELS = [
    ("whatsapp", "WhatsApp"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("x", "X (Twitter)"),
    ("tiktok", "TikTok"),
    ("youtube", "YouTube"),
    ("linkedin", "LinkedIn"),
    ("email", "Email"),
    ("sms", "Text message"),
    ("other", "Other (name it below)"),
]
DATE_ORDERS = [
    ("", "Work it out from the dates"),
    ("DMY", "Day/month/year (UK)"),
    ("MDY", "Month/day/year (US)"),
    ("YMD", "Year/month/day"),
]
# The page has three upload forms; each gets its own element ids.
NEW_IDS, ATTACH_IDS, WHATSAPP_IDS = "new_%s", "attach_%s", "whatsapp_%s"
_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class ScreenshotForm(forms.Form):
    """A screenshot for an item already held ("attach"), or for a new item typed from it ("new")."""

    mode = forms.ChoiceField(choices=[("new", "new"), ("attach", "attach")], initial="new", widget=forms.HiddenInput)
    account = forms.UUIDField(required=False)
    item = forms.CharField(required=False, max_length=300, label="The item's SaferPol link or code")
    screenshot = forms.FileField(
        label=f"Screenshot (PNG or JPEG, up to {MAX_SCREENSHOT_BYTES // MB} MB)",
        error_messages={"required": "Choose the screenshot to upload.", "empty": "The file is empty."},
    )
    channel = forms.ChoiceField(choices=CHANNELS, required=False, label="Where it was posted")
    channel_name = forms.CharField(required=False, max_length=60, label="Name of the channel, if Other")
    kind = forms.ChoiceField(choices=Item.Kind.choices, initial=Item.Kind.REPLY, required=False, label="What it is")
    author_handle = forms.CharField(required=False, max_length=100, label="Author's handle or name, as shown")
    author_name = forms.CharField(required=False, max_length=200, label="Author's display name (optional)")
    text = forms.CharField(
        required=False, max_length=20_000, strip=False, widget=forms.Textarea, label="The text, exactly as shown"
    )
    posted_at = forms.DateTimeField(
        required=False,
        input_formats=_DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        label="When it was posted (UK time)",
    )
    url = forms.URLField(required=False, max_length=500, assume_scheme="https", label="Link to it (optional)")
    note = forms.CharField(
        required=False, max_length=1000, label="Why you are uploading it (optional, kept in the custody log)"
    )

    def clean(self):
        data = super().clean()
        if data.get("mode") == "attach":
            if not item_code_from(data.get("item", "")):
                self.add_error("item", "Paste the link to the item's page in SaferPol, or its code.")
            return data
        if not data.get("account"):
            self.add_error("account", "Choose one of your accounts.")
        required = {
            "channel": "Choose where it was posted.",
            "author_handle": "Type the author's handle or name as the screenshot shows it.",
            "posted_at": "Give the date and time it was posted.",
        }
        for name, message in required.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        if not (data.get("text") or "").strip() and "text" not in self.errors:
            self.add_error("text", "Type the text exactly as the screenshot shows it.")
        if data.get("channel") == "other" and not data.get("channel_name", "").strip():
            self.add_error("channel_name", "Name the channel (for example: leaflet, Nextdoor, phone call).")
        posted_at = data.get("posted_at")
        if posted_at and posted_at > timezone.now() + timedelta(minutes=5):
            self.add_error("posted_at", "The time it was posted can't be in the future.")
        return data

    def manual_item(self) -> ManualItem:
        data = self.cleaned_data
        channel = data["channel"]
        label = data["channel_name"].strip() if channel == "other" else dict(CHANNELS)[channel]
        return ManualItem(
            platform=Platform.WHATSAPP if channel == "whatsapp" else Platform.MANUAL,
            channel=label,
            author_handle=data["author_handle"],
            author_name=data["author_name"],
            text=data["text"],
            posted_at=data["posted_at"],
            url=data["url"],
            kind=data["kind"] or Item.Kind.REPLY,
        )


class WhatsAppForm(forms.Form):
    account = forms.UUIDField(error_messages={"required": "Choose one of your accounts."})
    chat = forms.FileField(
        label=f"Exported chat: the .txt file (Android) or the .zip file (iPhone), up to {MAX_CHAT_BYTES // MB} MB",
        error_messages={"required": "Choose the exported chat to upload.", "empty": "The file is empty."},
    )
    time_zone = forms.CharField(
        required=False, max_length=60, initial=settings.TIME_ZONE, label="The phone's time zone (e.g. Europe/London)"
    )
    date_order = forms.ChoiceField(choices=DATE_ORDERS, required=False, label="How the dates are written")
    note = forms.CharField(
        required=False, max_length=1000, label="Why you are uploading it (optional, kept in the custody log)"
    )

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"].strip() or settings.TIME_ZONE
        try:
            time_zone_named(value)
        except UploadRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return value


def _account_for_upload(request: HttpRequest):
    """The account named in the form: 404 to anyone not on it, 403 to a member who can't decide.

    None when the form names no account (the form then says so)."""
    code = request.POST.get("account", "").strip()
    if not code:
        return None
    membership = Membership.objects.filter(user=request.user, account__code=_uuid_or_none(code)).first()
    if membership is None:
        raise Http404("No such account")
    if not membership.can_decide:
        raise PermissionDenied("Your role on this account can read the evidence but not upload it.")
    return membership.account


def _uuid_or_none(value: str):
    code = item_code_from(value)
    return code if code is not None and str(code) == value.lower() else None


def _page(request: HttpRequest, *, screenshot_form=None, whatsapp_form=None, attach_item=None, status=200):
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("account").order_by("account__handle")
    )
    uploaders = [m for m in memberships if m.can_decide]
    artefacts = list(
        Artefact.objects.filter(
            kind=Artefact.Kind.UPLOAD,
            status=Artefact.Status.CAPTURED,
            item__account__in=[m.account_id for m in memberships],
        )
        .select_related("item", "item__account")
        .order_by("-captured_at", "-id")[:50]
    )
    events = {
        event.object_code: event
        for event in CustodyEvent.objects.filter(
            action=CustodyEvent.Action.UPLOAD, object_type="artefact", object_code__in=[str(a.code) for a in artefacts]
        )
    }
    # A chat's counts are known once its import finishes: they are in that import's audit event.
    finished = {}
    for event in AuditEvent.objects.filter(
        verb=AuditEvent.Verb.EVIDENCE_UPLOAD,
        object_type="item",
        object_code__in=[str(a.item.code) for a in artefacts if a.media_type in ("text/plain", "application/zip")],
    ).order_by("at", "id"):
        if event.detail.get("job") and event.detail.get("state"):
            finished[event.detail["job"]] = event.detail
    uploads = []
    for artefact in artefacts:
        event = events.get(str(artefact.code))
        job = event.detail.get("job", "") if event is not None else ""
        uploads.append({"artefact": artefact, "event": event, "job": job, "import": finished.get(job)})
    bound = _mode(screenshot_form) if screenshot_form is not None else None
    return render(
        request,
        "evidence/upload.html",
        {
            "uploaders": uploaders,
            "has_accounts": bool(memberships),
            "screenshot_form": screenshot_form
            if bound == "new"
            else ScreenshotForm(initial={"mode": "new"}, auto_id=NEW_IDS),
            "attach_form": screenshot_form
            if bound == "attach"
            else ScreenshotForm(
                initial={"mode": "attach", "item": attach_item.code if attach_item else ""}, auto_id=ATTACH_IDS
            ),
            "attach_item": attach_item,
            "attach_can_upload": attach_item is not None
            and any(m.account_id == attach_item.account_id for m in uploaders),
            "whatsapp_form": whatsapp_form or WhatsAppForm(auto_id=WHATSAPP_IDS),
            "uploads": uploads,
            "imports": [_import_context(progress) for progress in imports_for_user(request.user)],
        },
        status=status,
    )


def _mode(form: ScreenshotForm) -> str:
    return "attach" if form.data.get("mode") == "attach" else "new"


@login_required
@require_GET
def uploads(request: HttpRequest) -> HttpResponse:
    """The upload forms, and the files uploaded to the person's accounts."""
    attach_item = None
    if request.GET.get("item"):
        code = item_code_from(request.GET["item"])
        if code is None:
            raise Http404("No such item")
        attach_item, _ = selectors.item_for_user(request.user, str(code))
    return _page(request, attach_item=attach_item)


@login_required
@require_POST
def upload_screenshot(request: HttpRequest) -> HttpResponse:
    attach = request.POST.get("mode") == "attach"
    item = None
    account = None
    if attach:
        code = item_code_from(request.POST.get("item", ""))
        if code is not None:
            item, _ = selectors.item_for_user(request.user, str(code), to_decide=True)
    else:
        account = _account_for_upload(request)
    form = ScreenshotForm(request.POST, request.FILES, auto_id=ATTACH_IDS if attach else NEW_IDS)
    if form.is_valid():
        upload = form.cleaned_data["screenshot"]
        try:
            data = read_upload(upload, limit=MAX_SCREENSHOT_BYTES)
            result = screenshot_upload(
                user=request.user,
                data=data,
                file_name=upload.name,
                content_type=upload.content_type or "",
                account=account,
                item=item,
                new_item=None if attach else form.manual_item(),
                note=form.cleaned_data["note"],
            )
        except UploadRefused as exc:
            form.add_error("screenshot", str(exc))
        else:
            what = "New item recorded with its screenshot" if result.item_created else "Screenshot added"
            flag = ""
            if result.item_created and result.flagged:
                flag = " It breaks a rule and is in the queue."
            elif result.for_review:
                flag = " It breaks no rule, but as you uploaded it, it is in the queue awaiting a decision."
            messages.success(request, f"{what}. SHA-256 {result.artefact.sha256}.{flag}")
            return redirect("moderation:item", code=result.item.code)
    return _page(request, screenshot_form=form, attach_item=item)


@login_required
@require_POST
def upload_whatsapp(request: HttpRequest) -> HttpResponse:
    """Check and keep the chat file now; its messages are imported in the background."""
    account = _account_for_upload(request)
    form = WhatsAppForm(request.POST, request.FILES, auto_id=WHATSAPP_IDS)
    if form.is_valid():
        upload = form.cleaned_data["chat"]
        try:
            data = read_upload(upload, limit=MAX_CHAT_BYTES)
            result = whatsapp_upload(
                user=request.user,
                account=account,
                data=data,
                file_name=upload.name,
                time_zone=form.cleaned_data["time_zone"],
                date_order=form.cleaned_data["date_order"] or None,
                note=form.cleaned_data["note"],
            )
        except UploadRefused as exc:
            form.add_error("chat", str(exc))
        else:
            for warning in result.warnings[:5]:
                messages.warning(request, warning)
            if not result.job:
                messages.info(request, result.summary())
                return redirect("evidence:uploads")
            messages.success(request, result.queued_summary())
            return redirect("evidence:whatsapp_import", job=result.job)
    return _page(request, whatsapp_form=form)


def _import_context(progress: dict) -> dict:
    messages_total = progress.get("messages") or 0
    read = min(progress.get("read", 0), messages_total) if messages_total else progress.get("read", 0)
    counts = ("messages", "new", "read", "created", "flagged", "duplicates")
    return {
        **progress,
        "n": {name: f"{progress.get(name) or 0:,}" for name in counts},  # 20,000 rather than 20000
        "percent": round(100 * read / messages_total) if messages_total else 0,
        "running": progress.get("state") in (IMPORT_QUEUED, IMPORT_RUNNING),
        "done": progress.get("state") == IMPORT_DONE,
        "failed": progress.get("state") == IMPORT_FAILED,
    }


@login_required
@require_GET
def whatsapp_import_status(request: HttpRequest, job) -> HttpResponse:
    """A chat import's page: how far it got, and what it found. Any member of the account may see it."""
    progress = import_progress_for_user(request.user, job)
    return render(request, "evidence/upload_import.html", {"progress": _import_context(progress)})


@login_required
@require_GET
def whatsapp_import_progress(request: HttpRequest, job) -> HttpResponse:
    """The progress fragment htmx polls; a plain visit gets the whole page."""
    progress = import_progress_for_user(request.user, job)
    if not request.htmx:
        return redirect("evidence:whatsapp_import", job=progress["job"])
    return render(request, "evidence/upload_import_progress.html", {"progress": _import_context(progress)})
