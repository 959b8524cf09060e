"""Log exports for comms officers: one row per item with its rule hits, decisions and outcomes.

Two formats from one item -> dict function: JSON lines (for tools and the police's analysts)
and CSV (for spreadsheets, with every cell neutralised against formula injection). Exports are
written as they are read: items come off the database in chunks with their hits and decisions
prefetched per chunk, and rows go straight to the file, so memory stays flat at any size.

The dashboard asks for an export with `export_request`; a Celery task (`export_tasks.export_run`)
calls `export_file_run`, which writes the file under MEDIA_ROOT/exports/ with progress, hashes
it and records the audit event. The `export_log` command uses the same writer. Past
SAFERPOL_EXPORT_RETENTION_DAYS, `export_expire` deletes the file and marks the row expired
(moderation.retention runs it daily for exports and evidence packs alike).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from moderation.models import Action, AuditEvent, CampaignAccount, Decision, Export, Item, Membership, RuleHit
from moderation.records import AUTHOR_FIELDS, item_record
from moderation.services import audit_record

logger = logging.getLogger(__name__)

# Items read per database round trip; their hits and decisions are prefetched per chunk.
CHUNK_SIZE = 1000
# How often (in rows) the dashboard's progress counter is updated.
PROGRESS_EVERY = 1000
# People may run a few exports at once, not flood the worker.
MAX_ACTIVE_EXPORTS = 3
ACTIVE_EXPORT_WINDOW = timedelta(hours=1)

# What a spreadsheet would run as a formula, or use to smuggle one in (tab, carriage return).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CSV_HEADER = [
    "code",
    "platform",
    "account",
    "external_id",
    "kind",
    "posted_at",
    "received_at",
    "url",
    "text",
    *(f"author_{name}" for name in AUTHOR_FIELDS),
    "severity",
    "status",
    "hits",
    "decisions",
]
CONTENT_TYPES = {
    Export.Format.CSV: "text/csv; charset=utf-8",
    Export.Format.JSONL: "application/x-ndjson; charset=utf-8",
}
EXTENSIONS = {Export.Format.CSV: "csv", Export.Format.JSONL: "jsonl"}
# Excel reads a CSV as the local code page unless it starts with a byte order mark; without it
# every accented name and emoji in a reply arrives garbled.
CSV_BOM = "\ufeff"
# Line separators that some JSON-lines readers (str.splitlines, JavaScript) split on; json.dumps
# leaves them raw with ensure_ascii=False, so they are escaped to keep one item per line.
_LINE_SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


class ExportFileRefused(Exception):
    """A row names a file outside the folder its kind of export writes to: it is left alone."""


class ExportNotPossible(Exception):
    """The export can't be started; the message says why, in plain words."""


