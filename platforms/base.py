"""The one small interface every platform connector implements.

A connector says what it can do for a given account (its capabilities, each with the reason
when it can't), fetches new items page by page, and carries out moderation actions. The
queue offers only the actions a connector can do, and explains the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from moderation.models import Author, CampaignAccount, Item


class Capability(StrEnum):
    READ = "read"
    HIDE = "hide"
    MUTE = "mute"
    BLOCK = "block"
    REPORT = "report"
    DELETE = "delete"


@dataclass(frozen=True)
class CapabilityState:
    """Whether an action can be done through the API, only by hand, or not at all."""

    automatic: bool
    manual: bool = False
    reason: str = ""  # why not automatic, in words a councillor understands
    manual_url: str = ""  # where the manual step is done (the official report page)

    @property
    def available(self) -> bool:
        return self.automatic or self.manual


AUTOMATIC = CapabilityState(automatic=True)


def unavailable(reason: str) -> CapabilityState:
    return CapabilityState(automatic=False, reason=reason)


def manual(reason: str, url: str) -> CapabilityState:
    return CapabilityState(automatic=False, manual=True, reason=reason, manual_url=url)


@dataclass(frozen=True)
class FetchedAuthor:
    external_id: str
    handle: str
    display_name: str = ""
    created_at: datetime | None = None
    followers_count: int | None = None
    following_count: int | None = None
    posts_count: int | None = None
    default_avatar: bool = False
    bio: str = ""
    verified: bool = False
    profile_url: str = ""
    raw: dict = field(default_factory=dict)

    def profile(self) -> dict:
        """The profile in the rules engine's author format, with the platform's ids."""
        return {
            "external_id": self.external_id,
            "handle": self.handle,
            "display_name": self.display_name,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "followers_count": self.followers_count,
            "following_count": self.following_count,
            "posts_count": self.posts_count,
            "default_avatar": self.default_avatar,
            "bio": self.bio,
            "verified": self.verified,
            "profile_url": self.profile_url,
        }


@dataclass(frozen=True)
class FetchedPost:
    """One of the campaign account's own posts, which replies answer."""

    external_id: str
    text: str
    url: str = ""
    posted_at: datetime | None = None


@dataclass(frozen=True)
class FetchedItem:
    external_id: str
    kind: str
    text: str
    author: FetchedAuthor
    posted_at: datetime
    url: str = ""
    conversation_id: str = ""
    in_reply_to: str = ""  # external id of the account's own post, when known
    raw: dict = field(default_factory=dict)


@dataclass
class FetchPage:
    """One page of new items. `cursor` is what to remember once the whole walk completes."""

    items: list[FetchedItem]
    posts: list[FetchedPost] = field(default_factory=list)
    cursor: str = ""


class ActionError(Exception):
    """An action the platform refused or could not do now; `retryable` says whether to try again."""

    def __init__(self, message: str, *, retryable: bool = False):
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class ActionResult:
    reference: str = ""  # the platform's id for what was done, when it gives one


class Connector:
    platform: ClassVar[str]
    report_url: ClassVar[str] = ""
    # Per-account action limits the platform enforces: kind -> (how many, per how many seconds).
    # Actions beyond the limit wait in the outbox for a free slot instead of failing.
    action_limits: ClassVar[dict[str, tuple[int, int]]] = {}

    def capabilities(self, account: CampaignAccount) -> dict[Capability, CapabilityState]:
        raise NotImplementedError

    def fetch(self, account: CampaignAccount, cursor: str) -> Iterator[FetchPage]:
        """Yield every page of items newer than `cursor`.

        The caller ingests each page as it arrives (so nothing fetched is lost if a later page
        fails) and stores the last page's cursor only once the walk completes.
        """
        raise NotImplementedError

    def hide(self, account: CampaignAccount, item: Item) -> ActionResult:
        raise NotImplementedError

    def mute(self, account: CampaignAccount, author: Author) -> ActionResult:
        raise NotImplementedError

    def unhide(self, account: CampaignAccount, item: Item) -> ActionResult:
        raise NotImplementedError

    def unmute(self, account: CampaignAccount, author: Author) -> ActionResult:
        raise NotImplementedError

    def block(self, account: CampaignAccount, author: Author) -> ActionResult:
        raise NotImplementedError

    def delete(self, account: CampaignAccount, item: Item) -> ActionResult:
        raise NotImplementedError
