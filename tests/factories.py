"""Factories for platform data and accounts, shared by the tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from moderation.models import CampaignAccount, Membership, Role
from platforms.base import FetchedAuthor, FetchedItem

PASSWORD = "correct-horse-battery-staple"
THREAT = "I know where you live and I will kill you"
RACIST = "Go back to your own country, you don't belong on our council"
CIVIL = "When will the bins on Mill Lane be collected? It's been two weeks."
RUDE = "Shut up you absolute clown"
_ids = itertools.count(1)


def make_account(owner, *, handle: str, profile: str = "x", **settings) -> CampaignAccount:
    account = CampaignAccount.objects.create(
        platform="demo",
        handle=handle,
        external_id=f"acct-{handle}",
        owner=owner,
        settings={"demo_key": "x" if profile == "x" else "page", "profile": profile, **settings},
    )
    Membership.objects.create(account=account, user=owner, role=Role.OWNER)
    return account


def fetched_author(**overrides) -> FetchedAuthor:
    values = {
        "external_id": "author-1",
        "handle": "millbrook_mum",
        "display_name": "Priya S",
        "created_at": datetime(2015, 4, 1, tzinfo=UTC),
        "followers_count": 300,
        "following_count": 280,
        "bio": "Mum of two, Millbrook born and bred.",
        "profile_url": "https://demo.saferpol.invalid/millbrook_mum",
    }
    values.update(overrides)
    return FetchedAuthor(**values)


def fetched_item(
    text: str, *, external_id: str | None = None, author: FetchedAuthor | None = None, **extra
) -> FetchedItem:
    number = next(_ids)
    external_id = external_id or f"item-{number}"
    return FetchedItem(
        external_id=external_id,
        kind=extra.pop("kind", "reply"),
        text=text,
        author=author or fetched_author(),
        posted_at=extra.pop("posted_at", datetime.now(UTC) - timedelta(minutes=number)),
        url=f"https://demo.saferpol.invalid/status/{external_id}",
        in_reply_to=extra.pop("in_reply_to", ""),
        raw={"id": external_id, "text": text},
        **extra,
    )