# --- Serialisation -----------------------------------------------------------------------


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet shows as text: anything that could start a formula gets a leading quote."""
    if value is None:
        return ""
    text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _hits_cell(hits: list[dict]) -> str:
    return " | ".join(
        f"Rule {hit['rule']} {hit['category']} ({hit['severity']}, {hit['score']:.2f}): {hit['reason']}" for hit in hits
    )


def _outcome_text(outcome: dict | None) -> str:
    if outcome is None:
        return "no platform action"
    if outcome["status"] == Action.Status.FAILED and outcome["error"]:
        return f"failed: {outcome['error']}"
    if outcome["status"] == Action.Status.MANUAL:
        return "manual step"
    return outcome["status"]


def _decisions_cell(decisions: list[dict]) -> str:
    parts = []
    for decision in decisions:
        text = f"{decision['action']} by {decision['by']} at {decision['at']} ({_outcome_text(decision['outcome'])})"
        parts.append(f"{text}: {decision['note']}" if decision["note"] else text)
    return " | ".join(parts)


def item_csv_row(item: Item) -> list[str]:
    """The item flattened to one spreadsheet row, in CSV_HEADER order, every cell neutralised."""
    record = item_record(item)
    author = record["author"]
    cells = [
        record["code"],
        record["platform"],
        record["account"],
        record["external_id"],
        record["kind"],
        record["posted_at"],
        record["received_at"],
        record["url"],
        record["text"],
        *(author[name] for name in AUTHOR_FIELDS),
        record["severity"],
        record["status"],
        _hits_cell(record["hits"]),
        _decisions_cell(record["decisions"]),
    ]
    return [spreadsheet_safe(cell) for cell in cells]


def item_json_line(item: Item) -> str:
    line = json.dumps(item_record(item), ensure_ascii=False, separators=(",", ":"))
    return line.translate(_LINE_SEPARATORS) + "\n"


# --- Reading and writing -----------------------------------------------------------------


def since_start(since: date) -> datetime:
    """The start of that day where the team works (the project's time zone), as an aware datetime."""
    return datetime.combine(since, time.min, tzinfo=timezone.get_default_timezone())


def export_items(*, user=None, account: CampaignAccount | None = None, since: date | None = None) -> QuerySet[Item]:
    """Items to export, oldest first, with everything a row needs loaded alongside.

    With a user, only accounts they are a member of (any role); without one, every account
    (the operator's command). `account` narrows to one account, `since` to items posted on or
    after that day.
    """
    items = Item.objects.all()
    if user is not None:
        # A list, not a subquery, like the queue: the planner then uses the account's indexes.
        account_ids = list(Membership.objects.filter(user=user).values_list("account_id", flat=True))
        items = items.filter(account_id__in=account_ids)
    if account is not None:
        items = items.filter(account=account)
    if since is not None:
        items = items.filter(posted_at__gte=since_start(since))
    return (
        items.select_related("account", "author")
        .defer("raw", "account__settings")  # the platform payload is kept for evidence, not exported
        .prefetch_related(
            Prefetch("hits", queryset=RuleHit.objects.order_by("-severity", "rule", "id")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("decided_by", "action").order_by("decided_at", "id"),
            ),
        )
        .order_by("posted_at", "id")
    )


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...


class DigestWriter:
    """A text sink that encodes to UTF-8, hashes and counts the bytes on their way out.

    The SHA-256 and size are known when the last row is written, without reading the file
    back. Small writes are gathered into ~64 KB blocks.
    """

    def __init__(self, write_bytes: Callable[[bytes], object], *, block_size: int = 64 * 1024) -> None:
        self._write_bytes = write_bytes
        self._block_size = block_size
        self._parts: list[str] = []
        self._pending = 0
        self._digest = hashlib.sha256()
        self.bytes = 0

    def write(self, text: str) -> int:
        self._parts.append(text)
        self._pending += len(text)
        if self._pending >= self._block_size:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if not self._parts:
            return
        data = "".join(self._parts).encode("utf-8")
        self._parts.clear()
        self._pending = 0
        self._digest.update(data)
        self.bytes += len(data)
        self._write_bytes(data)

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


def export_write(
    *,
    stream: TextSink,
    items_queryset: QuerySet[Item],
    fmt: str,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write every item as a CSV row or a JSON line, as they are read; returns the item count.

    `progress(count)` is called every PROGRESS_EVERY items and once at the end.
    """
    if fmt == Export.Format.CSV:
        stream.write(CSV_BOM)
        writer = csv.writer(stream)
        writer.writerow(CSV_HEADER)

        def write_item(item: Item) -> None:
            writer.writerow(item_csv_row(item))

    elif fmt == Export.Format.JSONL:

        def write_item(item: Item) -> None:
            stream.write(item_json_line(item))

    else:
        raise ValueError(f"Unknown export format {fmt!r}: choose csv or jsonl")

    count = 0
    for item in _chunked(items_queryset):
        write_item(item)
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if progress is not None:
        progress(count)
    return count


def _chunked(items: QuerySet[Item]) -> Iterable[Item]:
    # iterator() streams (a server-side cursor on PostgreSQL) instead of caching every row;
    # with chunk_size, Django still runs the prefetches, once per chunk.
    return items.iterator(chunk_size=CHUNK_SIZE)


def export_filters(*, account: CampaignAccount | None, since: date | None) -> dict:
    return {"account": account.handle if account else None, "since": since.isoformat() if since else None}


def export_audit(
    *,
    actor,
    account: CampaignAccount | None,
    fmt: str,
    count: int,
    sha256: str,
    size: int,
    filters: dict,
    accounts: list[CampaignAccount],
    export: Export | None = None,
) -> AuditEvent:
    """An audit event on every account the export covers, so each account's owners see it."""
    who = getattr(actor, "username", "") or "system"
    detail = {
        "format": fmt,
        "count": count,
        "filters": filters,
        "sha256": sha256,
        "bytes": size,
        "accounts": [a.handle for a in accounts],
    }
    if export is not None:
        detail["export"] = str(export.code)
    covered = [account] if account is not None else accounts
    scope = f"@{covered[0].handle}" if len(covered) == 1 else f"{len(covered)} accounts"
    events = [
        audit_record(
            verb=AuditEvent.Verb.EXPORT,
            actor=actor,
            account=target,
            obj=export,
            summary=f"{fmt.upper()} export of {count:,} items from {scope} by {who}",
            detail=detail,
        )
        for target in (covered or [None])
    ]
    return events[-1]


# --- The dashboard's exports -------------------------------------------------------------


def exports_for_user(user) -> QuerySet[Export]:
    """The exports this person asked for, newest first; nobody else's."""
    return Export.objects.filter(requested_by=user).select_related("account").order_by("-created_at", "-id")


def export_for_user(user, code) -> Export:
    """The export, or 404 to anyone but the person who asked for it.

    An export of one account also needs the person to still be a member of it: someone removed
    from the team can't collect the file afterwards.
    """
    try:
        export = Export.objects.select_related("account", "requested_by").get(code=code, requested_by=user)
    except (Export.DoesNotExist, ValueError, TypeError):
        raise Http404("No such export") from None
    if (
        export.account_id is not None
        and not Membership.objects.filter(user=user, account_id=export.account_id).exists()
    ):
        raise Http404("No such export")
    return export


def export_account_for_user(user, code) -> CampaignAccount:
    """An account the person may export (any role), or 404: existence isn't revealed."""
    try:
        return CampaignAccount.objects.get(code=code, memberships__user=user)
    except (CampaignAccount.DoesNotExist, ValueError, TypeError):
        raise Http404("No such account") from None


@transaction.atomic
def export_request(*, user, account: CampaignAccount | None, since: date | None, fmt: str) -> Export:
    """Ask for an export of the person's accounts (or one of them); it is written in the background."""
    if fmt not in Export.Format.values:
        raise ExportNotPossible(f"Unknown format {fmt!r}: choose CSV or JSON lines.")
    memberships = Membership.objects.filter(user=user)
    if account is not None and not memberships.filter(account=account).exists():
        raise PermissionDenied("You can only export accounts you are a member of.")
    if not memberships.exists():
        raise ExportNotPossible("You aren't a member of any campaign account, so there is nothing to export.")
    active = Export.objects.filter(
        requested_by=user,
        status__in=[Export.Status.PENDING, Export.Status.RUNNING],
        created_at__gte=timezone.now() - ACTIVE_EXPORT_WINDOW,
    ).count()
    if active >= MAX_ACTIVE_EXPORTS:
        raise ExportNotPossible(
            f"You already have {active} exports being written. Wait for one to finish, then try again."
        )
    export = Export.objects.create(requested_by=user, account=account, since=since, format=fmt)
    from moderation.export_tasks import export_run  # the task imports this module; keep the cycle lazy

    transaction.on_commit(lambda: export_run.delay(export.pk))
    return export


def export_path(export: Export) -> Path:
    return Path(settings.MEDIA_ROOT) / export.file_name


def export_file_name(export: Export) -> str:
    return f"exports/{export.code}.{EXTENSIONS[export.format]}"


def export_file_run(*, export_id: int) -> Export:
    """Write the export's file with progress, then hash it, mark it ready and audit it.

    Safe to run twice (a redelivered task): a finished export is left alone, and each run
    writes to its own temporary file, moved into place only when complete. Deliberately not
    one transaction: progress updates must be visible to the page polling them.
    """
    with transaction.atomic():
        # of=("self",): PostgreSQL can't lock the nullable side of the account's outer join.
        export = (
            Export.objects.select_for_update(of=("self",)).select_related("requested_by", "account").get(pk=export_id)
        )
        if export.status == Export.Status.DONE:
            return export
        export.status = Export.Status.RUNNING
        export.written = 0
        export.error = ""
        export.file_name = export_file_name(export)
        export.save(update_fields=["status", "written", "error", "file_name"])

    final = export_path(export)
    partial = final.with_name(f"{final.name}.{uuid.uuid4().hex}.part")
    try:
        items = export_items(user=export.requested_by, account=export.account, since=export.since)
        export.total = items.count()
        Export.objects.filter(pk=export.pk).update(total=export.total)
        final.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as handle:
            writer = DigestWriter(handle.write)
            count = export_write(
                stream=writer,
                items_queryset=items,
                fmt=export.format,
                progress=lambda written: Export.objects.filter(pk=export.pk).update(written=written),
            )
            writer.flush()
        os.replace(partial, final)
    except Exception as exc:  # a failed export must say so on its page, never hang at "Writing"
        logger.exception("Export %s failed", export.code)
        partial.unlink(missing_ok=True)
        return _export_failed(
            export, f"The export could not be written ({type(exc).__name__}). Try again, or ask your administrator."
        )

    export.status = Export.Status.DONE
    export.written = count
    export.total = count  # items that arrived after the count are included, so say so
    export.sha256 = writer.sha256
    export.bytes = writer.bytes
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "written", "total", "sha256", "bytes", "finished_at"])
    accounts = _accounts_covered(export)
    export_audit(
        actor=export.requested_by,
        account=export.account,
        fmt=export.format,
        count=count,
        sha256=export.sha256,
        size=export.bytes,
        filters=export_filters(account=export.account, since=export.since),
        accounts=accounts,
        export=export,
    )
    return export


