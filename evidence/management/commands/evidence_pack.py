"""Build an evidence pack (a ZIP for the police or a platform) of an account's flagged items, or of
items picked by their codes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.pack import PackError, evidence_pack_build
from moderation.models import CampaignAccount


def _date(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise CommandError(f"--since must be a date written YYYY-MM-DD, e.g. 2026-01-31; got {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Write one ZIP of an account's flagged items (report.pdf, evidence_log.csv, manifest.json, "
        "custody_log.jsonl, SHA256SUMS and every stored file), or of the items given with --item. Prints the "
        "ZIP's path and SHA-256; the SHA-256 is the last word of the output."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--account", help="the campaign account's handle (needed unless --item is given; then it is checked)"
        )
        parser.add_argument("--author", help="only this author's items (their handle)")
        parser.add_argument("--since", help="only items posted on or after this day, YYYY-MM-DD")
        parser.add_argument(
            "--item",
            action="append",
            metavar="CODE",
            help="pack exactly this item (its code, as in its page's address); repeat for more. "
            "All must be one account's items.",
        )
        parser.add_argument(
            "--redacted",
            action="store_true",
            help="pack a picture's redacted copy in place of the original where one was made",
        )
        parser.add_argument("--output", required=True, help="the ZIP file to write; must not exist yet")

    def handle(self, *args, **options) -> None:
        since = _date(options["since"]) if options["since"] else None
        codes = options["item"]
        if codes and (options["author"] or since):
            raise CommandError("--item picks the items itself; leave out --author and --since.")
        if options["account"]:
            account = self._account(options["account"])
        elif codes:
            account = self._account_of_items(codes)
        else:
            raise CommandError("Give --account (the account's handle), or the items to pack with --item.")
        try:
            result = evidence_pack_build(
                account=account,
                author_handle=options["author"],
                since=since,
                item_codes=codes,
                redacted=options["redacted"],
                out_path=Path(options["output"]).expanduser().resolve(),
            )
        except PackError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Evidence pack of {result.items} item(s) and {result.artefacts} stored file(s), "
            f"{result.bytes:,} bytes, written to {result.path}"
        )
        self.stdout.write(f"SHA-256 {result.sha256}")

    @staticmethod
    def _account(handle: str) -> CampaignAccount:
        handle = handle.lstrip("@")
        accounts = list(CampaignAccount.objects.filter(handle=handle))
        if not accounts:
            raise CommandError(f"No campaign account @{handle}.")
        if len(accounts) > 1:
            platforms = ", ".join(sorted(a.platform for a in accounts))
            raise CommandError(f"@{handle} names {len(accounts)} accounts ({platforms}); cannot tell which to pack.")
        return accounts[0]

    @staticmethod
    def _account_of_items(codes: list[str]) -> CampaignAccount:
        """The one account the picked items belong to; the pack checks each code in full."""
        valid = []
        for code in codes:
            try:
                valid.append(uuid.UUID(code.strip()))
            except ValueError:
                raise CommandError(f"{code[:60]!r} is not an item code (a UUID such as {uuid.uuid4()}).") from None
        accounts = list(CampaignAccount.objects.filter(items__code__in=valid).distinct())
        if not accounts:
            raise CommandError("None of the --item codes names an item.")
        if len(accounts) > 1:
            handles = ", ".join(sorted(f"@{a.handle}" for a in accounts))
            raise CommandError(f"The items are on {len(accounts)} accounts ({handles}); a pack holds one account's.")
        return accounts[0]
