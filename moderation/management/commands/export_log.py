"""Export the moderation log, one row per item with its hits, decisions and action outcomes.

    python manage.py export_log --format csv|jsonl [--account HANDLE] [--since YYYY-MM-DD] --output FILE|-

An operator command: without --account it exports every account. `--output -` writes the
export to standard output; the one-line summary (count, SHA-256) goes to standard error, so
the output stays clean for a pipe. Every run is recorded in the audit log as the system.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError

from moderation.exports import DigestWriter, export_audit, export_filters, export_items, export_write
from moderation.models import CampaignAccount, Export, Platform


class Command(BaseCommand):
    help = "Export the moderation log as CSV or JSON lines."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", required=True, choices=Export.Format.values, dest="fmt")
        parser.add_argument("--account", default="", help="one account's handle (default: every account)")
        parser.add_argument("--since", default="", help="items posted on or after this day, YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="file to write, or - for standard output")

    def handle(self, *args, **options) -> None:
        fmt = options["fmt"]
        account = self._account(options["account"])
        since = self._since(options["since"])
        items = export_items(account=account, since=since)
        target = options["output"]

        if target == "-":
            # Decoding each block back to text costs little and keeps call_command(stdout=...) working.
            writer = DigestWriter(lambda data: self.stdout.write(data.decode("utf-8"), ending=""))
            count = export_write(stream=writer, items_queryset=items, fmt=fmt)
            writer.flush()
            self.stdout.flush()
        else:
            try:
                handle = open(target, "wb")  # noqa: SIM115 (closed below, after the last block is flushed)
            except OSError as exc:
                raise CommandError(f"Cannot write to {target}: {exc.strerror or exc}") from exc
            with handle:
                writer = DigestWriter(handle.write)
                count = export_write(stream=writer, items_queryset=items, fmt=fmt)
                writer.flush()

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

    def _account(self, handle: str) -> CampaignAccount | None:
        handle = handle.strip()
        if not handle:
            return None
        accounts = CampaignAccount.objects.all()
        platform, _, rest = handle.partition(":")
        if rest and platform in Platform.values:  # "x:handle" picks one when a handle is on two platforms
            accounts, handle = accounts.filter(platform=platform), rest
        handle = handle.lstrip("@")
        matches = list(accounts.filter(handle__iexact=handle))
        if not matches:
            raise CommandError(f"No campaign account with the handle {handle!r}.")
        if len(matches) > 1:
            platforms = ", ".join(sorted(account.platform for account in matches))
            raise CommandError(
                f"The handle {handle!r} is on more than one platform ({platforms}); "
                f"name one as PLATFORM:HANDLE, for example {matches[0].platform}:{handle}."
            )
        return matches[0]

    def _since(self, raw: str) -> date | None:
        raw = raw.strip()
        if not raw:
            return None
        try:
            return datetime.strptime(raw, "%Y-%m-%d").date()
        except ValueError:
            raise CommandError(f"--since must be a date like 2025-01-31 (YYYY-MM-DD), not {raw!r}.") from None