def _accounts_covered(export: Export) -> list[CampaignAccount]:
    """Its account, or for an export of all the person's accounts, each of theirs."""
    if export.account_id is not None:
        return [export.account]
    return list(CampaignAccount.objects.filter(memberships__user=export.requested_by).order_by("handle"))


def _export_failed(export: Export, reason: str) -> Export:
    export.status = Export.Status.FAILED
    export.error = reason
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])
    return export


def export_download_record(*, export: Export, user, ip_address: str | None = None) -> AuditEvent:
    return audit_record(
        verb=AuditEvent.Verb.EXPORT_DOWNLOAD,
        actor=user,
        account=export.account,
        obj=export,
        summary=f"{export.format.upper()} export of {export.total or 0:,} items downloaded by {user.username}",
        detail={"format": export.format, "sha256": export.sha256, "bytes": export.bytes},
        ip_address=ip_address,
    )


# --- Stuck: a worker died part-way -----------------------------------------------------------

# What the export's page says once the clean-up gives up on it; the person only has to start again.
STUCK_ERROR = "The export stopped part-way (the worker was restarted); start it again."
UNFINISHED_STATES = (Export.Status.PENDING, Export.Status.RUNNING)


def exports_stuck(*, cutoff: datetime) -> QuerySet[Export]:
    """Exports asked for before the cutoff that are still waiting or being written."""
    return (
        Export.objects.filter(status__in=UNFINISHED_STATES, created_at__lt=cutoff)
        .select_related("requested_by", "account")
        .order_by("id")
    )


