"""Re-hash every stored artefact and walk the custody chain; exit non-zero at the first problem."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from evidence.services import evidence_verify, evidence_verify_record


class Command(BaseCommand):
    help = "Check every evidence file against its SHA-256 and the custody log's hash chain."

    def handle(self, *args, **options) -> None:
        problems = evidence_verify()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"Evidence verification FAILED ({len(problems)} problem(s)); first: {problems[0]}")
        artefacts, events = evidence_verify_record()
        self.stdout.write(self.style.SUCCESS(f"{artefacts} artefacts and {events} custody events verified"))
