"""The incident log: reads scoped to a person's accounts, and writes that leave an audit and a custody trail.

Who may do what follows the moderation app: any member of the account reads its incidents,
the owner and co-moderators write them, and everyone else gets a 404 as if nothing were there.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from evidence.models import CustodyEvent, Incident
from evidence.services import custody_append
from moderation.models import AuditEvent, Author, CampaignAccount, Item, Membership
from moderation.services import audit_record

# The audit log's verb for incident changes. It is not one of AuditEvent.Verb's choices yet, so
# the audit page shows it as written; adding it there only needs a choices-only migration.
AUDIT_VERB = AuditEvent.Verb.INCIDENT

# The guides' fields, in the order the pages, incidents.json and the PDF show them.
TEXT_FIELDS = (
    ("what_happened", "What happened"),
    ("evidence_held", "Evidence held"),
    ("suspect", "Who did it, and why you believe so"),
    ("evidence_needed", "Evidence still needed"),
    ("impact", "Impact on you"),
    ("platform_references", "Platform reference numbers"),
    ("police_references", "Police reference numbers (crime or incident numbers)"),
)
EDITABLE_FIELDS = ("title", "author", "occurred_at", *(name for name, _ in TEXT_FIELDS), "status", "items")
CANNOT_WRITE = "Your role on this account can read the incident log but not change it."


class IncidentInvalid(Exception):
    """The incident can't be saved as asked; the message says why, in plain words."""


# --- Reads ----------------------------------------------------------------------------------


def incidents_for_user(user) -> QuerySet[Incident]:
    """Incidents of every account the person is a member of, most recently changed first."""
    account_ids = Membership.objects.filter(user=user).values("account_id")
    return (
        Incident.objects.filter(account_id__in=account_ids)
        .select_related("account", "author", "created_by", "updated_by")
        .order_by("-updated_at", "-id")
    )


def incident_for_user(user, code, *, to_write: bool = False) -> tuple[Incident, Membership]:
    """The incident, or 404 to anyone outside its account; 403 to members who may not write."""
    try:
        incident = Incident.objects.select_related("account", "author", "created_by", "updated_by").get(code=code)
    except (Incident.DoesNotExist, ValueError, TypeError):
        raise Http404("No such incident") from None
    membership = Membership.objects.filter(user=user, account=incident.account).first()
    if membership is None:
        raise Http404("No such incident")
    if to_write and not membership.can_decide:
        raise PermissionDenied(CANNOT_WRITE)
    return incident, membership


def account_to_write_for_user(user, code) -> CampaignAccount:
    """An account the person may open incidents on: 404 if they aren't on it, 403 if their role can't."""
    membership = (
        Membership.objects.filter(user=user, account__code=code).select_related("account").first()
        if _is_uuid(code)
        else None
    )
    if membership is None:
        raise Http404("No such account")
    if not membership.can_decide:
        raise PermissionDenied(CANNOT_WRITE)
    return membership.account


def writable_memberships(user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, role__in=["owner", "moderator"])
        .select_related("account")
        .order_by("account__handle")
    )


def candidate_items(
    *, account: CampaignAccount, author: Author | None, keep: list[Item], limit: int = 100
) -> list[Item]:
    """Items offered as ticks on the form: those already chosen, then the author's (or the account's
    most recent) flagged items."""
    chosen = {item.pk: item for item in keep}
    others = Item.objects.filter(account=account).exclude(status=Item.Status.CLEAR).exclude(pk__in=list(chosen))
    if author is not None:
        others = others.filter(author=author)
    others = others.select_related("author").order_by("-posted_at", "-id")[:limit]
    return [*chosen.values(), *others]


def author_on_account(*, account: CampaignAccount, handle: str) -> Author | None:
    """The author with that handle (an @ and letter case don't matter) who has items on the account."""
    handle = handle.strip().lstrip("@")
    if not handle:
        return None
    return (
        Author.objects.filter(handle__iexact=handle, items__account=account)
        .distinct()
        .order_by("-last_seen_at", "-id")
        .first()
    )


def pack_incidents(*, account: CampaignAccount, author_handle: str | None, since: date | None, items) -> list[Incident]:
    """The incidents an evidence pack carries: the account's, narrowed like its items.

    With an author, those about that author or holding one of their items; with a date, those
    holding an item of the pack, or that happened (or, without a time, were opened) on or after it.
    """
    incidents = Incident.objects.filter(account=account)
    if author_handle:
        incidents = incidents.filter(Q(author__handle=author_handle) | Q(items__author__handle=author_handle))
    if since:
        incidents = incidents.filter(
            Q(items__in=items)
            | Q(occurred_at__date__gte=since)
            | Q(occurred_at__isnull=True, created_at__date__gte=since)
        )
    return list(
        Incident.objects.filter(pk__in=incidents.values("pk"))
        .select_related("account", "author", "created_by", "updated_by")
        .prefetch_related("items")
        .order_by("occurred_at", "created_at", "id")
    )


def incident_record(incident: Incident, *, folders: dict[int, str] | None = None) -> dict:
    """The incident as a plain, JSON-ready record: for incidents.json, and hashed into the custody log."""
    folders = folders or {}
    author = incident.author
    return {
        "code": str(incident.code),
        "account": incident.account.handle,
        "platform": incident.account.platform,
        "title": incident.title,
        "author": {"handle": author.handle, "external_id": author.external_id} if author else None,
        "occurred_at": _iso(incident.occurred_at),
        **{name: getattr(incident, name) for name, _ in TEXT_FIELDS},
        "status": incident.status,
        "items": [
            {
                "code": str(item.code),
                "platform": item.platform,
                "external_id": item.external_id,
                "url": item.url,
                "folder": folders.get(item.pk),
            }
            for item in sorted(incident.items.all(), key=lambda i: (i.posted_at, i.pk))
        ],
        "created_by": incident.created_by.username,
        "created_at": _iso(incident.created_at),
        "updated_by": incident.updated_by.username,
        "updated_at": _iso(incident.updated_at),
    }


