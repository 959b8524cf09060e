"""The incident log pages: list, open, read and change incidents about an author or a case."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from evidence import incidents
from evidence.forms import IncidentForm, incident_initial
from evidence.models import Incident
from evidence.tables import IncidentTable
from evidence.views import uuid_or_404
from moderation.models import Author, CampaignAccount, Item, Membership
from moderation.selectors import item_for_user
from moderation.views import page_number, paginate_lazily
from saferpol.client_address import client_ip

_FIELD_LABELS = {
    "title": "title",
    "author": "author",
    "occurred_at": "when it happened",
    "status": "status",
    "items": "replies",
    **{name: label.split(" (")[0].lower() for name, label in incidents.TEXT_FIELDS},
}


def _uuids(values) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


def _form(
    request: HttpRequest,
    *,
    account: CampaignAccount,
    incident: Incident | None = None,
    initial: dict | None = None,
    keep: list[Item] = (),
) -> IncidentForm:
    """The form with the replies it offers: those chosen, then the author's (or the account's recent) ones."""
    keep = list(keep)
    author: Author | None = incident.author if incident else (initial or {}).get("author_object")
    if request.method == "POST":
        posted = Item.objects.filter(account=account, code__in=_uuids(request.POST.getlist("items")))
        keep += list(posted.select_related("author"))
        author = incidents.author_on_account(account=account, handle=request.POST.get("author", "")) or author
    if incident is not None:
        keep += list(incident.items.select_related("author"))
    unique = list({item.pk: item for item in keep}.values())
    candidates = incidents.candidate_items(account=account, author=author, keep=unique)
    return IncidentForm(
        request.POST if request.method == "POST" else None,
        account=account,
        candidates=candidates,
        reason_required=incident is not None,
        initial=initial,
    )


@login_required
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("account").order_by("account__handle")
    )
    rows = incidents.incidents_for_user(request.user)
    chosen = request.GET.get("account", "")
    if chosen:
        codes = _uuids([chosen])
        rows = rows.filter(account__code=codes[0]) if codes else rows.none()
    status = request.GET.get("status", "")
    if status in Incident.Status.values:
        rows = rows.filter(status=status)
    table = IncidentTable(rows.annotate(item_count=Count("items")))
    RequestConfig(request, paginate=False).configure(table)
    paginate_lazily(table, page=page_number(request.GET), per_page=50)
    return render(
        request,
        "evidence/incidents.html",
        {
            "table": table,
            "memberships": memberships,
            "can_write_any": any(m.can_decide for m in memberships),
            "chosen_account": chosen,
            "chosen_status": status,
            "statuses": Incident.Status.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    """Open an incident. ``?item=<code>`` (from a reply's page) fills in the account, author and reply."""
    initial: dict = {}
    keep: list[Item] = []
    account_code = request.POST.get("account") if request.method == "POST" else request.GET.get("account")
    item_code = request.GET.get("item", "") if request.method == "GET" else ""
    if item_code:
        item, _ = item_for_user(request.user, uuid_or_404(item_code))
        account_code = str(item.account.code)
        keep = [item]
        initial = {"author": item.author.handle, "author_object": item.author, "items": [item.code]}
    if not account_code:
        writable = list(incidents.writable_memberships(request.user))
        if not writable:
            raise PermissionDenied("Your role on your accounts can read the incident log but not change it.")
        if len(writable) > 1:
            return render(request, "evidence/incident_account.html", {"memberships": writable})
        account_code = str(writable[0].account.code)
    account = incidents.account_to_write_for_user(request.user, account_code)

    form = _form(request, account=account, initial=initial, keep=keep)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            incident = incidents.incident_create(
                account=account,
                user=request.user,
                data=data,
                reason=data.pop("reason", ""),
                ip_address=client_ip(request),
            )
        except incidents.IncidentInvalid as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Incident opened. It is in the custody log with your name.")
            return redirect("evidence:incident", code=incident.code)
    return render(
        request,
        "evidence/incident_form.html",
        {"form": form, "account": account, "incident": None},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def incident_detail(request: HttpRequest, code: str) -> HttpResponse:
    incident, membership = incidents.incident_for_user(request.user, code)
    return render(
        request,
        "evidence/incident_detail.html",
        {
            "incident": incident,
            "membership": membership,
            "fields": [(label, getattr(incident, name)) for name, label in incidents.TEXT_FIELDS],
            "items": incident.items.select_related("author").order_by("posted_at", "id"),
            "events": [
                (event, [_FIELD_LABELS.get(name, name) for name in (event.detail or {}).get("changes", {})])
                for event in incidents.incident_events(incident)[:50]
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, code: str) -> HttpResponse:
    incident, _ = incidents.incident_for_user(request.user, code, to_write=True)
    form = _form(request, account=incident.account, incident=incident, initial=incident_initial(incident))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            changed = incidents.incident_update(
                incident=incident,
                user=request.user,
                data=data,
                reason=data.pop("reason", ""),
                ip_address=client_ip(request),
            )
        except incidents.IncidentInvalid as exc:
            form.add_error(None, str(exc))
        else:
            if changed:
                messages.success(request, "Incident updated. The change is in the custody log with your name.")
            else:
                messages.info(request, "Nothing changed, so nothing was recorded.")
            return redirect("evidence:incident", code=incident.code)
    return render(
        request,
        "evidence/incident_form.html",
        {"form": form, "account": incident.account, "incident": incident},
        status=400 if form.is_bound else 200,
    )
