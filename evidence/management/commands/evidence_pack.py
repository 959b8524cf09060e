"""Build an evidence pack (a ZIP for the police or a platform) of an account's flagged items."""

from __future__ import annotations

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
        "custody_log.jsonl, SHA256SUMS and every captured file). Prints the ZIP's path and SHA-256; "
        "the SHA-256 is the last word of the output."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--account", required=True, help="the campaign account's handle")
        parser.add_argument("--author", help="only this author's items (their handle)")
        parser.add_argument("--since", help="only items posted on or after this day, YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="the ZIP file to write; must not exist yet")

    def handle(self, *args, **options) -> None:
        handle = options["account"].lstrip("@")
        since = _date(options["since"]) if options["since"] else None
        accounts = list(CampaignAccount.objects.filter(handle=handle))
        if not accounts:
            raise CommandError(f"No campaign account @{handle}.")
        if len(accounts) > 1:
            platforms = ", ".join(sorted(a.platform for a in accounts))
            raise CommandError(f"@{handle} names {len(accounts)} accounts ({platforms}); cannot tell which to pack.")
        try:
            result = evidence_pack_build(
                account=accounts[0],
                author_handle=options["author"],
                since=since,
                out_path=Path(options["output"]).expanduser().resolve(),
            )
        except PackError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Evidence pack of {result.items} item(s) and {result.artefacts} captured file(s), "
            f"{result.bytes:,} bytes, written to {result.path}"
        )
        self.stdout.write(f"SHA-256 {result.sha256}")
