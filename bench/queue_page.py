"""Queue query speed with many items on one account, on PostgreSQL.

    python bench/queue_page.py [--n 1000000] [--database-url postgres://root@127.0.0.1:5432/saferpol_bench]

Fills a scratch database (created if missing, reused on later runs) with N items on one
account, then times the queue's first page, a deep page, and the rule and severity filters
through the same selector and filter the dashboard uses, and prints the query plan of the
first page. The queue never counts rows, so a page costs the same at 1,000 or 1,000,000 items.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch_db import ensure_database  # noqa: E402 - bench/ is the script's own folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="postgres://root@127.0.0.1:5432/saferpol_bench")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SAFERPOL_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferpol.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    account, user = fill(args.n)
    measure(account, user, args.repeat)


def fill(n: int):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from moderation.models import Author, CampaignAccount, Item, Membership, RuleHit

    user, _ = get_user_model().objects.get_or_create(username="bench-owner")
    account, _ = CampaignAccount.objects.get_or_create(
        platform="demo", external_id="bench-account", defaults={"handle": "BenchCouncillor", "owner": user}
    )
    Membership.objects.get_or_create(account=account, user=user, defaults={"role": "owner"})
    have = Item.objects.filter(account=account).count()
    if have >= n:
        print(f"items on the account: {have:,} (reused)")
        return account, user
    authors = [
        Author.objects.get_or_create(platform="demo", external_id=f"bench-author-{i}", defaults={"handle": f"user{i}"})[
            0
        ]
        for i in range(2000)
    ]
    rng = random.Random(7)
    now = datetime.now(UTC)
    started = time.perf_counter()
    batch = 20_000
    for start in range(have, n, batch):
        items = []
        for i in range(start, min(n, start + batch)):
            severity = rng.choices([0, 1, 2, 3, 4], weights=[70, 12, 8, 7, 3])[0]
            items.append(
                Item(
                    account=account,
                    platform="demo",
                    external_id=f"bench-{i}",
                    kind="reply",
                    text=f"bench reply {i}",
                    author=authors[i % len(authors)],
                    posted_at=now - timedelta(seconds=i * 7),
                    severity=severity,
                    status="open" if severity else "clear",
                )
            )
        created = Item.objects.bulk_create(items)
        hits = [
            RuleHit(
                item=item,
                rule=rng.choice([1, 2, 3, 4, 5]),
                category="bench",
                score=0.9,
                severity=item.severity,
                reason="bench",
            )
            for item in created
            if item.severity
        ]
        RuleHit.objects.bulk_create(hits)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"inserted {n - have:,} items in {time.perf_counter() - started:.1f}s")
    return account, user


def measure(account, user, repeat: int) -> None:
    from django.db import connection
    from django.http import QueryDict

    from moderation.filters import ItemFilter
    from moderation.selectors import items_for_user

    def page(params: str, number: int = 1, size: int = 25):
        filterset = ItemFilter(QueryDict(params), queryset=items_for_user(user), user=user)
        assert filterset.is_valid(), filterset.errors
        offset = (number - 1) * size
        return list(filterset.qs[offset : offset + size + 1])  # one extra row: is there a next page?

    cases = [
        ("first page, needs a decision", "", 1),
        ("page 40, needs a decision", "", 40),
        ("rule 3 filter", "rule=3", 1),
        ("critical only", "severity=4", 1),
        ("all statuses", "status=all", 1),
    ]
    print(f"{'query':34} {'p50 ms':>8} {'p95 ms':>8}")
    for label, params, number in cases:
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            page(params, number)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(f"{label:34} {statistics.median(timings):8.1f} {p95:8.1f}")
    filterset = ItemFilter(QueryDict(""), queryset=items_for_user(user), user=user)
    filterset.is_valid()
    sql, sql_params = filterset.qs[:26].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql, sql_params)
        print("\nplan of the first page:")
        for (line,) in cursor.fetchall():
            print("  " + line)


if __name__ == "__main__":
    main()