@transaction.atomic
def export_fail_stuck(*, export: Export, hours: int, by: str) -> bool:
    """Mark an export failed that has been waiting or running for more than `hours`, and audit it.

    Its task is killed after an hour, so one still unfinished this long has lost its worker (a
    restart or a lost message) and would otherwise say "Writing" forever. False if it finished
    or was started again in the meantime. Its partial file is swept up with the others
    (moderation.retention); a final file, if the worker died just after writing it, goes with
    the failed export at the end of the retention period.
    """
    export = Export.objects.select_for_update(of=("self",)).select_related("requested_by", "account").get(pk=export.pk)
    if export.status not in UNFINISHED_STATES or export.created_at >= timezone.now() - timedelta(hours=hours):
        return False
    was = export.status
    _export_failed(export, STUCK_ERROR)
    detail = {
        "status_was": was,
        "format": export.format,
        "requested_by": export.requested_by.username,
        "asked_at": export.created_at.isoformat(),
        "written": export.written,
        "total": export.total,
        "stuck_hours": hours,
        "by": by,
    }
    # An export of all the person's accounts has no account of its own: it shows on each of theirs.
    accounts = _accounts_covered(export) or [None]
    state = "still waiting to start" if was == Export.Status.PENDING else "still being written"
    for account in accounts:
        audit_record(
            verb=AuditEvent.Verb.EXPORT_FAILED,
            account=account,
            obj=export,
            summary=f"{export.format.upper()} export by {export.requested_by.username} marked failed: "
            f"{state} after {hours} hours, so its worker had stopped",
            detail=detail,
        )
    return True


