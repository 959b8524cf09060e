"""Log export speed and memory at 10,000 and 100,000 items, on PostgreSQL or SQLite.

    python bench/export.py [--n 100000] [--small 10000]
        [--database-url postgres://root@127.0.0.1:5432/saferpol_bench_export | sqlite:////tmp/bench_export.sqlite3]

Fills a scratch database (created if missing, reused on later runs) with N items on one
account and SMALL items on another, each item with a hit or two and some with decisions and
action outcomes. Then exports both accounts in both formats through the same code the
`export_log` command uses, each run in a fresh process so its memory is its own, and prints
items per second, file size, the tracemalloc peak (Python allocations, measured in a second
run because tracing slows things down) and the growth of the process's peak RSS. Flat memory
means the 100,000-item peaks match the 10,000-item ones. A last run goes through the
dashboard's task (`export_file_run`), which also updates the progress counter as it goes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch_db import ensure_database  # noqa: E402 - bench/ is the script's own folder

LARGE_HANDLE = "BenchExportLarge"
SMALL_HANDLE = "BenchExportSmall"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--database-url", default="postgres://root@127.0.0.1:5432/saferpol_bench_export")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # one measurement, in its own process
    args = parser.parse_args()

    if args.child:
        setup(args.database_url)
        print(json.dumps(measure(**json.loads(args.child))))
        return

    if args.database_url.startswith("postgres"):
        ensure_database(args.database_url)
    setup(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    fill(LARGE_HANDLE, args.n)
    fill(SMALL_HANDLE, args.small)

    print(
        f"\n{'items':>8} {'format':6} {'seconds':>8} {'items/s':>8} {'file MB':>8} "
        f"{'py peak MB':>11} {'RSS +MB':>8} {'RSS peak MB':>12}"
    )
    results = {}
    for handle in (SMALL_HANDLE, LARGE_HANDLE):
        for fmt in ("csv", "jsonl"):
            timed = child(args.database_url, handle=handle, fmt=fmt, trace=False)
            traced = child(args.database_url, handle=handle, fmt=fmt, trace=True)
            results[(handle, fmt)] = (timed, traced)
            print(
                f"{timed['count']:>8,} {fmt:6} {timed['seconds']:8.1f} {timed['count'] / timed['seconds']:8,.0f} "
                f"{timed['bytes'] / 1e6:8.1f} {traced['peak'] / 1e6:11.2f} {timed['rss_growth'] / 1e6:8.1f} "
                f"{(timed['rss_before'] + timed['rss_growth']) / 1e6:12.1f}"
            )
    for fmt in ("csv", "jsonl"):
        small, large = results[(SMALL_HANDLE, fmt)], results[(LARGE_HANDLE, fmt)]
        print(
            f"{fmt}: {large[0]['count'] // max(1, small[0]['count'])}x the items, "
            f"{large[1]['peak'] / max(1, small[1]['peak']):.2f}x the Python peak, "
            f"RSS growth {small[0]['rss_growth'] / 1e6:.1f} MB -> {large[0]['rss_growth'] / 1e6:.1f} MB"
        )
    task = child(args.database_url, handle=LARGE_HANDLE, fmt="csv", trace=False, task=True)
    print(
        f"\ndashboard task, {task['count']:,} items as csv: {task['seconds']:.1f}s "
        f"({task['count'] / task['seconds']:,.0f} items/s), status {task['status']}, "
        f"progress {task['written']:,} of {task['total']:,}, RSS +{task['rss_growth'] / 1e6:.1f} MB"
    )


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SAFERPOL_TESTING", "1")
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "saferpol_bench_export_media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferpol.settings")
    import django

    django.setup()


def child(url: str, **options) -> dict:
    command = [sys.executable, __file__, "--database-url", url, "--child", json.dumps(options)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def fill(handle: str, n: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from moderation.models import Action, Author, CampaignAccount, Decision, Item, Membership, RuleHit

    owner, _ = get_user_model().objects.get_or_create(username="bench-export-owner")
    comms, _ = get_user_model().objects.get_or_create(username="bench-export-comms")
    account, _ = CampaignAccount.objects.get_or_create(
        platform="demo", external_id=f"bench-{handle}", defaults={"handle": handle, "owner": owner}
    )
    Membership.objects.get_or_create(account=account, user=owner, defaults={"role": "owner"})
    Membership.objects.get_or_create(account=account, user=comms, defaults={"role": "comms"})
    have = Item.objects.filter(account=account).count()
    if have >= n:
        print(f"@{handle}: {have:,} items (reused)")
        return
    authors = []
    for i in range(500):
        profile = {
            "handle": f"bench_user_{i}",
            "display_name": f"Bench User {i}",
            "followers_count": i * 3,
            "following_count": i * 2,
            "bio": "Local resident. Opinions my own. " * 3,
        }
        author, _ = Author.objects.get_or_create(
            platform="demo", external_id=f"bench-export-author-{i}", defaults=profile
        )
        authors.append(author)
    rng = random.Random(11)
    now = datetime.now(UTC)
    started = time.perf_counter()
    for start in range(have, n, 10_000):
        items = []
        for i in range(start, min(n, start + 10_000)):
            author = authors[i % len(authors)]
            severity = rng.choice([1, 2, 2, 3, 4])
            items.append(
                Item(
                    account=account,
                    platform="demo",
                    external_id=f"bench-export-{handle}-{i}",
                    kind="reply",
                    text=f"Reply {i}: the bins on Mill Lane have not been collected for two weeks, you clown. " * 2,
                    url=f"https://demo.saferpol.invalid/status/{handle}-{i}",
                    author=author,
                    author_snapshot={
                        "external_id": author.external_id,
                        "handle": author.handle,
                        "display_name": author.display_name,
                        "created_at": "2019-05-01T00:00:00+00:00",
                        "followers_count": author.followers_count,
                        "following_count": author.following_count,
                        "default_avatar": False,
                        "bio": author.bio,
                        "verified": False,
                    },
                    posted_at=now - timedelta(seconds=(n - i) * 30),
                    severity=severity,
                    status="open",
                )
            )
        created = Item.objects.bulk_create(items)
        hits = []
        for item in created:
            hits.append(
                RuleHit(
                    item=item, rule=1, category="insult", score=0.72, severity=item.severity, reason="insult: clown"
                )
            )
            if item.pk % 3 == 0:
                hits.append(
                    RuleHit(item=item, rule=2, category="abuse", score=0.55, severity=2, reason="abuse pattern")
                )
        RuleHit.objects.bulk_create(hits)
        decisions = Decision.objects.bulk_create(
            Decision(item=item, kind=rng.choice(["hide", "mute", "dismiss"]), note="bench note", decided_by=owner)
            for item in created
            if item.pk % 4 == 0
        )
        Action.objects.bulk_create(
            Action(decision=d, kind=d.kind, status=rng.choice(["done", "failed", "manual"]))
            for d in decisions
            if d.kind != "dismiss"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"@{handle}: inserted {n - have:,} items in {time.perf_counter() - started:.1f}s")


def measure(*, handle: str, fmt: str, trace: bool, task: bool = False) -> dict:
    from django.conf import settings

    from moderation import exports
    from moderation.models import CampaignAccount, Export

    account = CampaignAccount.objects.get(handle=handle)
    rss_before = max_rss()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    if task:
        comms = account.memberships.get(role="comms").user
        export = Export.objects.create(requested_by=comms, account=account, format=fmt)
        export = exports.export_file_run(export_id=export.pk)
        seconds = time.perf_counter() - started
        exports.export_path(export).unlink(missing_ok=True)
        result = {"count": export.written, "bytes": export.bytes, "status": export.status}
        result.update(written=export.written, total=export.total)
    else:
        target = Path(settings.MEDIA_ROOT) / f"bench-{handle}.{fmt}"
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle_:
            writer = exports.DigestWriter(handle_.write)
            count = exports.export_write(stream=writer, items_queryset=exports.export_items(account=account), fmt=fmt)
            writer.flush()
        seconds = time.perf_counter() - started
        target.unlink()
        result = {"count": count, "bytes": writer.bytes}
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    rss_after = max_rss()
    return {**result, "seconds": seconds, "peak": peak, "rss_before": rss_before, "rss_growth": rss_after - rss_before}


def max_rss() -> int:
    """The process's peak resident memory so far, in bytes.

    VmHWM where Linux has it: ru_maxrss survives exec, so a child started by this (large) parent
    would report the parent's peak as its own.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


if __name__ == "__main__":
    main()
