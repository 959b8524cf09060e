"""What the API reads and writes, and how a stored item becomes its JSON form.

Field names here are a contract with the people and scripts that use the API: add fields,
never rename or remove them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import field_validator

from moderation.models import Decision, Item
from moderation.records import decision_record, item_record

SeverityName = Literal["none", "low", "medium", "high", "critical"]
ItemStatus = Literal["clear", "open", "escalated", "actioned", "dismissed"]
ActionName = Literal["hide", "mute", "block", "report", "delete", "dismiss", "escalate", "unhide", "unmute", "missed"]
ActionStatus = Literal["pending", "done", "failed", "manual"]
StatusFilter = Literal["open", "escalated", "actioned", "dismissed", "clear", "needs_decision", "all"]
SeverityFilter = Literal["none", "low", "medium", "high", "critical", "0", "1", "2", "3", "4"]

MAX_NOTE_LENGTH = 5000


class ErrorOut(Schema):
    detail: str


class AuthorOut(Schema):
    """The author's profile exactly as it was seen with this item (evidence, not today's profile)."""

    handle: str
    external_id: str
    display_name: str
    created_at: datetime | None
    followers_count: int | None
    following_count: int | None
    default_avatar: bool
    bio: str
    verified: bool


class HitOut(Schema):
    rule: int
    category: str
    score: float
    severity: SeverityName
    reason: str


class OutcomeOut(Schema):
    """What became of the platform action a decision caused."""

    status: ActionStatus
    error: str | None = Field(None, description="Why the platform refused, when it did.")
    guidance: str | None = Field(None, description="What to do by hand, for a guided manual step.")


class ItemDecisionOut(Schema):
    action: ActionName
    by: str = Field(description="Username of the person who decided.")
    at: datetime
    note: str
    outcome: OutcomeOut | None = Field(description="Null when the decision needs no platform action (dismiss).")


class DecisionOut(Schema):
    code: UUID
    action: ActionName
    by: str
    at: datetime
    note: str
    outcome: OutcomeOut | None


class ItemOut(Schema):
    code: UUID
    platform: str
    account: str = Field(description="The campaign account's handle.")
    external_id: str
    url: str
    text: str
    author: AuthorOut
    hits: list[HitOut]
    severity: SeverityName
    status: ItemStatus
    decisions: list[ItemDecisionOut] = Field(description="Newest first.")
    kind: str
    posted_at: datetime
    received_at: datetime
    in_reply_to: str | None = Field(description="Text of the account's post this replies to, when known.")


class ItemPage(Schema):
    results: list[ItemOut]
    next: str | None = Field(description="URL of the next page, or null on the last page.")


class DecisionCreatedOut(Schema):
    decision: DecisionOut
    item: ItemOut


class ItemFilters(Schema):
    status: StatusFilter = Field("all", description="needs_decision means open or escalated.")
    rule: int | None = Field(None, ge=1, le=5, description="Only items that broke this rule (1-5).")
    severity: SeverityFilter | None = Field(None, description="This severity or worse, by name or number 0-4.")
    account: str | None = Field(None, max_length=200, description="One of your accounts, by handle or code.")
    since: str | None = Field(
        None, max_length=64, description="Posted on or after this ISO date (2025-05-01) or date-time."
    )
    limit: int = Field(50, ge=1, le=200, description="Items per page.")
    cursor: str | None = Field(None, max_length=200, description="From a previous page's next link.")


def _storable(value: str) -> str:
    """Text the database can keep: no NUL characters, no unpaired surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


class DecisionIn(Schema):
    action: ActionName
    note: str | None = Field("", max_length=MAX_NOTE_LENGTH, description="For the record; up to 5000 characters.")
    rule: int | None = Field(
        None,
        ge=1,
        le=5,
        description=(
            "Only with action `missed`, and required there: the rule (1-5) a reply the rules let through breaks. "
            "It puts the item in the queue with a hit from you (category `moderator`)."
        ),
    )

    @field_validator("note")
    @classmethod
    def note_is_storable(cls, value: str | None) -> str:
        return _storable(value or "")


# --- Stored rows to their JSON form -------------------------------------------------------


def decision_out(decision: Decision, *, with_code: bool = False) -> dict:
    values = decision_record(decision)
    return {"code": decision.code, **values} if with_code else values


def item_out(item: Item) -> dict:
    return {
        **item_record(item),
        "in_reply_to": item.in_reply_to.text if item.in_reply_to_id and item.in_reply_to else None,
    }