# --- Retention: files deleted, records kept -------------------------------------------------

# The states whose files retention deletes; a pending or running export is never touched.
FINISHED_STATES = (Export.Status.DONE, Export.Status.FAILED)


def exported_file(file_name: str, *, folder: str) -> Path | None:
    """The file an export or evidence pack wrote, None if it names none.

    Only a file directly in MEDIA_ROOT/<folder>/ is ever returned, whatever the row says (a
    symlink or ``..`` resolves elsewhere and is refused), so deleting it can never reach the
    original evidence under MEDIA_ROOT/evidence/.
    """
    if not file_name:
        return None
    media = Path(settings.MEDIA_ROOT)
    path = media / file_name
    if path.resolve().parent != (media / folder).resolve():
        raise ExportFileRefused(f"{file_name!r} is not a file in {folder}/, so it was left alone")
    return path


def exports_past_retention(*, cutoff: datetime) -> QuerySet[Export]:
    """Finished or failed exports made before the cutoff whose file hasn't been deleted yet."""
    return (
        Export.objects.filter(status__in=FINISHED_STATES, expired_at__isnull=True)
        .annotate(made_at=Coalesce("finished_at", "created_at"))
        .filter(made_at__lt=cutoff)
        .select_related("requested_by", "account")
        .order_by("id")
    )


def _accounts_exported(export: Export) -> list[CampaignAccount | None]:
    """The accounts whose audit logs recorded the export, so they record its expiry too."""
    if export.account_id is not None:
        return [export.account]
    ids = AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT, object_code=str(export.code)).values("account_id")
    return list(CampaignAccount.objects.filter(pk__in=ids).order_by("handle")) or [None]


@transaction.atomic
def export_expire(*, export: Export, days: int, by: str) -> bool:
    """Delete a finished or failed export's file, keep its row marked expired, and audit it.

    False if there was nothing to do (already expired, or still being written). The file is
    deleted last, inside the transaction: if that fails nothing is marked, and if the commit
    fails after it, the next run finds the file gone and marks the row then.
    """
    export = Export.objects.select_for_update(of=("self",)).select_related("requested_by", "account").get(pk=export.pk)
    if export.expired_at is not None or export.status not in FINISHED_STATES:
        return False
    path = exported_file(export.file_name, folder="exports")
    present = path is not None and path.is_file()
    detail = {
        "file": export.file_name,
        "deleted": present,
        "format": export.format,
        "sha256": export.sha256,
        "bytes": export.bytes,
        "requested_by": export.requested_by.username,
        "made_at": (export.finished_at or export.created_at).isoformat(),
        "retention_days": days,
        "by": by,
    }
    export.expired_at = timezone.now()
    export.file_name = ""
    export.save(update_fields=["expired_at", "file_name"])
    what = f"{export.format.upper()} export by {export.requested_by.username}"
    outcome = "file deleted" if present else "its file was already gone"
    for account in _accounts_exported(export):
        audit_record(
            verb=AuditEvent.Verb.EXPORT_EXPIRED,
            account=account,
            obj=export,
            summary=f"{what} expired after {days} days: {outcome}",
            detail=detail,
        )
    if present:
        path.unlink(missing_ok=True)
    return True
