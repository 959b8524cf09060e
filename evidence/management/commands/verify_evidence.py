"""Re-hash every stored artefact and walk the custody chain; exit non-zero at the first problem.

On success it prints the custody log's chain head (the SHA-256 of its newest event) and how many
events it holds. Keep that pair somewhere outside SaferPol, as every evidence pack does: a later
``verify_evidence --expect-head HASH --expect-count N`` then shows whether the log was cut short,
which the chain alone can't.
"""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError

from evidence.services import custody_anchor_problems, custody_head, evidence_verify, evidence_verify_record

_SHA256 = re.compile(r"[0-9a-f]{64}")


class Command(BaseCommand):
    help = (
        "Check every evidence file against its SHA-256 and the custody log's hash chain; with --expect-head, "
        "also check the log still reaches a chain head noted earlier (from an evidence pack or an earlier run)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--expect-head",
            metavar="HASH",
            help="a chain head noted earlier (README.txt or manifest.json of an evidence pack): it must still be "
            "in the custody log",
        )
        parser.add_argument(
            "--expect-count",
            metavar="N",
            type=int,
            help="how many events the log held at that head: the head must be event N",
        )

    def handle(self, *args, **options) -> None:
        head = (options.get("expect_head") or "").strip().lower()
        count = options.get("expect_count")
        if options.get("expect_head") is not None and not _SHA256.fullmatch(head):
            raise CommandError(
                f"--expect-head {options['expect_head'][:80]!r} is not a SHA-256 (64 hexadecimal characters); "
                "copy the chain head exactly as the pack or the earlier run printed it."
            )
        if count is not None and not head:
            raise CommandError("--expect-count needs --expect-head: the count says where that head was.")
        if count is not None and count < 0:
            raise CommandError(f"--expect-count must be 0 or more, not {count}.")

        problems = evidence_verify()
        if head:
            problems += [
                f"Anchor check: {problem}" for problem in custody_anchor_problems(expect_head=head, expect_count=count)
            ]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"Evidence verification FAILED ({len(problems)} problem(s)); first: {problems[0]}")
        anchor = {"head": head, "count": count} if head else None
        artefacts, events = evidence_verify_record(anchor=anchor)
        self.stdout.write(self.style.SUCCESS(f"{artefacts} artefacts and {events} custody events verified"))
        if head:
            self.stdout.write(self.style.SUCCESS(f"The custody log still reaches chain head {head}"))
        total, newest = custody_head()
        self.stdout.write(f"Custody events: {total}")
        self.stdout.write(f"Chain head:     {newest}")
        self.stdout.write(
            "(the SHA-256 of the newest event, this verification's own; note both down and check later with "
            f"--expect-head {newest} --expect-count {total})"
        )
