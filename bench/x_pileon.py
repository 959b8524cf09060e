"""A pile-on on X: 5,000 replies from 1,000 authors, polled through the real connector and tweepy.

    python bench/x_pileon.py [--replies 5000] [--authors 1000] [--database-url postgres://...]

Seeds the local X stand-in (platforms/x_standin.py) with replies to a campaign account's posts,
then runs account_poll three times: the first walk ingests everything page by page (100 a page),
the second asks since the stored cursor and must find nothing new, the third forgets the cursor
and re-walks every page, which must store no duplicates. "pages" counts mention pages, "search"
the conversation-search pages for the account's 5 posts (replies already read as mentions in the
same walk are dropped before ingest). "re-read" counts items X returned that were already stored:
ingest skips them, nothing is stored twice. The second run re-reads, by design, the few replies
posted in the last 10 seconds before the first walk: read then as mentions, but after that walk's
search end time (X wants it 10 s in the past). Uses a scratch SQLite database in a
temporary directory unless --database-url is given. Prints items, duplicates, pages, seconds, items/s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEARCH = "/2/tweets/search/recent"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEXTS = [
    "@{handle} Any update on the bins on Mill Lane? It's been two weeks.",
    "@{handle} Thanks for sorting the streetlight so quickly.",
    "@{handle} Resign. You've ruined this town.",
    "@{handle} Shut up you absolute clown",
    "@{handle} You useless muppet, fix the potholes.",
    "@{handle} I know where you live.",
    "@{handle} Go back to your own country.",
    "@{handle} They're flogging Victoria Park to developers, it's all agreed.",
    "@{handle} Could you raise the crossing at the next committee meeting please?",
    "@{handle} Scum. Absolute scum.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=5000)
    parser.add_argument("--authors", type=int, default=1000)
    parser.add_argument("--database-url", default="", help="default: a scratch SQLite file in a temp dir")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="x-pileon-") as scratch:
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        else:
            os.environ.pop("DATABASE_URL", None)
            os.environ["SQLITE_PATH"] = str(Path(scratch) / "bench.sqlite3")
        # Testing mode gives the public test encryption key for the scratch credential.
        os.environ.setdefault("SAFERPOL_TESTING", "1")
        # Ingest alone: in production evidence capture runs on its own queue and workers.
        os.environ.setdefault("SAFERPOL_CAPTURE_ON_INGEST", "false")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferpol.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(args)


def run(args) -> None:
    from django.conf import settings

    from platforms.x_standin import XStandin

    rng = random.Random(args.seed)
    with XStandin() as standin:
        settings.X_API_BASE_URL = standin.base_url
        account, path = seed(standin, args, rng)
        print(f"stand-in {standin.base_url}: {args.replies} replies from {args.authors} authors, pages of 100")
        print(f"{'run':<22} {'new':>6} {'re-read':>7} {'pages':>6} {'search':>6} {'seconds':>8} {'items/s':>9}")
        first = measure("1 first walk", account, standin, path)
        second = measure("2 since cursor", account, standin, path)
        account.poll_cursor = ""
        account.save(update_fields=["poll_cursor"])
        third = measure("3 re-walk, no cursor", account, standin, path)

    from moderation.models import Item

    stored = Item.objects.filter(account=account).count()
    print(f"items stored: {stored} (expected {args.replies})")
    ok = first["created"] == args.replies and second["created"] == 0 and third["created"] == 0
    ok = ok and stored == args.replies and third["duplicates"] == args.replies
    print("OK: ingested once, no duplicates" if ok else "FAILED: see the figures above")
    sys.exit(0 if ok else 1)


def seed(standin, args, rng: random.Random):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from moderation.models import CampaignAccount, Membership, Role
    from platforms.models import PlatformCredential

    me = standin.add_account("AliceForMillbrook", token="bench-token", refresh_token="bench-refresh")
    posts = [standin.add_post(me["id"], f"Council update {n}") for n in range(5)]
    now = datetime.now(UTC)
    authors = [
        standin.add_user(
            f"voter{n:04d}",
            created_at=now - timedelta(days=rng.choice([2, 30, 400, 3000])),
            followers=rng.randint(0, 5000),
            following=rng.randint(0, 5000),
            default_avatar=rng.random() < 0.2,
            description="Millbrook born and bred" if n % 3 else "",
        )
        for n in range(args.authors)
    ]
    for n in range(args.replies):
        standin.add_mention(
            me["id"],
            authors[n % args.authors]["id"],
            rng.choice(TEXTS).format(handle=me["username"]) + f" #{n}",
            in_reply_to=rng.choice(posts)["id"],
            created_at=now - timedelta(seconds=args.replies - n),
        )

    owner, _ = get_user_model().objects.get_or_create(username="bench-owner")
    account, _ = CampaignAccount.objects.update_or_create(
        platform="x", external_id=me["id"], defaults={"handle": me["username"], "owner": owner, "poll_cursor": ""}
    )
    Membership.objects.get_or_create(account=account, user=owner, defaults={"role": Role.OWNER})
    PlatformCredential.objects.update_or_create(
        account=account,
        defaults={
            "access_token": "bench-token",
            "refresh_token": "bench-refresh",
            "expires_at": timezone.now() + timedelta(hours=2),
        },
    )
    return account, f"/2/users/{me['id']}/mentions"


def measure(label: str, account, standin, path: str) -> dict:
    from moderation.services import account_poll

    pages_before = len(standin.requests_to(path))
    searches_before = len(standin.requests_to(SEARCH))
    started = time.perf_counter()
    result = account_poll(account=account)
    seconds = time.perf_counter() - started
    if not result.completed:
        raise SystemExit(f"{label}: poll failed: {result.error}")
    pages = len(standin.requests_to(path)) - pages_before
    searches = len(standin.requests_to(SEARCH)) - searches_before
    seen = result.ingest.created + result.ingest.duplicates
    rate = seen / seconds if seconds else 0.0
    print(
        f"{label:<22} {result.ingest.created:>6} {result.ingest.duplicates:>7} {pages:>6} {searches:>6} "
        f"{seconds:>8.2f} {rate:>9.0f}"
    )
    return {"created": result.ingest.created, "duplicates": result.ingest.duplicates, "pages": pages}


if __name__ == "__main__":
    main()