def incident_events(incident: Incident) -> QuerySet[CustodyEvent]:
    return CustodyEvent.objects.filter(object_type="incident", object_code=str(incident.code)).order_by("-id")


# --- Writes ---------------------------------------------------------------------------------


def _clean(*, account: CampaignAccount, data: dict) -> dict:
    """Check the values against the account; the message says what is wrong."""
    values = {name: data.get(name) for name in EDITABLE_FIELDS}
    values["title"] = (values["title"] or "").strip()
    for name, _ in TEXT_FIELDS:
        values[name] = (values[name] or "").strip()
    if not values["what_happened"]:
        raise IncidentInvalid("Say what happened.")
    author = values["author"]
    if author is not None and not Item.objects.filter(account=account, author=author).exists():
        raise IncidentInvalid(f"@{author.handle} has no replies on @{account.handle}.")
    if author is None and not values["title"]:
        raise IncidentInvalid("Give the incident a title, or name the author it is about.")
    items = list(values["items"] or [])
    foreign = [item for item in items if item.account_id != account.pk]
    if foreign:
        raise IncidentInvalid(f"Only replies to @{account.handle} can be part of this incident.")
    values["items"] = items
    values["status"] = values["status"] or Incident.Status.OPEN
    if values["status"] not in Incident.Status.values:
        raise IncidentInvalid("Choose open or closed.")
    return values


def _changes(incident: Incident, values: dict, *, before_items: set[int]) -> dict:
    """What changed, as JSON-ready new values, for the custody log (so each version can be told apart)."""
    changed: dict = {}
    for name in EDITABLE_FIELDS:
        if name == "items":
            if {item.pk for item in values["items"]} != before_items:
                changed["items"] = sorted(str(item.code) for item in values["items"])
        elif name == "author":
            if values["author"] != incident.author:
                changed["author"] = values["author"].handle if values["author"] else None
        elif name == "occurred_at":
            if values["occurred_at"] != incident.occurred_at:
                changed["occurred_at"] = _iso(values["occurred_at"])
        elif values[name] != getattr(incident, name):
            changed[name] = values[name]
    return changed


def _require_writer(*, user, account: CampaignAccount) -> None:
    membership = Membership.objects.filter(user=user, account=account).first()
    if membership is None or not membership.can_decide:
        raise PermissionDenied(CANNOT_WRITE)


def _save(incident: Incident, values: dict) -> None:
    """Store the checked values on the incident, its replies included."""
    for name in EDITABLE_FIELDS:
        if name != "items":
            setattr(incident, name, values[name])
    incident.save()
    incident.items.set(values["items"])


def _record_change(
    *, incident: Incident, user, action: str, verb_summary: str, changes: dict, reason: str, ip_address
) -> None:
    record = incident_record(incident)
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    detail = {
        "account": str(incident.account.code),
        "changes": changes,
        "record_sha256": hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    }
    custody_append(action=action, obj=incident, actor=user, reason=reason, detail=detail)
    audit_record(
        verb=AUDIT_VERB,
        actor=user,
        account=incident.account,
        obj=incident,
        summary=f"{verb_summary}: {incident.label} on @{incident.account.handle}. Reason: {reason}",
        detail={"incident": str(incident.code), "changed": sorted(changes), "reason": reason},
        ip_address=ip_address,
    )


@transaction.atomic
def incident_create(
    *, account: CampaignAccount, user, data: dict, reason: str = "", ip_address: str | None = None
) -> Incident:
    """Open an incident on an account; the person must be its owner or a co-moderator."""
    _require_writer(user=user, account=account)
    values = _clean(account=account, data=data)
    incident = Incident(account=account, created_by=user, updated_by=user)
    changes = _changes(incident, values, before_items=set())
    _save(incident, values)
    _record_change(
        incident=incident,
        user=user,
        action=CustodyEvent.Action.INCIDENT_OPEN,
        verb_summary="Incident opened",
        changes=changes,
        reason=reason.strip() or "incident opened from the dashboard",
        ip_address=ip_address,
    )
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, user, data: dict, reason: str, ip_address: str | None = None) -> bool:
    """Change an incident; False (and nothing recorded) when nothing changed. A reason is required."""
    _require_writer(user=user, account=incident.account)
    reason = reason.strip()
    if not reason:
        raise IncidentInvalid("Say why you are changing the incident; it goes into the custody log.")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    values = _clean(account=incident.account, data=data)
    before_items = set(incident.items.values_list("pk", flat=True))
    changes = _changes(incident, values, before_items=before_items)
    if not changes:
        return False
    incident.updated_by = user
    _save(incident, values)
    summary = "Incident closed" if changes.get("status") == Incident.Status.CLOSED else "Incident updated"
    if changes.get("status") == Incident.Status.OPEN:
        summary = "Incident reopened"
    _record_change(
        incident=incident,
        user=user,
        action=CustodyEvent.Action.INCIDENT_UPDATE,
        verb_summary=summary,
        changes=changes,
        reason=reason,
        ip_address=ip_address,
    )
    return True


def _iso(value) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
