"""Reads for the API: the person's items, filtered, a page at a time, without counting rows."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from api.schemas import ItemFilters
from moderation.models import Decision, Item, RuleHit, Severity
from moderation.selectors import accounts_for_user, items_for_user

SEVERITY_BY_NAME = {member.label: member.value for member in Severity}
NEEDS_DECISION = (Item.Status.OPEN, Item.Status.ESCALATED)


class InvalidQuery(ValueError):
    """A filter or cursor the API can't use; the message says why, for the caller."""


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended, in the queue's order: severity, posted_at, id (all descending)."""

    severity: int
    posted_at: datetime
    id: int

    def encode(self) -> str:
        payload = json.dumps([self.severity, self.posted_at.isoformat(), self.id], separators=(",", ":"))
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    @classmethod
    def after(cls, item: Item) -> Cursor:
        return cls(severity=item.severity, posted_at=item.posted_at, id=item.pk)

    @classmethod
    def decode(cls, raw: str) -> Cursor:
        try:
            payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
            severity, posted_at, pk = payload
            if not (isinstance(severity, int) and isinstance(pk, int) and isinstance(posted_at, str)):
                raise ValueError
            if severity not in SEVERITY_BY_NAME.values() or not 0 <= pk < 2**63:
                raise ValueError
            return cls(severity=severity, posted_at=_aware_utc(posted_at), id=pk)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, OverflowError):
            # The caller only ever gets cursors from our next links; anything else is tampered or truncated.
            raise InvalidQuery("cursor: not one this API gave out; follow the 'next' link as it is.") from None


def _aware_utc(raw: str) -> datetime:
    """An ISO date or date-time in UTC; a date or a time without an offset is UK time."""
    value = parse_datetime(raw.strip())  # also takes a bare date, as midnight
    if value is None:
        raise ValueError(raw)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    # Converting now surfaces out-of-range values here rather than in the database driver.
    return value.astimezone(UTC)


def _decisions_prefetch() -> Prefetch:
    return Prefetch(
        "decisions",
        queryset=Decision.objects.select_related("decided_by", "action").order_by("-decided_at", "-id"),
    )


def _with_details(queryset: QuerySet[Item]) -> QuerySet[Item]:
    """Everything item_out reads, in a fixed number of queries however long the page."""
    return queryset.select_related("in_reply_to").prefetch_related(_decisions_prefetch())


def api_items(user, filters: ItemFilters) -> QuerySet[Item]:
    """The person's items, most severe then newest first, with the filters and cursor applied."""
    queryset = _with_details(items_for_user(user))

    if filters.status == "needs_decision":
        queryset = queryset.filter(status__in=NEEDS_DECISION)
    elif filters.status != "all":
        queryset = queryset.filter(status=filters.status)

    if filters.rule is not None:
        queryset = queryset.filter(Exists(RuleHit.objects.filter(item=OuterRef("pk"), rule=filters.rule)))

    if filters.severity is not None:
        threshold = int(filters.severity) if filters.severity.isdigit() else SEVERITY_BY_NAME[filters.severity]
        if threshold > Severity.NONE:
            queryset = queryset.filter(severity__gte=threshold)

    if filters.account:
        queryset = queryset.filter(account__in=_accounts_named(user, filters.account))

    if filters.since:
        try:
            since = _aware_utc(filters.since)
        except (ValueError, OverflowError):
            raise InvalidQuery("since: must be an ISO date (2025-05-01) or date-time (2025-05-01T18:30:00Z).") from None
        queryset = queryset.filter(posted_at__gte=since)

    if filters.cursor:
        after = Cursor.decode(filters.cursor)
        queryset = queryset.filter(
            Q(severity__lt=after.severity)
            | Q(severity=after.severity, posted_at__lt=after.posted_at)
            | Q(severity=after.severity, posted_at=after.posted_at, id__lt=after.id)
        )
    return queryset


def _accounts_named(user, value: str) -> list[int]:
    """The person's accounts with this code or handle; the same answer whether or not others have it."""
    value = value.strip()
    if "\x00" in value:
        raise InvalidQuery("account: must not contain NUL characters.")
    accounts = accounts_for_user(user)
    try:
        matches = accounts.filter(code=uuid.UUID(value))
    except ValueError:
        matches = accounts.filter(handle__iexact=value.removeprefix("@"))
    ids = list(matches.values_list("id", flat=True))
    if not ids:
        raise InvalidQuery("account: none of your accounts has that handle or code.")
    return ids


def item_code(code: str) -> uuid.UUID:
    """A code from a URL; a malformed one is answered like an unknown one."""
    try:
        return uuid.UUID(code)
    except (ValueError, TypeError, AttributeError):
        raise Http404("No such item") from None


def api_item(user, code: str) -> Item:
    """One of the person's items by code; 404 alike for a stranger's item, an unknown code or a malformed one."""
    item = _with_details(items_for_user(user)).filter(code=item_code(code)).first()
    if item is None:
        raise Http404("No such item")
    return item


def decision_with_outcome(decision: Decision) -> Decision:
    """The decision re-read, so its action shows what the platform did after commit."""
    return Decision.objects.select_related("decided_by", "action").get(pk=decision.pk)
