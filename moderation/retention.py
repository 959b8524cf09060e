"""How long exported files are kept: SAFERPOL_EXPORT_RETENTION_DAYS after they were made.

Log exports and evidence packs are copies, made to be downloaded and handed on; kept forever,
each is one more copy of the abuse, and of the people in it, waiting on the server. Past the
retention period their files are deleted, while their rows stay, marked expired, as the record
of who exported what and when, with the SHA-256 a recipient can still check their copy against.
Original evidence (captures, uploads, notes, redactions) is never touched: only files directly
in MEDIA_ROOT/exports/ and MEDIA_ROOT/packs/.

The same run clears up after workers that died part-way: exports and packs still waiting or
being written SAFERPOL_EXPORT_STUCK_HOURS after they were asked for are marked failed (their
pages say to start again), and the partial files such runs leave in those two folders are
deleted once they are as old. This happens whatever the retention period, 0 included.

The daily task (export_tasks.exports_prune) and `manage.py prune_exports` both call
export_files_prune. Each row is changed in a transaction of its own, so one that can't be
doesn't hold back the others.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from evidence.models import Pack
from evidence.pack import pack_expire, pack_fail_stuck, packs_past_retention, packs_stuck
from moderation.exports import (
    ExportFileRefused,
    export_expire,
    export_fail_stuck,
    exports_past_retention,
    exports_stuck,
)
from moderation.models import Export

logger = logging.getLogger(__name__)

DAILY_TASK = "the daily clean-up"
# The folders exports and packs are written to, and so the only ones partial files are swept from.
EXPORT_FOLDERS = ("exports", "packs")
# Exports are written to "<code>.<ext>.<random>.part" and packs to ".<code>.zip.<random>.part",
# then renamed into place once complete: a name ending so is never a finished file.
PARTIAL_SUFFIX = ".part"


@dataclass
class PruneResult:
    """What a run expired or failed (or, on a dry run, would have): the rows as they were before."""

    days: int
    stuck_hours: int
    cutoff: datetime | None = None  # None: retention is off and nothing was looked at
    stuck_cutoff: datetime | None = None
    exports: list[Export] = field(default_factory=list)
    packs: list[Pack] = field(default_factory=list)
    stuck_exports: list[Export] = field(default_factory=list)
    stuck_packs: list[Pack] = field(default_factory=list)
    partial_files: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def partial_files_stale(*, cutoff: datetime) -> list[Path]:
    """Partial files in the exports and packs folders last written to before the cutoff.

    A writer appends to its partial file until it renames it, so one untouched since the cutoff
    has no writer left. Only regular files directly in those folders: never a symlink, never
    anything under MEDIA_ROOT/evidence/ (whose write-once files have partial names of their own).
    """
    media = Path(settings.MEDIA_ROOT)
    found: list[Path] = []
    for folder in EXPORT_FOLDERS:
        try:
            entries = list(os.scandir(media / folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if (
                entry.name.endswith(PARTIAL_SUFFIX)
                and entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_mtime < cutoff.timestamp()
            ):
                found.append(Path(entry.path))
    return sorted(found)


def export_files_prune(
    *, days: int | None = None, stuck_hours: int | None = None, dry_run: bool = False, by: str = DAILY_TASK
) -> PruneResult:
    """Fail stuck exports and packs, delete stale partial files, then the files of old exports and packs.

    `stuck_hours` defaults to SAFERPOL_EXPORT_STUCK_HOURS: exports and packs still waiting or
    being written that long after they were asked for are marked failed, and partial files
    untouched that long are deleted. `days` defaults to SAFERPOL_EXPORT_RETENTION_DAYS: the
    files of finished or failed exports and packs made more than that many days ago are
    deleted; 0 keeps them. With `dry_run`, only say what would be done. `by` is recorded with
    each change (the daily task, or who ran the command).
    """
    days = settings.SAFERPOL_EXPORT_RETENTION_DAYS if days is None else days
    stuck_hours = settings.SAFERPOL_EXPORT_STUCK_HOURS if stuck_hours is None else stuck_hours
    result = PruneResult(days=days, stuck_hours=stuck_hours)
    _fail_stuck(result, dry_run=dry_run, by=by)
    if days <= 0:
        return result
    result.cutoff = timezone.now() - timedelta(days=days)
    due_exports = list(exports_past_retention(cutoff=result.cutoff))
    due_packs = list(packs_past_retention(cutoff=result.cutoff))
    if dry_run:
        result.exports, result.packs = due_exports, due_packs
        return result
    for export in due_exports:
        try:
            if export_expire(export=export, days=days, by=by):
                result.exports.append(export)
        except (ExportFileRefused, OSError) as exc:
            logger.error("Export %s was not expired: %s", export.code, exc)
            result.refused.append(f"Export {export.code}: {exc}")
    for pack in due_packs:
        try:
            if pack_expire(pack=pack, days=days, by=by):
                result.packs.append(pack)
        except (ExportFileRefused, OSError) as exc:
            logger.error("Evidence pack %s was not expired: %s", pack.code, exc)
            result.refused.append(f"Evidence pack {pack.code}: {exc}")
    return result


def _fail_stuck(result: PruneResult, *, dry_run: bool, by: str) -> None:
    """Mark stuck exports and packs failed and delete stale partial files, into `result`.

    Before the retention pass, so a failed export's retention period starts when it was
    marked failed, as it does for one that failed on its own.
    """
    hours = result.stuck_hours
    result.stuck_cutoff = timezone.now() - timedelta(hours=hours)
    stuck_exports = list(exports_stuck(cutoff=result.stuck_cutoff))
    stuck_packs = list(packs_stuck(cutoff=result.stuck_cutoff))
    partial_files = partial_files_stale(cutoff=result.stuck_cutoff)
    if dry_run:
        result.stuck_exports, result.stuck_packs, result.partial_files = stuck_exports, stuck_packs, partial_files
        return
    for export in stuck_exports:
        if export_fail_stuck(export=export, hours=hours, by=by):
            logger.warning("Export %s was still %s after %d hours: marked failed", export.code, export.status, hours)
            result.stuck_exports.append(export)
    for pack in stuck_packs:
        if pack_fail_stuck(pack=pack, hours=hours, by=by):
            logger.warning("Evidence pack %s was still %s after %d hours: marked failed", pack.code, pack.status, hours)
            result.stuck_packs.append(pack)
    for path in partial_files:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            logger.error("Partial file %s was not deleted: %s", path, exc)
            result.refused.append(f"Partial file {path}: {exc}")
            continue
        logger.info("Deleted %s, a partial file untouched for %d hours", path, hours)
        result.partial_files.append(path)
