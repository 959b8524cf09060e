"""The demo platform: replays a bundled sample of replies to a fictional UK councillor.

The first poll of a demo account loads the sample's backlog; each later poll releases the
next few "trickle" replies, so new items keep arriving while the demo runs. Actions succeed
without leaving the machine. Two account profiles show how the queue explains what a
platform can't do: "x" behaves like X (no block without Enterprise access, no delete), and
"page" like a Facebook Page (no mute).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from platforms.base import (
    AUTOMATIC,
    ActionError,
    ActionResult,
    Capability,
    CapabilityState,
    Connector,
    FetchedAuthor,
    FetchedItem,
    FetchedPost,
    FetchPage,
    manual,
    unavailable,
)

if TYPE_CHECKING:
    from moderation.models import Author, CampaignAccount, Item

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "replies.json"
DEMO_URL = "https://demo.saferpol.invalid"
X_REPORT_URL = "https://help.twitter.com/en/safety-and-security/report-abusive-behavior"
FACEBOOK_REPORT_URL = "https://www.facebook.com/help/1380418588640631"
PAGE_SIZE = 20


@cache
def load_sample() -> dict:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def sample_account(key: str) -> dict:
    return next(account for account in load_sample()["accounts"] if account["key"] == key)


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _author(record: dict, now: datetime) -> FetchedAuthor:
    created = _parse_time(record.get("created_at"))
    if created is None and record.get("created_days_ago") is not None:
        created = now - timedelta(days=record["created_days_ago"])
    return FetchedAuthor(
        external_id=record["id"],
        handle=record["handle"],
        display_name=record.get("display_name") or "",
        created_at=created,
        followers_count=record.get("followers_count"),
        following_count=record.get("following_count"),
        posts_count=record.get("posts_count"),
        default_avatar=bool(record.get("default_avatar")),
        bio=record.get("bio") or "",
        verified=bool(record.get("verified")),
        profile_url=f"{DEMO_URL}/{record['handle']}",
        raw=record,
    )


class DemoConnector(Connector):
    platform = "demo"
    # The same limits as X, so the demo shows bulk decisions queueing rather than failing.
    action_limits = {kind: (50, 15 * 60) for kind in ("hide", "unhide", "mute", "unmute")}

    def capabilities(self, account: CampaignAccount) -> dict[Capability, CapabilityState]:
        if account.settings.get("profile") == "page":
            return {
                Capability.READ: AUTOMATIC,
                Capability.HIDE: AUTOMATIC,
                Capability.MUTE: unavailable("Pages can't mute people: hide the comment or block the author."),
                Capability.BLOCK: AUTOMATIC,
                Capability.REPORT: manual(
                    "Pages have no reporting API: report it on the platform.", FACEBOOK_REPORT_URL
                ),
                Capability.DELETE: AUTOMATIC,
            }
        return {
            Capability.READ: AUTOMATIC,
            Capability.HIDE: AUTOMATIC,
            Capability.MUTE: AUTOMATIC,
            Capability.BLOCK: (
                AUTOMATIC
                if account.settings.get("block_access")
                else unavailable("Blocking through the API needs Enterprise access: mute and report instead.")
            ),
            Capability.REPORT: manual("There is no reporting API: report it on the platform.", X_REPORT_URL),
            Capability.DELETE: unavailable("You can't delete other people's replies here: hide it instead."),
        }

    def fetch(self, account: CampaignAccount, cursor: str) -> Iterator[FetchPage]:
        sample = load_sample()
        key = account.settings.get("demo_key", "x")
        now = datetime.now(UTC)
        authors = {record["id"]: record for record in sample["authors"]}
        posts = [post for post in sample["posts"] if post["account"] == key]
        replies = [reply for reply in sample["replies"] if reply["account"] == key]
        backlog = [reply for reply in replies if not reply.get("trickle")]
        trickle = [reply for reply in replies if reply.get("trickle")]

        released = int(cursor) if cursor.isdigit() else -1
        if released < 0:
            batch, released = backlog, 0
        else:
            per_poll = max(1, int(account.settings.get("trickle_per_poll", 1)))
            batch = trickle[released : released + per_poll]
            released += len(batch)

        own_posts = [
            FetchedPost(
                external_id=post["id"],
                text=post["text"],
                url=f"{DEMO_URL}/{account.handle}/status/{post['id']}",
                posted_at=now - timedelta(minutes=post.get("minutes_ago", 0)),
            )
            for post in posts
        ]
        if not batch:
            yield FetchPage(items=[], posts=own_posts, cursor=str(released))
            return
        for start in range(0, len(batch), PAGE_SIZE):
            page = batch[start : start + PAGE_SIZE]
            items = [self._item(account, reply, authors, now) for reply in page]
            yield FetchPage(items=items, posts=own_posts if start == 0 else [], cursor=str(released))

    def _item(self, account: CampaignAccount, reply: dict, authors: dict, now: datetime) -> FetchedItem:
        minutes_ago = reply.get("minutes_ago") or 0
        return FetchedItem(
            external_id=reply["id"],
            kind=reply.get("kind", "reply"),
            text=reply["text"],
            author=_author(authors[reply["author"]], now),
            posted_at=now - timedelta(minutes=minutes_ago),
            url=f"{DEMO_URL}/{account.handle}/status/{reply['id']}",
            conversation_id=reply.get("in_reply_to") or "",
            in_reply_to=reply.get("in_reply_to") or "",
            raw=reply,
        )

    def _act(self, account: CampaignAccount, verb: str, target: str) -> ActionResult:
        # Lets tests and demos show what a platform failure looks like on the queue.
        failure = account.settings.get("fail_actions")
        if failure:
            raise ActionError(f"The platform refused to {verb}: {failure}", retryable=failure == "temporary")
        return ActionResult(reference=f"demo-{verb}-{target}")

    def hide(self, account: CampaignAccount, item: Item) -> ActionResult:
        return self._act(account, "hide", item.external_id)

    def mute(self, account: CampaignAccount, author: Author) -> ActionResult:
        return self._act(account, "mute", author.external_id)

    def unhide(self, account: CampaignAccount, item: Item) -> ActionResult:
        return self._act(account, "unhide", item.external_id)

    def unmute(self, account: CampaignAccount, author: Author) -> ActionResult:
        return self._act(account, "unmute", author.external_id)

    def block(self, account: CampaignAccount, author: Author) -> ActionResult:
        return self._act(account, "block", author.external_id)

    def delete(self, account: CampaignAccount, item: Item) -> ActionResult:
        return self._act(account, "delete", item.external_id)
