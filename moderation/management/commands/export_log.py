"""Export the moderation log, one row per item with its hits, decisions and action outcomes.

    python manage.py export_log --format csv|jsonl [--account HANDLE] [--since YYYY-MM-DD] --output FILE|-

An operator command: without --account it exports every account. `--output -` writes the
export to standard output; the one-line summary (count, SHA-256) goes to standard error, so
the output stays clean for a pipe. Every run is recorded in the audit log as the system.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError

from moderation.exports import export_audit, export_filters, export_items, export_write
from moderation.management.export_options import account_by_handle, digest_output
from moderation.models import CampaignAccount, Export


class Command(BaseCommand):
    help = "Export the moderation log as CSV or JSON lines."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", required=True, choices=Export.Format.values, dest="fmt")
        parser.add_argument("--account", default="", help="one account's handle (default: every account)")
        parser.add_argument("--since", default="", help="items posted on or after this day, YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="file to write, or - for standard output")

    def handle(self, *args, **options) -> None:
        fmt = options["fmt"]
        account = account_by_handle(options["account"])
        since = self._since(options["since"])
        items = export_items(account=account, since=since)
        target = options["output"]
        with digest_output(self, target) as writer:
            count = export_write(stream=writer, items_queryset=items, fmt=fmt)

        accounts = [account] if account else list(CampaignAccount.objects.order_by("platform", "handle"))
        export_audit(
            actor=None,
            account=account,
            fmt=fmt,
            count=count,
            sha256=writer.sha256,
            size=writer.bytes,
            filters=export_filters(account=account, since=since),
            accounts=accounts,
        )
        where = "standard output" if target == "-" else target
        self.stderr.write(
            f"Exported {count:,} item{'s' if count != 1 else ''} as {fmt} to {where}: "
            f"{writer.bytes:,} bytes, sha256 {writer.sha256}"
        )

    def _since(self, raw: str) -> date | None:
        raw = raw.strip()
        if not raw:
            return None
        try:
            return datetime.strptime(raw, "%Y-%m-%d").date()
        except ValueError:
            raise CommandError(f"--since must be a date like 2025-01-31 (YYYY-MM-DD), not {raw!r}.") from None
