"""Export moderators' corrections of the engine as test cases, one JSON line per feedback event.

    python manage.py export_feedback [--account HANDLE] --output FILE.jsonl|-

Each line is {"text", "expected": {"rules": [...]}, "engine": {"version", "hits": [...]}, "kind",
"account", "decided_at"}: "not_a_violation" for a dismissed flag (expected no rules), "missed"
for a reply flagged by hand (expected the moderator's rule). Text only: nothing about the author,
and no moderator's name or note. The one-line summary (count, SHA-256) goes to standard error,
and every run is recorded in the audit log as an export by the system.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from moderation.exports import DigestWriter
from moderation.feedback import feedback_for_export, feedback_line
from moderation.models import AuditEvent, CampaignAccount, Platform
from moderation.services import audit_record


class Command(BaseCommand):
    help = "Export moderators' feedback on the rules engine as JSON lines (an evaluation set)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--account", default="", help="one account's handle (default: every account)")
        parser.add_argument("--output", required=True, help="file to write (FILE.jsonl), or - for standard output")

    def handle(self, *args, **options) -> None:
        account = self._account(options["account"])
        target = options["output"]
        if target == "-":
            writer = DigestWriter(lambda data: self.stdout.write(data.decode("utf-8"), ending=""))
            counts = self._write(writer, account)
            self.stdout.flush()
        else:
            try:
                handle = open(target, "wb")  # noqa: SIM115 (closed below, after the last block is flushed)
            except OSError as exc:
                raise CommandError(f"Cannot write to {target}: {exc.strerror or exc}") from exc
            with handle:
                writer = DigestWriter(handle.write)
                counts = self._write(writer, account)

        total = sum(counts.values())
        covered = [account] if account is not None else sorted(counts, key=lambda a: (a.platform, a.handle))
        scope = f"@{covered[0].handle}" if len(covered) == 1 else f"{len(covered)} accounts"
        for covered_account in covered or [None]:
            audit_record(
                verb=AuditEvent.Verb.EXPORT,
                account=covered_account,
                summary=f"Feedback export (JSONL) of {total:,} events from {scope} by system",
                detail={
                    "format": "jsonl",
                    "what": "feedback",
                    "count": total,
                    "events": counts.get(covered_account, 0) if covered_account is not None else 0,
                    "filters": {"account": account.handle if account else None},
                    "sha256": writer.sha256,
                    "bytes": writer.bytes,
                    "accounts": [a.handle for a in covered],
                },
            )
        where = "standard output" if target == "-" else target
        self.stderr.write(
            f"Exported {total:,} feedback event{'s' if total != 1 else ''} to {where}: "
            f"{writer.bytes:,} bytes, sha256 {writer.sha256}"
        )

    @staticmethod
    def _write(writer: DigestWriter, account: CampaignAccount | None) -> dict[CampaignAccount, int]:
        counts: dict[CampaignAccount, int] = {}
        for feedback in feedback_for_export(account=account).iterator(chunk_size=500):
            writer.write(json.dumps(feedback_line(feedback), ensure_ascii=False) + "\n")
            counts[feedback.account] = counts.get(feedback.account, 0) + 1
        writer.flush()
        return counts

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
