"""Evidence writes: write-once artefact files, the hash-chained custody log, capture and verify."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tomllib
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import PIL
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from evidence.browser import TOOL as BROWSER_TOOL
from evidence.browser import screenshot_url
from evidence.models import Artefact, CustodyEvent
from evidence.render import render_post_png, render_profile_png
from moderation.models import Item

logger = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
CAPTURE_TOOL = "saferpol-capture"
RENDER_TOOL = f"saferpol-render (Pillow {PIL.__version__})"
# Any constant key will do: it only has to be the same for every appender of the custody log.
_CUSTODY_LOCK_KEY = 0x5AFE_C0DE

# The file name each original kind is stored under, inside the item's folder.
_ORIGINAL_FILE_NAMES = {
    Artefact.Kind.POST_JSON: "post.json",
    Artefact.Kind.AUTHOR_JSON: "author.json",
    Artefact.Kind.POST_PNG: "post.png",
    Artefact.Kind.PROFILE_PNG: "profile.png",
    Artefact.Kind.POST_SCREENSHOT: "post_screenshot.png",
    Artefact.Kind.PROFILE_SCREENSHOT: "profile_screenshot.png",
}


class ArtefactConflict(Exception):
    """A different file already sits where an original would go; it is never overwritten."""


@functools.cache
def tool_version() -> str:
    """The project's version from pyproject.toml, recorded on every artefact."""
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


# --- The custody log ------------------------------------------------------------------------


