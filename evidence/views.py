"""Evidence from the dashboard: packs (ask for one by filters or by picking replies, see its SHA-256,
download it), the stored files of an item (each view and reveal logged in the custody log), notes
and redacted copies made from them, and the custody log itself."""

from __future__ import annotations

import logging
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_tables2 import RequestConfig

from evidence.models import Artefact, CustodyEvent, Pack
from evidence.pack import (
    MAX_SELECTED_ITEMS,
    PACK_FILE_NAMES,
    PackError,
    extension_for,
    folder_name,
    pack_create,
    pack_download_record,
)
from evidence.redactions import (
    MAX_NOTE_CHARS,
    EvidenceNoteRefused,
    artefact_annotate,
    artefact_redact,
    is_redactable,
    parse_rectangles,
    picture_size,
)
from evidence.selectors import INLINE_IMAGE_TYPES, artefact_for_user, custody_events_for_user
from evidence.services import artefact_path, custody_append, file_sha256
from evidence.tables import CustodyTable
from moderation.export_views import export_expired_page, export_missing_page
from moderation.exports import ExportFileRefused, exported_file
from moderation.models import Item, Membership
from moderation.selectors import item_for_user
from moderation.views import page_number, paginate_lazily
from saferpol.client_address import client_ip

logger = logging.getLogger(__name__)

# Session key: the pictures this person chose to show on item pages (until they hide them again).
REVEALED_SESSION_KEY = "evidence_revealed"
_REVEALED_KEEP = 200
# Session key: the replies this person picked for a pack, as item codes, in the order picked.
SELECTION_SESSION_KEY = "evidence_pack_selection"


class PackForm(forms.Form):
    account = forms.UUIDField(error_messages={"invalid": "Choose one of your accounts."})
    author = forms.CharField(required=False, max_length=100, label="Only this author (handle)")
    since = forms.DateField(required=False, label="Posted on or after", widget=forms.DateInput(attrs={"type": "date"}))
    redacted = forms.BooleanField(required=False, label="Use redacted copies")


class AnnotationForm(forms.Form):
    note = forms.CharField(
        label="Note",
        max_length=MAX_NOTE_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Write the note.",
            "max_length": f"The note is longer than {MAX_NOTE_CHARS:,} characters; shorten it.",
        },
        help_text="Stored as a new file beside this one, with your name; this file itself is never changed.",
    )
    reason = forms.CharField(
        label="Why you are adding it (optional, kept in the custody log)", required=False, max_length=500
    )


class RedactionForm(forms.Form):
    rectangles = forms.CharField(
        label="Areas to black out, one per line: x, y, width, height (in pixels)",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "10, 20, 200, 50"}),
        error_messages={"required": "Give at least one area to black out: x, y, width, height."},
        help_text="x and y are measured from the picture's top-left corner.",
    )
    reason = forms.CharField(
        label="Why you are redacting it (kept in the custody log)",
        max_length=500,
        error_messages={"required": "Say why you are redacting it; the reason goes into the custody log."},
    )

    def clean_rectangles(self):
        try:
            return parse_rectangles(self.cleaned_data["rectangles"])
        except EvidenceNoteRefused as exc:
            raise forms.ValidationError(str(exc)) from None


def _selection(request: HttpRequest) -> list[str]:
    value = request.session.get(SELECTION_SESSION_KEY, [])
    return [code for code in value if isinstance(code, str)] if isinstance(value, list) else []


def _items_by_code(request: HttpRequest, codes: list[str]) -> dict[str, Item]:
    """Those of the replies named by these codes that are on the person's accounts, by code."""
    return {
        str(item.code): item
        for item in Item.objects.filter(code__in=codes, account__memberships__user=request.user).select_related(
            "account", "author"
        )
    }


def _selected_items(request: HttpRequest) -> list[Item]:
    """The picked replies still on the person's accounts, in the order picked."""
    codes = _selection(request)
    if not codes:
        return []
    found = _items_by_code(request, codes)
    return [found[code] for code in codes if code in found]


