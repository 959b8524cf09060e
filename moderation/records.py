"""One item as a plain record: the field names the JSON API and the log exports share.

Values are JSON-ready (ISO 8601 times, string codes). Expects `account`, `author`, `hits` and
`decisions` (with `decided_by` and `action`) loaded, as the API's and the exports' querysets do.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.dateparse import parse_datetime

from moderation.models import Action, Decision, Item, Severity

AUTHOR_FIELDS = (
    "handle",
    "external_id",
    "display_name",
    "created_at",
    "followers_count",
    "following_count",
    "default_avatar",
    "bio",
    "verified",
)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _snapshot_time(value: object) -> str | None:
    """A time from a stored snapshot, re-checked: an unreadable one becomes None."""
    if isinstance(value, datetime):
        return value.isoformat()
    if not value:
        return None
    try:
        parsed = parse_datetime(str(value))
    except ValueError:
        return None
    return parsed.isoformat() if parsed else None


def author_record(item: Item) -> dict:
    """The author as seen with this item; the live profile fills fields the snapshot lacks."""
    snapshot = item.author_snapshot if isinstance(item.author_snapshot, dict) else {}
    author = item.author
    live = {
        "handle": author.handle,
        "external_id": author.external_id,
        "display_name": author.display_name,
        "created_at": author.profile_created_at,
        "followers_count": author.followers_count,
        "following_count": author.following_count,
        "default_avatar": author.default_avatar,
        "bio": author.bio,
        "verified": author.verified,
    }
    values = {name: snapshot[name] if name in snapshot else live[name] for name in AUTHOR_FIELDS}
    values["created_at"] = _snapshot_time(values["created_at"])
    for name in ("handle", "external_id", "display_name", "bio"):
        values[name] = values[name] or ""
    values["default_avatar"] = bool(values["default_avatar"])
    values["verified"] = bool(values["verified"])
    return values


def outcome_record(action: Action | None) -> dict | None:
    """What became of the platform action a decision caused; None when there was none (dismiss)."""
    if action is None:
        return None
    return {"status": action.status, "error": action.last_error or None, "guidance": action.guidance or None}


def decision_record(decision: Decision) -> dict:
    try:
        action = decision.action
    except Action.DoesNotExist:
        action = None
    return {
        "action": decision.kind,
        "by": decision.decided_by.username,
        "at": iso(decision.decided_at),
        "note": decision.note,
        "outcome": outcome_record(action),
    }


def item_record(item: Item) -> dict:
    return {
        "code": str(item.code),
        "platform": item.platform,
        "account": item.account.handle,
        "external_id": item.external_id,
        "kind": item.kind,
        "url": item.url,
        "text": item.text,
        "posted_at": iso(item.posted_at),
        "received_at": iso(item.received_at),
        "author": author_record(item),
        "hits": [hit.as_dict() for hit in item.hits.all()],
        "severity": Severity(item.severity).label,
        "status": item.status,
        "decisions": [decision_record(decision) for decision in item.decisions.all()],
    }
