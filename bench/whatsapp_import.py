"""WhatsApp chat import speed: a synthetic chat of N messages imported into a fresh SQLite database.

    python bench/whatsapp_import.py [--n 20000] [--senders 150]
        [--database-url sqlite:////tmp/bench_whatsapp.sqlite3] [--per-message-authors]

Builds a fresh scratch database, one account and an Android-format export holding N messages
from SENDERS people (about one message in eight breaks a rule), then times the import the way the
dashboard runs it: the upload (read and check the whole file, find what is new, store the first
new message and keep the file) and the import task (read the stored file back, then ingest every
message a batch at a time, each checked by the rules engine). It prints the time of each half,
messages per second over both, and the process's CPU time (SQLite runs in the process, so that is
the import's own cost even when other work shares the machine). Evidence capture is off, so only
the import is timed.

--per-message-authors writes each message's author once per message, as imports did before
authors were written once per page, to compare the two on the same machine.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEXTS = [
    "Morning all. The bin collection on Mill Lane moves to Thursdays.",
    "When will the bins on Mill Lane be collected? It's been two weeks.",
    "Thanks for sorting the potholes on Station Road so quickly.",
    "Meeting at 7 in the community hall, everyone welcome.",
    "Can someone share the link to the planning application?",
    "ok",
    "The library's opening hours change next month, see the council website.",
    "Shut up you absolute clown",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="messages in the chat")
    parser.add_argument("--senders", type=int, default=150, help="people writing them")
    parser.add_argument("--database-url", default=f"sqlite:///{Path(tempfile.gettempdir()) / 'bench_whatsapp.sqlite3'}")
    parser.add_argument("--per-message-authors", action="store_true", help="write authors as imports used to")
    args = parser.parse_args()
    if not args.database_url.startswith("sqlite:///"):
        parser.error("this benchmark uses a scratch SQLite database: sqlite:////path/to/file.sqlite3")

    database = Path(args.database_url.removeprefix("sqlite:///"))
    database.unlink(missing_ok=True)  # a fresh database each run, so runs compare
    setup(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.per_message_authors:
        from moderation import services

        # No author from the page's upsert, so each item writes its own, as before.
        services._authors_upsert = lambda **kwargs: defaultdict(lambda: None)

    user, account = make_account()
    data = chat_export(args.n, args.senders)
    cpu = time.process_time()
    upload_seconds, import_seconds, result = timed_import(user=user, account=account, data=data)
    cpu = time.process_time() - cpu
    total = upload_seconds + import_seconds
    mode = "authors once per message (as before)" if args.per_message_authors else "authors once per page"
    print(f"chat: {len(data) / 1e6:.1f} MB, {args.n:,} messages from {args.senders} people; {mode}; SQLite")
    print(
        f"{args.n} messages: upload {upload_seconds:.2f} s, import {import_seconds:.2f} s, "
        f"{args.n / total:,.0f} messages/s"
    )
    # On a busy machine the wall clock waits for other work; the CPU time is this import's own.
    print(f"CPU time {cpu:.2f} s ({args.n / cpu:,.0f} messages per CPU second)")
    print(f"{result.created} imported, {result.flagged} flagged, {result.duplicates} already imported")
    if result.error:
        print(f"failed: {result.error}")
        sys.exit(1)


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SAFERPOL_TESTING", "1")
    os.environ["SAFERPOL_CAPTURE_ON_INGEST"] = "0"
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "saferpol_bench_whatsapp_media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferpol.settings")
    import django

    django.setup()


def make_account():
    from django.contrib.auth import get_user_model

    from moderation.models import CampaignAccount, Membership, Role

    user = get_user_model().objects.create_user(username="bench-whatsapp")
    account = CampaignAccount.objects.create(
        platform="demo",
        handle="BenchWhatsApp",
        external_id="bench-whatsapp",
        owner=user,
        settings={"demo_key": "x", "profile": "x"},
    )
    Membership.objects.create(account=account, user=user, role=Role.OWNER)
    return user, account


def chat_export(n: int, senders: int) -> bytes:
    """An Android export: one message a minute, senders and texts drawn with a fixed seed."""
    rng = random.Random(6)
    people = [f"Resident {number}" for number in range(senders)]
    start = datetime(2024, 1, 1, 8, 0)
    lines = [
        f"{start + timedelta(minutes=number):%d/%m/%Y, %H:%M} - {rng.choice(people)}: {rng.choice(TEXTS)} ({number})"
        for number in range(n)
    ]
    return ("\n".join(lines) + "\n").encode()


def timed_import(*, user, account, data: bytes):
    from evidence.uploads import whatsapp_messages_ingest, whatsapp_upload

    started = time.perf_counter()
    result = whatsapp_upload(user=user, account=account, data=data, file_name="WhatsApp Chat.txt", queue=False)
    uploaded = time.perf_counter()
    progress = whatsapp_messages_ingest(**result.task)
    finished = time.perf_counter()
    result.created, result.flagged, result.duplicates = progress["created"], progress["flagged"], progress["duplicates"]
    result.error = progress["error"]
    return uploaded - started, finished - uploaded, result


if __name__ == "__main__":
    main()
