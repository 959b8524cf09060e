"""Delete the files of log exports and evidence packs past their retention period, now.

The same clean-up the daily task runs (moderation.retention), stuck exports and packs included:
those still waiting or being written after SAFERPOL_EXPORT_STUCK_HOURS are marked failed and
their partial files deleted. With --dry-run it only lists what would be done. Each deletion is
in the audit log (and, for packs, the custody log); the rows stay, marked expired, and the
evidence they were made from is never touched.
"""

from __future__ import annotations

import getpass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from moderation.retention import export_files_prune


def _operator() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown"
    return f"operator ({user}, manage.py prune_exports)"


def _files(count: int, what: str) -> str:
    return f"{count} {what} file{'s' if count != 1 else ''}"


def _plural(count: int, what: str) -> str:
    return f"{count} {what}{'s' if count != 1 else ''}"


class Command(BaseCommand):
    help = (
        "Delete the files of finished or failed log exports and evidence packs made more than "
        "SAFERPOL_EXPORT_RETENTION_DAYS days ago, keeping their records, and mark failed those still "
        "unfinished after SAFERPOL_EXPORT_STUCK_HOURS hours, deleting their partial files; "
        "--dry-run lists them only."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list what would be done; change nothing")
        parser.add_argument(
            "--days",
            type=int,
            metavar="N",
            help=f"files older than N days instead of SAFERPOL_EXPORT_RETENTION_DAYS "
            f"({settings.SAFERPOL_EXPORT_RETENTION_DAYS}); 1 or more",
        )

    def handle(self, *args, **options) -> None:
        days = options.get("days")
        if days is not None and days < 1:
            raise CommandError(
                f"--days must be 1 or more, not {days}. To keep every file, set SAFERPOL_EXPORT_RETENTION_DAYS=0."
            )
        dry_run = options["dry_run"]
        result = export_files_prune(days=days, dry_run=dry_run, by=_operator())
        self._stuck(result, dry_run=dry_run)
        if result.cutoff is None:
            self.stdout.write("SAFERPOL_EXPORT_RETENTION_DAYS is 0: exported files are kept forever, so none expired.")
        else:
            self._expired(result, dry_run=dry_run)
        if result.refused:
            for problem in result.refused:
                self.stderr.write(problem)
            raise CommandError(f"{len(result.refused)} could not be expired or deleted; see above.")

    def _stuck(self, result, *, dry_run: bool) -> None:
        for export in result.stuck_exports:
            self.stdout.write(
                f"{export.file_name or '(no file yet)'}\t{export.format.upper()} export by "
                f"{export.requested_by.username}, asked for {export.created_at:%Y-%m-%d %H:%M} UTC, "
                f"still {export.get_status_display().lower()}"
            )
        for pack in result.stuck_packs:
            self.stdout.write(
                f"{pack.file_name or '(no file yet)'}\tevidence pack of @{pack.account.handle} by "
                f"{pack.exporter.username}, asked for {pack.created_at:%Y-%m-%d %H:%M} UTC, "
                f"still {pack.get_status_display().lower()}"
            )
        for path in result.partial_files:
            self.stdout.write(f"{path}\tpartial file")
        stuck = (
            f"{_plural(len(result.stuck_exports), 'export')} and "
            f"{_plural(len(result.stuck_packs), 'evidence pack')} still unfinished after {result.stuck_hours} hours"
        )
        partial = _plural(len(result.partial_files), "partial file")
        if dry_run:
            self.stdout.write(f"Dry run, nothing changed: would mark failed {stuck}, and delete {partial}.")
        else:
            self.stdout.write(f"Marked failed {stuck}, and deleted {partial}.")

    def _expired(self, result, *, dry_run: bool) -> None:
        for export in result.exports:
            made = export.finished_at or export.created_at
            self.stdout.write(
                f"{export.file_name or '(no file)'}\t{export.format.upper()} export by "
                f"{export.requested_by.username}, made {made:%Y-%m-%d %H:%M} UTC"
            )
        for pack in result.packs:
            made = pack.finished_at or pack.created_at
            self.stdout.write(
                f"{pack.file_name or '(no file)'}\tevidence pack of @{pack.account.handle} by "
                f"{pack.exporter.username}, made {made:%Y-%m-%d %H:%M} UTC"
            )
        summary = (
            f"{_files(len(result.exports), 'export')} and {_files(len(result.packs), 'evidence pack')} "
            f"made before {result.cutoff:%Y-%m-%d %H:%M} UTC ({result.days} days)"
        )
        self.stdout.write(f"Dry run, nothing deleted: would expire {summary}." if dry_run else f"Expired {summary}.")
