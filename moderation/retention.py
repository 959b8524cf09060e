"""How long exported files are kept: SAFERPOL_EXPORT_RETENTION_DAYS after they were made.

Log exports and evidence packs are copies, made to be downloaded and handed on; kept forever,
each is one more copy of the abuse, and of the people in it, waiting on the server. Past the
retention period their files are deleted, while their rows stay, marked expired, as the record
of who exported what and when, with the SHA-256 a recipient can still check their copy against.
Original evidence (captures, uploads, notes, redactions) is never touched: only files directly
in MEDIA_ROOT/exports/ and MEDIA_ROOT/packs/.

The daily task (export_tasks.exports_prune) and `manage.py prune_exports` both call
export_files_prune. Each file is expired in a transaction of its own, so one that can't be
deleted doesn't hold back the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from evidence.models import Pack
from evidence.pack import pack_expire, packs_past_retention
from moderation.exports import ExportFileRefused, export_expire, exports_past_retention
from moderation.models import Export

logger = logging.getLogger(__name__)

DAILY_TASK = "the daily clean-up"


@dataclass
class PruneResult:
    """What a run expired (or, on a dry run, would have): the rows as they were before."""

    days: int
    cutoff: datetime | None = None  # None: retention is off and nothing was looked at
    exports: list[Export] = field(default_factory=list)
    packs: list[Pack] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def export_files_prune(*, days: int | None = None, dry_run: bool = False, by: str = DAILY_TASK) -> PruneResult:
    """Delete the files of finished or failed exports and packs made more than `days` days ago.

    `days` defaults to SAFERPOL_EXPORT_RETENTION_DAYS; 0 keeps everything. With `dry_run`, only
    say what would be deleted. `by` is recorded with each deletion (the daily task, or who ran
    the command).
    """
    days = settings.SAFERPOL_EXPORT_RETENTION_DAYS if days is None else days
    result = PruneResult(days=days)
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