@login_required
@require_GET
def packs(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("account").order_by("account__handle")
    selection = _selected_items(request)
    return render(
        request,
        "evidence/packs.html",
        {
            "memberships": memberships,
            "form": PackForm(),
            "selection": selection,
            "selection_account": selection[0].account if selection else None,
            "packs": Pack.objects.filter(exporter=request.user)
            .select_related("account")
            .annotate(picked=Count("selected_items"))
            .order_by("-created_at")[:50],
            "retention_days": settings.SAFERPOL_EXPORT_RETENTION_DAYS,
        },
    )


def _pack_message(request: HttpRequest, pack: Pack) -> None:
    if pack.status == Pack.Status.DONE:
        messages.success(request, f"Evidence pack ready: {pack.items} items. SHA-256 {pack.sha256}")
    elif pack.status == Pack.Status.FAILED:
        messages.error(request, f"The evidence pack of {pack.items} items failed: {pack.error}")
    else:
        messages.info(
            request,
            f"The evidence pack of {pack.items:,} items is being built in the background. "
            "Its status is shown below; reload the page to see when it is ready.",
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
            redacted=form.cleaned_data["redacted"],
        )
    except PackError as exc:
        messages.error(request, str(exc))
        return redirect("evidence:packs")
    _pack_message(request, pack)
    return redirect("evidence:packs")


def _posted_items(request: HttpRequest) -> list[Item]:
    """The replies named in the form, each on one of the person's accounts: 404 otherwise.

    Like any object of someone else's, a reply the person can't see is as unknown as one that
    doesn't exist, and one unknown reply refuses the whole request.
    """
    codes: list[str] = []
    for value in request.POST.getlist("items"):
        code = str(uuid_or_404(value))
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_SELECTED_ITEMS:
        raise Http404("No such item")
    found = _items_by_code(request, codes)
    if len(found) != len(codes):
        raise Http404("No such item")
    return [found[code] for code in codes]


def _to_packs(request: HttpRequest) -> HttpResponse:
    url = reverse("evidence:packs") + "#selection"
    # The queue posts with htmx into its results; the pick is shown on the packs page instead.
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
@require_POST
def pack_select(request: HttpRequest) -> HttpResponse:
    """Add replies to the person's pick for a pack (or, with ``remove``, take them out of it).

    A pack is one account's: replies of another account than those already picked are refused
    with a message, and nothing is added.
    """
    items = _posted_items(request)
    if not items:
        messages.error(request, "Tick the replies to add first.")
        return _to_packs(request)
    codes = [str(item.code) for item in items]
    current = _selected_items(request)
    if request.POST.get("remove"):
        kept = [str(item.code) for item in current if str(item.code) not in codes]
        request.session[SELECTION_SESSION_KEY] = kept
        removed = len(current) - len(kept)
        messages.info(request, f"Removed {removed} repl{'y' if removed == 1 else 'ies'} from the pick.")
        return _to_packs(request)
    accounts = {item.account for item in [*current, *items]}
    if len(accounts) > 1:
        handles = ", ".join(sorted(f"@{account.handle}" for account in accounts))
        messages.error(
            request,
            f"An evidence pack holds one account's replies, and these are on {handles}. Nothing was added: "
            "build or clear the current pick first, or pick replies of one account.",
        )
        return _to_packs(request)
    picked = [str(item.code) for item in current]
    added = [code for code in codes if code not in picked]
    if len(picked) + len(added) > MAX_SELECTED_ITEMS:
        messages.error(
            request,
            f"A pick holds at most {MAX_SELECTED_ITEMS:,} replies; nothing was added. Use the filters for more.",
        )
        return _to_packs(request)
    request.session[SELECTION_SESSION_KEY] = picked + added
    total = len(picked) + len(added)
    messages.success(
        request,
        f"Added {len(added)} repl{'y' if len(added) == 1 else 'ies'} to the evidence pack pick "
        f"({total} in all). Build the pack below when it holds everything.",
    )
    return _to_packs(request)


@login_required
@require_POST
def pack_selection_build(request: HttpRequest) -> HttpResponse:
    """Build a pack of exactly the replies named in the form; they must be one account's."""
    items = _posted_items(request)
    if not items:
        messages.error(request, "Pick the replies to pack first: tick them in the queue, or add one from its page.")
        return redirect("evidence:packs")
    accounts = {item.account for item in items}
    if len(accounts) > 1:
        handles = ", ".join(sorted(f"@{account.handle}" for account in accounts))
        messages.error(
            request,
            f"An evidence pack holds one account's replies, and these are on {handles}. Nothing was built.",
        )
        return redirect("evidence:packs")
    try:
        pack = pack_create(
            user=request.user,
            account=items[0].account,
            item_codes=[item.code for item in items],
            redacted=bool(request.POST.get("redacted")),
        )
    except PackError as exc:
        messages.error(request, str(exc))
        return redirect("evidence:packs")
    built = {str(item.code) for item in items}
    request.session[SELECTION_SESSION_KEY] = [code for code in _selection(request) if code not in built]
    _pack_message(request, pack)
    return redirect("evidence:packs")


@login_required
@require_GET
def pack_download(request: HttpRequest, code: str) -> HttpResponse:
    pack = Pack.objects.filter(code=code, exporter=request.user).select_related("account").first()
    if pack is not None and pack.expired_at is not None:
        return export_expired_page(
            request,
            what="evidence pack",
            made_at=pack.finished_at or pack.created_at,
            expired_at=pack.expired_at,
            sha256=pack.sha256,
            again_url=reverse("evidence:packs"),
            again_label="Build a new pack",
        )
    if pack is None or pack.status != Pack.Status.DONE:
        raise Http404("No such pack")
    try:
        # Only ever a file the pack builder wrote, directly in packs/, whatever the row names.
        path = exported_file(pack.file_name, folder="packs")
    except ExportFileRefused:
        logger.error("Evidence pack %s names %r, outside packs/: refused", pack.code, pack.file_name)
        raise Http404("No such pack") from None
    try:
        if path is None:
            raise FileNotFoundError(2, "the pack names no file")
        handle = path.open("rb")
    except OSError as exc:
        # Ready and not expired, so its ZIP should be here: lost with a disk, or deleted by hand.
        logger.warning(
            "Evidence pack %s of @%s (made %s, SHA-256 %s) is ready but its file %s can't be opened (%s); "
            "it must be built again",
            pack.code,
            pack.account.handle,
            (pack.finished_at or pack.created_at).isoformat(),
            pack.sha256,
            path,
            exc.strerror or exc,
        )
        return export_missing_page(
            request,
            what="evidence pack",
            description=f"An evidence pack of {pack.items:,} item{'' if pack.items == 1 else 's'} "
            f"from @{pack.account.handle}",
            made_at=pack.finished_at or pack.created_at,
            sha256=pack.sha256,
            again_url=reverse("evidence:packs"),
            again_label="Build a new pack",
        )
    try:
        # Logged once the file is open, so a download that can't be served is never recorded as taken.
        pack_download_record(pack=pack, user=request.user, ip_address=client_ip(request))
    except BaseException:
        handle.close()
        raise
    response = FileResponse(
        handle,
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
        name = f"{artefact.kind}-{artefact.code}.{extension_for(artefact.media_type)}"
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
    back = _item_evidence_url(artefact)
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


def _item_evidence_url(artefact: Artefact) -> str:
    return reverse("moderation:item", kwargs={"code": artefact.item.code}) + "#evidence"


def _writable_artefact(request: HttpRequest, code: str) -> Artefact:
    """The artefact for its account's owner or co-moderators: 404 to outsiders, 403 to comms."""
    artefact, membership = artefact_for_user(request.user, code)
    if not membership.can_decide:
        raise PermissionDenied("Your role on this account can read the evidence but not annotate or redact it.")
    return artefact


@login_required
@require_http_methods(["GET", "POST"])
def artefact_note(request: HttpRequest, code: str) -> HttpResponse:
    """Add a note about a stored file: a new write-once file, logged as an ANNOTATE event."""
    artefact = _writable_artefact(request, code)
    form = AnnotationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            annotation = artefact_annotate(
                artefact=artefact,
                user=request.user,
                note=form.cleaned_data["note"],
                reason=form.cleaned_data["reason"],
            )
        except EvidenceNoteRefused as exc:
            form.add_error("note", str(exc))
        else:
            messages.success(request, f"Note stored beside the file. SHA-256 {annotation.sha256}")
            return redirect(_item_evidence_url(artefact))
    return render(
        request,
        "evidence/annotate.html",
        {"artefact": artefact, "form": form, "back": _item_evidence_url(artefact)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def artefact_redaction(request: HttpRequest, code: str) -> HttpResponse:
    """Make a copy of a picture with areas filled black, logged as a REDACT event; the original stays."""
    artefact = _writable_artefact(request, code)
    redactable = is_redactable(artefact)
    form = RedactionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            redaction = artefact_redact(
                artefact=artefact,
                user=request.user,
                rectangles=form.cleaned_data["rectangles"],
                reason=form.cleaned_data["reason"],
            )
        except EvidenceNoteRefused as exc:
            form.add_error("rectangles", str(exc))
        else:
            messages.success(request, f"Redacted copy stored; the original is unchanged. SHA-256 {redaction.sha256}")
            return redirect(_item_evidence_url(artefact))
    size = picture_size(artefact) if redactable else None
    return render(
        request,
        "evidence/redact.html",
        {
            "artefact": artefact,
            "form": form,
            "redactable": redactable,
            "width": size[0] if size else None,
            "height": size[1] if size else None,
            "revealed": str(artefact.code) in request.session.get(REVEALED_SESSION_KEY, []),
            "back": _item_evidence_url(artefact),
        },
    )


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
    paginate_lazily(table, page=page_number(request.GET), per_page=50)
    return render(
        request,
        "evidence/custody.html",
        {"table": table, "item": item, "account": account, "memberships": memberships},
    )
