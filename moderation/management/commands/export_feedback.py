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

from django.core.management.base import BaseCommand

from moderation.exports import DigestWriter
from moderation.feedback import feedback_for_export, feedback_line
from moderation.management.export_options import account_by_handle, digest_output
from moderation.models import AuditEvent, CampaignAccount
from moderation.services import audit_record


class Command(BaseCommand):
    help = "Export moderators' feedback on the rules engine as JSON lines (an evaluation set)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--account", default="", help="one account's handle (default: every account)")
        parser.add_argument("--output", required=True, help="file to write (FILE.jsonl), or - for standard output")

    def handle(self, *args, **options) -> None:
        account = account_by_handle(options["account"])
        target = options["output"]
        with digest_output(self, target) as writer:
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
        return counts