def custody_hash(
    *, at: datetime, actor_label: str, action: str, object_type: str, object_code: str, reason: str, detail, prev_hash
) -> str:
    """SHA-256 over a canonical JSON of the event's content and its predecessor's hash."""
    content = {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_code": object_code,
        "reason": reason,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def event_hash(event: CustodyEvent) -> str:
    """What an event's hash should be, recomputed from what is stored now."""
    return custody_hash(
        at=event.at,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_code=event.object_code,
        reason=event.reason,
        detail=event.detail,
        prev_hash=event.prev_hash,
    )


def _custody_lock() -> None:
    """Serialise appenders so two can never chain to the same predecessor.

    PostgreSQL: a transaction-scoped advisory lock (an empty log has no row to lock). SQLite:
    the IMMEDIATE transaction mode already takes the write lock at BEGIN. Elsewhere, lock the
    latest row; the unique prev_hash constraint refuses a fork whatever happens.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CUSTODY_LOCK_KEY])
    elif connection.vendor != "sqlite":
        list(CustodyEvent.objects.select_for_update().order_by("-id")[:1])


@transaction.atomic
def custody_append(
    *, action: str, obj: object | None = None, actor=None, reason: str = "", detail: dict | None = None
) -> CustodyEvent:
    """Append one event to the custody log, chained to the latest one."""
    _custody_lock()
    latest = CustodyEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    # A round trip through JSON now, so the hash covers exactly what the database gives back.
    detail = json.loads(json.dumps(detail or {}, default=str))
    event = CustodyEvent(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "username", "") or "system",
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_code=str(getattr(obj, "code", "") or ""),
        reason=reason,
        detail=detail,
        prev_hash=latest or GENESIS_HASH,
    )
    event.hash = event_hash(event)
    event.save()
    return event


# --- Write-once files -----------------------------------------------------------------------


def _write_once(path: Path, content: bytes) -> None:
    """Write a new file that can never be overwritten; FileExistsError if the name is taken.

    The bytes go to a private temporary file first (exclusive create, fsync, read-only), which is
    then hard-linked to its final name: linking refuses an existing name, and the final name
    only ever appears complete, so a crash mid-write leaves no half file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    try:
        with open(temporary, "xb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o444)
        os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the new name itself survives a power cut
    finally:
        os.close(directory)


def file_sha256(path: Path) -> tuple[str, int]:
    """A file's SHA-256 and size, read a block at a time."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def artefact_path(artefact_or_name: Artefact | str) -> Path:
    name = artefact_or_name.file_name if isinstance(artefact_or_name, Artefact) else artefact_or_name
    return Path(settings.MEDIA_ROOT) / name


def _file_name(*, item: Item, kind: str, derived_from: Artefact | None) -> str:
    folder = f"evidence/{item.account.code}/{item.code}"
    if derived_from is None and kind in _ORIGINAL_FILE_NAMES:
        return f"{folder}/{_ORIGINAL_FILE_NAMES[kind]}"
    # Derived files and uploads may repeat, so each gets a name of its own.
    return f"{folder}/{kind}-{uuid.uuid4().hex}"


@transaction.atomic
def artefact_store(
    *,
    item: Item,
    kind: str,
    content: bytes,
    media_type: str,
    tool: str,
    derived_from: Artefact | None = None,
    actor=None,
    reason: str = "",
) -> Artefact:
    """Store a file once, hash it, record it and log its capture.

    An original of a captured kind already stored is returned as it is (captures are retried and
    must not duplicate). Uploads are different: each uploaded file is an original of its own, so
    a second upload to an item is stored beside the first.
    """
    existing = None
    if derived_from is None and kind != Artefact.Kind.UPLOAD:
        existing = Artefact.objects.select_for_update().filter(item=item, kind=kind, derived_from__isnull=True).first()
        if existing is not None and existing.status == Artefact.Status.CAPTURED:
            return existing

    file_name = _file_name(item=item, kind=kind, derived_from=derived_from)
    path = artefact_path(file_name)
    sha256 = hashlib.sha256(content).hexdigest()
    try:
        _write_once(path, content)
    except FileExistsError:
        # An earlier attempt wrote the file but its row was never committed. The same bytes are
        # adopted; anything else stays untouched and is reported.
        found_sha256, _ = file_sha256(path)
        if found_sha256 != sha256:
            raise ArtefactConflict(
                f"{file_name} already exists with different content; it was left untouched"
            ) from None

    artefact = existing or Artefact(item=item, kind=kind, derived_from=derived_from)
    artefact.file_name = file_name
    artefact.media_type = media_type
    artefact.bytes = len(content)
    artefact.sha256 = sha256
    artefact.captured_at = timezone.now()
    artefact.tool = tool
    artefact.tool_version = tool_version()
    artefact.status = Artefact.Status.CAPTURED
    artefact.error = ""
    artefact.attempts += 1
    try:
        with transaction.atomic():
            artefact.save()
    except IntegrityError:
        # A concurrent capture of the same original won the race; theirs is the one.
        return Artefact.objects.get(item=item, kind=kind, derived_from__isnull=True)
    custody_append(
        action=CustodyEvent.Action.CAPTURE,
        obj=artefact,
        actor=actor,
        reason=reason,
        detail={
            "item": str(item.code),
            "kind": kind,
            "file": file_name,
            "sha256": sha256,
            "bytes": len(content),
            "derived_from": str(derived_from.code) if derived_from else None,
            "tool": tool,
            "tool_version": artefact.tool_version,
        },
    )
    return artefact


@transaction.atomic
def artefact_record_failure(*, item: Item, kind: str, tool: str, error: str) -> Artefact:
    """Record a failed capture of an original, to be retried; an artefact already captured is left alone."""
    artefact, _ = Artefact.objects.select_for_update().get_or_create(
        item=item,
        kind=kind,
        derived_from=None,
        defaults={"status": Artefact.Status.FAILED, "tool": tool, "tool_version": tool_version()},
    )
    if artefact.status == Artefact.Status.CAPTURED:
        return artefact
    artefact.status = Artefact.Status.FAILED
    artefact.error = error[:2000]
    artefact.attempts += 1
    artefact.save()
    custody_append(
        action=CustodyEvent.Action.CAPTURE_FAILED,
        obj=artefact,
        reason="capture attempt failed; it will be retried",
        detail={"item": str(item.code), "kind": kind, "attempt": artefact.attempts, "error": artefact.error},
    )
    return artefact


# --- Capture at ingest ----------------------------------------------------------------------


def payload_json(payload) -> bytes:
    """A stored payload as a file: ``json.dumps(payload, ensure_ascii=False, indent=2)`` in UTF-8.

    Verbatim means as received: keys are not sorted and nothing is normalised, so the file shows
    the payload in the order the connector stored it. (PostgreSQL's jsonb does not keep key
    order, so there the order is the database's; the values are the platform's.)
    """
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def _flagged_item(item_id: int) -> Item | None:
    item = Item.objects.select_related("account").filter(pk=item_id).first()
    return None if item is None or item.status == Item.Status.CLEAR else item


def _store_steps(item: Item, steps) -> list[Artefact]:
    """Store each kind not yet captured; record failures, and raise the first OSError at the end
    so the Celery task retries just the kinds still missing."""
    captured = {
        artefact.kind: artefact
        for artefact in Artefact.objects.filter(item=item, derived_from__isnull=True, status=Artefact.Status.CAPTURED)
    }
    stored: list[Artefact] = []
    first_error: OSError | None = None
    for kind, tool, media_type, make_content in steps:
        if kind in captured:
            stored.append(captured[kind])
            continue
        try:
            stored.append(
                artefact_store(
                    item=item,
                    kind=kind,
                    content=make_content(),
                    media_type=media_type,
                    tool=tool,
                    reason="captured at ingest of a flagged item",
                )
            )
        except (OSError, ArtefactConflict) as exc:
            logger.warning("evidence capture of %s for item %s failed: %s", kind, item.code, exc)
            artefact_record_failure(item=item, kind=kind, tool=tool, error=f"{type(exc).__name__}: {exc}")
            if isinstance(exc, OSError) and first_error is None:
                first_error = exc
    if first_error is not None:
        raise first_error
    return stored


def evidence_capture(*, item_id: int) -> list[Artefact]:
    """Store the raw post and author payloads of a flagged item as write-once artefacts.

    "Raw" is the payload as the connector received it, written as JSON (`payload_json`).
    Clear items are not captured.
    """
    item = _flagged_item(item_id)
    if item is None:
        return []
    return _store_steps(
        item,
        (
            (Artefact.Kind.POST_JSON, CAPTURE_TOOL, "application/json", lambda: payload_json(item.raw)),
            (Artefact.Kind.AUTHOR_JSON, CAPTURE_TOOL, "application/json", lambda: payload_json(item.author_snapshot)),
        ),
    )


def evidence_render(*, item_id: int) -> list[Artefact]:
    """Pictures of the post and the profile drawn from the captured payloads.

    They exist even where the live page needs a login or has gone; each names the payload
    (and its SHA-256) it was drawn from.
    """
    item = _flagged_item(item_id)
    if item is None:
        return []
    payloads = {
        artefact.kind: artefact
        for artefact in Artefact.objects.filter(
            item=item, kind__in=[Artefact.Kind.POST_JSON, Artefact.Kind.AUTHOR_JSON], status=Artefact.Status.CAPTURED
        )
    }
    author = item.author_snapshot if isinstance(item.author_snapshot, dict) else {}
    rendered_at = datetime.now(UTC)

    def source(kind: str, name: str) -> str:
        artefact = payloads.get(kind)
        return f"{name}, SHA-256 {artefact.sha256}" if artefact else name

    post = {
        "external_id": item.external_id,
        "text": item.text,
        "posted_at": item.posted_at.isoformat(),
        "url": item.url,
    }
    return _store_steps(
        item,
        (
            (
                Artefact.Kind.POST_PNG,
                RENDER_TOOL,
                "image/png",
                lambda: render_post_png(
                    platform=item.platform,
                    account_handle=item.account.handle,
                    post=post,
                    author=author,
                    rendered_at=rendered_at,
                    source=source(Artefact.Kind.POST_JSON, "post.json"),
                ),
            ),
            (
                Artefact.Kind.PROFILE_PNG,
                RENDER_TOOL,
                "image/png",
                lambda: render_profile_png(
                    platform=item.platform,
                    author=author,
                    rendered_at=rendered_at,
                    source=source(Artefact.Kind.AUTHOR_JSON, "author.json"),
                ),
            ),
        ),
    )


def evidence_screenshot(*, item_id: int) -> list[Artefact]:
    """Real browser screenshots of the post and the author's profile, where the public page loads.

    Only on platforms with public pages (SAFERPOL_SCREENSHOT_HOSTS) and only on their own hosts.
    A page that won't load is recorded as a failed artefact and raised for the task to retry.
    """
    item = _flagged_item(item_id)
    hosts = frozenset(settings.SAFERPOL_SCREENSHOT_HOSTS.get(item.platform, ())) if item else frozenset()
    if item is None or not settings.SAFERPOL_EVIDENCE_SCREENSHOTS or not hosts:
        return []
    author = item.author_snapshot if isinstance(item.author_snapshot, dict) else {}
    pages = ((Artefact.Kind.POST_SCREENSHOT, item.url), (Artefact.Kind.PROFILE_SCREENSHOT, author.get("profile_url")))
    return _store_steps(
        item,
        [
            (kind, BROWSER_TOOL, "image/png", functools.partial(_screenshot_png, url, hosts))
            for kind, url in pages
            if url
        ],
    )


def _screenshot_png(url: str, hosts: frozenset[str]) -> bytes:
    return screenshot_url(url, allowed_hosts=hosts).png


# What every flagged item should end up with; screenshots depend on the page and are extra.
REQUIRED_KINDS = (Artefact.Kind.POST_JSON, Artefact.Kind.AUTHOR_JSON, Artefact.Kind.POST_PNG, Artefact.Kind.PROFILE_PNG)
MAX_CAPTURE_ATTEMPTS = 6


def evidence_items_due(*, limit: int = 200) -> list[int]:
    """Flagged items still missing required evidence: a lost task, or retries ran out too soon.

    Items whose capture has already failed MAX_CAPTURE_ATTEMPTS times are left for a person.
    """
    complete = (
        Artefact.objects.filter(item=OuterRef("pk"), status=Artefact.Status.CAPTURED, kind__in=REQUIRED_KINDS)
        .values("item")
        .annotate(kinds=Count("kind", distinct=True))
        .filter(kinds=len(REQUIRED_KINDS))
    )
    given_up = Artefact.objects.filter(
        item=OuterRef("pk"), status=Artefact.Status.FAILED, attempts__gte=MAX_CAPTURE_ATTEMPTS
    )
    settled = timezone.now() - timedelta(minutes=5)  # leave fresh items to their own task
    return list(
        Item.objects.exclude(status=Item.Status.CLEAR)
        .filter(received_at__lte=settled)
        .exclude(Exists(complete))
        .exclude(Exists(given_up))
        .order_by("-received_at")
        .values_list("pk", flat=True)[:limit]
    )


def evidence_capture_on_commit(item_ids: list[int]) -> None:
    """Queue one capture task per item once the ingest transaction has committed."""
    from evidence.tasks import evidence_capture as capture_task  # the tasks module imports this one

    if not settings.SAFERPOL_CAPTURE_ON_INGEST:
        return
    for item_id in item_ids:
        transaction.on_commit(functools.partial(capture_task.delay, item_id))


# --- Verify ---------------------------------------------------------------------------------


def evidence_verify() -> list[str]:
    """Re-hash every captured file and walk the custody chain; the problems found, first one first."""
    problems: list[str] = []
    captures: dict[str, dict] = {}
    previous = GENESIS_HASH
    for event in CustodyEvent.objects.order_by("id").iterator():
        what = " ".join(part for part in (event.action, event.object_type, event.object_code) if part)
        label = f"custody event #{event.id} ({what})"
        if event_hash(event) != event.hash:
            problems.append(f"{label} was altered: its hash does not match its content")
        if event.prev_hash != previous:
            problems.append(
                f"{label} does not follow the event before it: an event was removed or reordered just before it"
            )
        if event.action == CustodyEvent.Action.CAPTURE and event.object_type == "artefact":
            captures[event.object_code] = event.detail if isinstance(event.detail, dict) else {}
        previous = event.hash

    file_problems: list[str] = []
    for artefact in Artefact.objects.filter(status=Artefact.Status.CAPTURED).order_by("id").iterator():
        label = f"artefact {artefact.code} ({artefact.kind}, file {artefact.file_name})"
        logged = captures.get(str(artefact.code))
        if logged is None:
            file_problems.append(f"{label} has no capture event in the custody log")
        elif logged.get("sha256") != artefact.sha256 or logged.get("file") != artefact.file_name:
            file_problems.append(f"{label} no longer matches its capture event in the custody log")
        path = artefact_path(artefact)
        try:
            sha256, size = file_sha256(path)
        except FileNotFoundError:
            file_problems.append(f"{label} is missing")
            continue
        except OSError as exc:
            file_problems.append(f"{label} cannot be read: {exc}")
            continue
        if sha256 != artefact.sha256 or size != artefact.bytes:
            file_problems.append(f"{label} was altered: sha256 {sha256} ({size} bytes), expected {artefact.sha256}")
    # The chain first: the file checks lean on its capture events, so a broken chain explains them.
    return problems + file_problems


def custody_head() -> tuple[int, str]:
    """The custody log's anchor now: how many events it holds and the hash of the newest, its
    "chain head" (GENESIS_HASH for an empty log).

    Noted outside the database (an evidence pack carries it), the pair later shows whether the
    log was cut short: the chain itself can't, since deleting its newest events leaves a shorter
    chain that still links up.
    """
    latest = CustodyEvent.objects.order_by("-id").values_list("id", "hash").first()
    if latest is None:
        return 0, GENESIS_HASH
    # Counted up to that event, so a concurrent append can't make the pair disagree.
    return CustodyEvent.objects.filter(id__lte=latest[0]).count(), latest[1]


def custody_anchor_problems(*, expect_head: str, expect_count: int | None = None) -> list[str]:
    """What is wrong with the custody log against an anchor noted earlier (a chain head and,
    optionally, how many events the log held then); empty when the log still holds it.

    Run it with ``evidence_verify``, which checks that the chain links up; this checks that it
    still reaches the anchor.
    """
    total = CustodyEvent.objects.count()
    if expect_head == GENESIS_HASH:
        position = 0
    else:
        found = CustodyEvent.objects.filter(hash=expect_head).values_list("id", flat=True).first()
        if found is None:
            if expect_count is not None and total < expect_count:
                return [
                    f"the custody log ends before the anchor: it holds {total} events, but {expect_count} were "
                    f"there when chain head {expect_head} was noted, so at least {expect_count - total} of its "
                    "newest events were removed"
                ]
            return [
                f"chain head {expect_head} is not in the custody log ({total} events): the events up to it were "
                "removed from the end of the log (any events since were chained on after the cut), "
                "or the hash was copied wrongly"
            ]
        position = CustodyEvent.objects.filter(id__lte=found).count()
    if expect_count is not None and position != expect_count:
        return [
            f"chain head {expect_head} is event {position} of the custody log, but the anchor says it was event "
            f"{expect_count}: events before it were removed or added"
        ]
    return []


def evidence_verify_record(*, actor=None, anchor: dict | None = None) -> tuple[int, int]:
    """Log a successful verification as a custody event; returns the counts verified.

    The event records the anchor checked, if one was given (``{"head": ..., "count": ...}``).
    """
    artefacts = Artefact.objects.filter(status=Artefact.Status.CAPTURED).count()
    events = CustodyEvent.objects.count()
    detail = {"artefacts": artefacts, "events": events}
    if anchor:
        detail["anchor"] = anchor
    custody_append(
        action=CustodyEvent.Action.VERIFY,
        actor=actor,
        reason="verify_evidence: every file re-hashed and the custody chain walked",
        detail=detail,
    )
    return artefacts, events
