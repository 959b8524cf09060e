"""Evidence people bring in themselves: screenshots, and chats exported from WhatsApp.

Some channels have no API (WhatsApp, a Facebook group the campaign doesn't run, a text
message), so the evidence arrives as a file. Every upload is checked before anything is
stored, and a refused upload stores nothing:

* a screenshot must really be the PNG or JPEG its name and type claim: the magic bytes, the
  file's structure up to its last byte (so nothing is hidden after the image), no second format
  inside it (a zip or a PDF), a full decode by Pillow, and Pillow's pixel limit
  (``Image.MAX_IMAGE_PIXELS``) against decompression bombs;
* a chat must be a WhatsApp export that ``platforms.whatsapp`` can read (it refuses zip bombs,
  path traversal, damaged zips and text that isn't valid UTF-8 or UTF-16).

An accepted file is written once with ``artefact_store`` (kind UPLOAD, SHA-256, media type,
size, UTC time, tool "upload"), which logs its capture, and the upload itself is logged in the
custody log too, with who uploaded it and why.

The typed text of a new manual item and every imported message go through the same ingest as a
polled reply (``item_ingest_page``, under their own channel): the rules engine checks them, the
queue shows what breaks a rule, and evidence capture follows for what is flagged. A typed-up item
that breaks no rule goes to the queue too: someone chose to upload it as evidence.

A chat's messages are imported in the background (see "WhatsApp chats" below): the upload
checks the file and keeps it, a task on the ingest queue imports the messages, and its progress
is kept in the cache for the account's members to follow.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import re
import uuid
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PureWindowsPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import Http404
from django.utils import timezone
from PIL import Image

from evidence.models import Artefact, CustodyEvent
from evidence.services import artefact_path, artefact_store, custody_append, evidence_capture_on_commit
from moderation.models import AuditEvent, CampaignAccount, Item, Membership, Platform
from moderation.services import audit_record, item_ingest_page
from platforms.base import FetchedAuthor, FetchedItem, FetchPage
from platforms.whatsapp import ChatMessage, ChatParseError, parse_chat_file

logger = logging.getLogger(__name__)

MB = 1024 * 1024
MAX_SCREENSHOT_BYTES = 10 * MB
MAX_CHAT_BYTES = 20 * MB
MAX_CHAT_UNCOMPRESSED = 100 * MB
# WhatsApp itself exports at most 40,000 messages; anything bigger isn't one chat.
MAX_IMPORT_MESSAGES = 50_000
IMPORT_BATCH = 500
UPLOAD_TOOL = "upload"
# Used only when Pillow's own limit has been switched off (MAX_IMAGE_PIXELS = None); its default.
FALLBACK_MAX_PIXELS = 89_478_485
MAX_PNG_CHUNKS = 100_000

PNG, JPEG = "image/png", "image/jpeg"
_IMAGE_TYPES = {PNG: ("PNG", "a PNG image"), JPEG: ("JPEG", "a JPEG image")}
_EXTENSIONS = {".png": PNG, ".jpg": JPEG, ".jpeg": JPEG}
_TYPE_ALIASES = {"image/jpg": JPEG, "image/pjpeg": JPEG, "image/x-png": PNG}
# Browsers send this when they don't know the type; the file name then says what is claimed.
_UNKNOWN_TYPES = {"", "application/octet-stream"}
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_SIGNATURES = (
    (_PNG_MAGIC, "a PNG image"),
    (_JPEG_MAGIC, "a JPEG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a Mac program"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"#!", "a script"),
    (b"<!DOCTYPE html", "a web page"),
    (b"<html", "a web page"),
    (b"<svg", "an SVG image"),
    (b"<?xml", "an XML document"),
    (b"{\\rtf", "a Word (RTF) document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")


class UploadRefused(ValueError):
    """The upload was refused and nothing was stored; the message is fit to show the person."""


# --- Reading and recognising files ----------------------------------------------------------


def read_upload(upload, *, limit: int) -> bytes:
    """The uploaded file's bytes, never reading more than `limit` (+1 chunk) into memory."""
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise UploadRefused(f"The file is larger than {limit // MB} MB, so it was refused.")
    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            raise UploadRefused(f"The file is larger than {limit // MB} MB, so it was refused.")
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise UploadRefused("The file is empty.")
    return data


def describe_content(data: bytes) -> str | None:
    """What a file looks like from its first bytes ("a PDF document"), or None if unknown."""
    for magic, label in _SIGNATURES:
        if data.startswith(magic):
            return label
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
            return "a HEIC photo (the iPhone's own photo format)"
        return "a video or HEIC file"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WebP image"
    return None


def shown_name(file_name: str) -> str:
    """The base name of an uploaded file as the browser sent it, short enough to show and log."""
    name = PureWindowsPath(file_name or "").name  # handles both / and \\ separators
    name = "".join(char for char in name if char.isprintable())
    return name[:120] or "the file"


def _claimed_type(file_name: str, content_type: str) -> str:
    """The image type the upload claims to be, from its name and the type the browser sent."""
    name = shown_name(file_name)
    suffix = PureWindowsPath(name.lower()).suffix
    by_name = _EXTENSIONS.get(suffix)
    sent = (content_type or "").split(";")[0].strip().lower()
    sent = _TYPE_ALIASES.get(sent, sent)
    if by_name is None:
        raise UploadRefused(
            f"Only PNG and JPEG screenshots are accepted, and the file name must end .png, .jpg or .jpeg "
            f"({name} doesn't)."
        )
    if sent not in _UNKNOWN_TYPES and sent != by_name:
        raise UploadRefused(
            f"{name} was sent as {sent[:60]}, which doesn't match its name. Only PNG and JPEG screenshots are accepted."
        )
    return by_name


def _png_end(data: bytes) -> int:
    """Where the PNG ends: just after its IEND chunk, walking the chunks from the signature."""
    position, chunks = len(_PNG_MAGIC), 0
    while True:
        if position + 12 > len(data):
            raise UploadRefused("The PNG image is incomplete (it stops before its end); please save it again.")
        length = int.from_bytes(data[position : position + 4], "big")
        chunk_type = data[position + 4 : position + 8]
        position += 12 + length
        chunks += 1
        if position > len(data) or length > 0x7FFFFFFF:
            raise UploadRefused("The PNG image is incomplete or damaged; please save it again.")
        if chunk_type == b"IEND":
            return position
        if chunks > MAX_PNG_CHUNKS:
            raise UploadRefused("The PNG image is damaged (far too many parts); please save it again.")


def _jpeg_end(data: bytes) -> int:
    """Where the JPEG ends: just after its end-of-image marker, walking the segments from the start.

    Image data after a start-of-scan segment runs to the next marker: a 0xFF byte not followed by
    0x00 (an escaped 0xFF) or a restart marker.
    """
    size, position = len(data), 2
    while position < size:
        if data[position] != 0xFF:
            raise UploadRefused("The JPEG image is damaged; please save it again.")
        while position + 1 < size and data[position + 1] == 0xFF:
            position += 1  # fill bytes before a marker
        if position + 1 >= size:
            break
        marker = data[position + 1]
        if marker == 0xD9:
            return position + 2
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        if position + 4 > size:
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2:
            raise UploadRefused("The JPEG image is damaged; please save it again.")
        position += 2 + length
        if marker == 0xDA:
            scan = position
            while True:
                scan = data.find(b"\xff", scan)
                if scan == -1 or scan + 1 >= size:
                    scan = size
                    break
                following = data[scan + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    scan += 2
                    continue
                break
            position = scan
    raise UploadRefused("The JPEG image is incomplete (it has no end marker); please save it again.")


def _pixel_limit() -> int:
    return Image.MAX_IMAGE_PIXELS or FALLBACK_MAX_PIXELS


def _decode(data: bytes, media_type: str) -> tuple[int, int]:
    """Decode the whole image with Pillow; its size in pixels. Any failure refuses the upload."""
    pillow_format = _IMAGE_TYPES[media_type][0]
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit; here that is a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                width, height = image.size
                if width * height > _pixel_limit():
                    raise Image.DecompressionBombError(f"{width * height} pixels")
                image.verify()  # checksums (PNG) and structure, without decoding
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                image.load()  # the real decode: a truncated or corrupt image fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRefused(
            f"The image has far too many pixels for a screenshot (over {_pixel_limit():,}); it looks like a "
            "decompression bomb, so it was refused."
        ) from exc
    except Exception as exc:  # Pillow raises many kinds on hostile input; all of them mean "not a good image"
        logger.info("screenshot refused: Pillow could not decode it: %s: %s", type(exc).__name__, exc)
        raise UploadRefused("The image is damaged or incomplete and can't be read; please save it again.") from exc
    return width, height


@dataclass(frozen=True)
class CheckedImage:
    media_type: str
    width: int
    height: int


def screenshot_check(data: bytes, *, file_name: str, content_type: str) -> CheckedImage:
    """Refuse anything but a complete, honest PNG or JPEG; its real type and size when it is one."""
    name = shown_name(file_name)
    if not data:
        raise UploadRefused("The file is empty.")
    if len(data) > MAX_SCREENSHOT_BYTES:
        raise UploadRefused(f"The file is larger than {MAX_SCREENSHOT_BYTES // MB} MB, so it was refused.")
    claimed = _claimed_type(file_name, content_type)
    if data.startswith(_PNG_MAGIC):
        actual = PNG
    elif data.startswith(_JPEG_MAGIC):
        actual = JPEG
    else:
        what = describe_content(data)
        raise UploadRefused(f"{name} is not a PNG or JPEG image" + (f": it is {what}." if what else "."))
    if actual != claimed:
        raise UploadRefused(
            f"{name} is named as {_IMAGE_TYPES[claimed][1]} but is {_IMAGE_TYPES[actual][1]}. "
            "Rename it to match and upload it again."
        )
    end = _png_end(data) if actual == PNG else _jpeg_end(data)
    trailing = data[end:]
    if actual == JPEG:
        trailing = trailing.rstrip(b"\x00")  # some encoders pad with zero bytes
    if trailing:
        raise UploadRefused(
            f"{name} has {len(trailing):,} bytes after the end of the image, where another file can hide, "
            "so it was refused. Take or save the screenshot again and upload that."
        )
    if b"%PDF-" in data[:1024]:
        raise UploadRefused(f"{name} is also a PDF document, so it was refused.")
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise UploadRefused(f"{name} is also a zip archive, so it was refused.")
    width, height = _decode(data, actual)
    return CheckedImage(media_type=actual, width=width, height=height)


# --- Shared steps -----------------------------------------------------------------------------


def _require_decider(*, user, account: CampaignAccount) -> None:
    membership = Membership.objects.filter(user=user, account=account).first()
    if membership is None or not membership.can_decide:
        raise PermissionDenied("Only the account's owner and co-moderators can upload evidence.")


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps([str(part) for part in parts], ensure_ascii=False).encode("utf-8")).hexdigest()


def _author(*, account: CampaignAccount, platform: str, handle: str, name: str) -> FetchedAuthor:
    # Names typed by hand or saved in someone's phone only mean something within one account's
    # evidence: "Dave" on two councillors' chats needn't be the same person.
    return FetchedAuthor(
        external_id=f"{platform}-{_digest(account.code, handle)[:40]}",
        handle=handle[:100],
        display_name=name[:200],
    )


def _store_upload(
    *, item: Item, data: bytes, sha256: str, media_type: str, user, reason: str, detail: dict
) -> tuple[Artefact, CustodyEvent]:
    """Write the file once as the item's UPLOAD artefact and log the upload in the custody log."""
    # Several files may document one item (the post, then the author's profile); the very same
    # file twice adds nothing and is refused.
    if Artefact.objects.filter(item=item, kind=Artefact.Kind.UPLOAD, sha256=sha256).exists():
        raise UploadRefused(_ALREADY_HAS_UPLOAD)
    artefact = artefact_store(
        item=item,
        kind=Artefact.Kind.UPLOAD,
        content=data,
        media_type=media_type,
        tool=UPLOAD_TOOL,
        actor=user,
        reason=reason,
    )
    event = custody_append(
        action=CustodyEvent.Action.UPLOAD,
        obj=artefact,
        actor=user,
        reason=reason,
        detail={
            "item": str(item.code),
            "account": str(item.account.code),
            "sha256": sha256,
            "bytes": len(data),
            "media_type": media_type,
            **detail,
        },
    )
    return artefact, event


_ALREADY_HAS_UPLOAD = "This exact file is already attached to this item (same SHA-256); nothing was added."


def _reason(default: str, note: str) -> str:
    note = note.strip()
    return f"{default}: {note}" if note else default


# --- Screenshots ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManualItem:
    """What a person typed about a post from a channel with no API, to go with its screenshot."""

    platform: str  # Platform.WHATSAPP or Platform.MANUAL
    channel: str  # the channel as the person named it: "WhatsApp", "Facebook", "Leaflet"
    author_handle: str
    author_name: str
    text: str
    posted_at: datetime  # aware
    url: str = ""
    kind: str = Item.Kind.REPLY


@dataclass(frozen=True)
class ScreenshotResult:
    item: Item
    artefact: Artefact
    item_created: bool
    flagged: bool  # a rule caught it
    for_review: bool = False  # a new item no rule caught, put in the queue because it was uploaded


def screenshot_upload(
    *,
    user,
    data: bytes,
    file_name: str,
    content_type: str,
    account: CampaignAccount | None = None,
    item: Item | None = None,
    new_item: ManualItem | None = None,
    note: str = "",
) -> ScreenshotResult:
    """Store a screenshot for an existing item, or for a new item typed up from it.

    Raises UploadRefused (nothing stored) for a bad file, a second upload to an item that has
    one, or a new item already recorded; PermissionDenied for anyone but an owner or co-moderator.
    """
    if (item is None) == (new_item is None):
        raise ValueError("give either an item to attach the screenshot to or a new item, not both")
    account = item.account if item is not None else account
    if account is None:
        raise ValueError("a new item needs an account")
    _require_decider(user=user, account=account)
    checked = screenshot_check(data, file_name=file_name, content_type=content_type)
    name = shown_name(file_name)
    sha256 = hashlib.sha256(data).hexdigest()
    upload = {"file_name": name, "sha256": sha256, "bytes": len(data), "media_type": checked.media_type}

    with transaction.atomic():
        if item is not None:
            item = Item.objects.select_for_update().select_related("account").get(pk=item.pk)
            created = for_review = False
            flagged = item.status != Item.Status.CLEAR
            reason = _reason(f"screenshot uploaded by {user.username} for an item already held", note)
        else:
            item, flagged = _manual_item_create(account=account, new_item=new_item, user=user, screenshot=upload)
            created, for_review = True, not flagged
            reason = _reason(f"screenshot uploaded by {user.username} with a new item typed from it", note)
        artefact, _ = _store_upload(
            item=item,
            data=data,
            sha256=sha256,
            media_type=checked.media_type,
            user=user,
            reason=reason,
            detail={
                "upload": "screenshot",
                "file_name": name,
                "claimed_type": (content_type or "")[:100],
                "width": checked.width,
                "height": checked.height,
                "new_item": created,
            },
        )
        audit_record(
            verb=AuditEvent.Verb.EVIDENCE_UPLOAD,
            actor=user,
            account=account,
            obj=item,
            summary=f"Screenshot {name} uploaded for {'a new item' if created else item} by {user.username}"
            + ("; no rule caught it, so it is in the queue for a decision" if for_review else ""),
            detail={
                "artefact": str(artefact.code),
                "sha256": sha256,
                "bytes": len(data),
                "new_item": created,
                "for_review": for_review,
            },
        )
    return ScreenshotResult(item=item, artefact=artefact, item_created=created, flagged=flagged, for_review=for_review)


def _manual_item_create(*, account: CampaignAccount, new_item: ManualItem, user, screenshot: dict) -> tuple[Item, bool]:
    """The new item, and whether a rule caught it."""
    if new_item.platform not in (Platform.WHATSAPP, Platform.MANUAL):
        raise ValueError(f"manual items are WhatsApp or manual, not {new_item.platform!r}")
    text = new_item.text.replace("\r\n", "\n")
    handle = new_item.author_handle.strip().removeprefix("@").strip()
    if not text.strip() or not handle:
        raise UploadRefused("Type the post's text and its author's name or handle.")
    if new_item.posted_at > timezone.now() + timedelta(minutes=5):
        raise UploadRefused("The time it was posted can't be in the future.")
    posted_at = new_item.posted_at.replace(microsecond=0)
    # The same post typed twice (a double click, a second person) is one item, not two.
    external_id = "manual-" + _digest(account.code, new_item.platform, new_item.channel, handle, posted_at, text)[:40]
    if Item.objects.filter(platform=new_item.platform, external_id=external_id).exists():
        raise UploadRefused(
            "This post is already recorded (same channel, author, time and text). Nothing new was stored."
        )
    fetched = FetchedItem(
        external_id=external_id,
        kind=new_item.kind,
        text=text,
        author=_author(account=account, platform=new_item.platform, handle=handle, name=new_item.author_name.strip()),
        posted_at=posted_at,
        url=new_item.url,
        raw={
            "source": "typed from a screenshot",
            "channel": new_item.channel,
            "author": {"handle": handle, "name": new_item.author_name.strip()},
            "text": text,
            "posted_at": posted_at.isoformat(),
            "url": new_item.url,
            "entered_by": user.username,
            "entered_at": timezone.now().isoformat(),
            "screenshot": screenshot,
        },
    )
    # The item keeps the channel it came from (the account may be on X; the post was on WhatsApp).
    result = item_ingest_page(account=account, page=FetchPage(items=[fetched]), platform=new_item.platform)
    if result.created != 1:
        raise UploadRefused("This post was recorded by someone else just now. Nothing new was stored.")
    item = Item.objects.select_related("account").get(platform=new_item.platform, external_id=external_id)
    if item.status == Item.Status.CLEAR:
        # Someone chose to upload it as evidence, so a person decides on it even though no rule
        # caught it; left clear it would be out of sight. Its evidence is captured as if flagged.
        item.status = Item.Status.OPEN
        item.save(update_fields=["status"])
        evidence_capture_on_commit([item.pk])
    return item, bool(result.flagged)


# --- WhatsApp chats ---------------------------------------------------------------------------
#
# A chat is imported in two halves. The upload (in the request) reads and checks the whole file,
# so a refusal is immediate and stores nothing; it then ingests the first new message, writes the
# file once as that item's upload and queues the rest. The import itself (a task on the "ingest"
# queue, or in-process after the commit when there is no broker) reads the stored file back,
# checks its SHA-256 and ingests the other messages a batch at a time, keeping its progress in the
# cache under an opaque job id. Every message's id comes from the chat, not the file, so a failed
# import is retried by uploading the same file again: what was imported is skipped.

IMPORT_QUEUED, IMPORT_RUNNING, IMPORT_DONE, IMPORT_FAILED = "queued", "running", "done", "failed"
# Progress is kept in the cache this long; the items, the file and the audit log keep the rest.
IMPORT_PROGRESS_TTL = 7 * 24 * 3600
RECENT_IMPORTS = 20  # per person, listed on the uploads page
# How long the import task may take: a 50,000-message chat is well under ten minutes.
IMPORT_SOFT_TIME_LIMIT = 1800


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    chat_format: str  # "android" or "iphone"
    date_order: str
    messages: int  # with a sender; WhatsApp's own notices are not imported
    notices: int
    new: int = 0  # messages not imported before, found when the file was uploaded
    created: int = 0
    flagged: int = 0
    duplicates: int = 0
    warnings: list[str] = field(default_factory=list)
    artefact: Artefact | None = None  # None when every message was already held
    anchor: Item | None = None  # the item the chat file is stored with
    job: str = ""  # the import's id; "" when there was nothing new to import
    task: dict = field(default_factory=dict)  # the import task's arguments
    error: str = ""  # why the import failed, when it did

    def summary(self) -> str:
        if not self.new:
            return f"{self.file_name}: all {self.messages:,} messages were imported before; nothing new was stored."
        if self.error:
            return f"{self.file_name}: {self.error}"
        return (
            f"{self.file_name}: {self.messages:,} messages read, {self.created:,} imported, {self.flagged:,} "
            f"flagged, {self.duplicates:,} already imported (skipped). The chat file is kept with SHA-256 "
            f"{self.sha256}."
        )

    def queued_summary(self) -> str:
        already = self.messages - self.new
        return (
            f"{self.file_name}: {self.messages:,} messages read, {self.new:,} new"
            + (f" ({already:,} imported before)" if already else "")
            + f". They are being imported and checked against the rules. The chat file is kept with SHA-256 "
            f"{self.sha256}."
        )


class ImportFailed(Exception):
    """The import stopped; the message says why in plain words, fit to show the person."""


def time_zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise UploadRefused(f"Unknown time zone {name[:60]!r}; use a name like Europe/London.") from None


def _refuse_non_chat(data: bytes, file_name: str) -> None:
    name = shown_name(file_name)
    suffix = PureWindowsPath(name.lower()).suffix
    if suffix not in (".txt", ".zip"):
        raise UploadRefused(
            f"{name} isn't a WhatsApp export: upload the .txt file (Android) or the .zip file (iPhone) that "
            "WhatsApp's 'Export chat' makes."
        )
    what = describe_content(data)
    if what is not None and what != "a zip archive":
        raise UploadRefused(f"{name} is {what}, not an exported WhatsApp chat.")


def _message_items(*, account: CampaignAccount, messages: list[ChatMessage], zone: ZoneInfo, chat: dict) -> list:
    """One FetchedItem per message, with an id that is the same in any later export of the chat.

    The id is a digest of the account, sender, time and text, plus how many identical messages
    came before it (two "ok"s in the same minute are two messages), not of the file: a later
    export holding the same messages imports only the new ones.
    """
    seen: dict[tuple, int] = {}
    fetched = []
    authors: dict[str, FetchedAuthor] = {}
    for message in messages:
        key = (message.sender, message.sent_at.isoformat(), message.text)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        external_id = "wa-" + _digest(account.code, *key, occurrence)[:40]
        author = authors.get(message.sender)
        if author is None:
            author = authors[message.sender] = _author(
                account=account, platform=Platform.WHATSAPP, handle=message.sender, name=message.sender
            )
        fetched.append(
            FetchedItem(
                external_id=external_id,
                kind=Item.Kind.MESSAGE,
                text=message.text,
                author=author,
                posted_at=message.sent_at.replace(tzinfo=zone),
                raw={
                    "source": "WhatsApp chat export",
                    "sender": message.sender,
                    "sent_at_local": message.sent_at.isoformat(),
                    "time_zone": zone.key,
                    "text": message.text,
                    "line": message.line_number,
                    "chat_file": chat,
                },
            )
        )
    return fetched


@dataclass(frozen=True)
class _Chat:
    sha256: str  # the file's
    format: str
    date_order: str
    messages: int
    notices: int
    warnings: list[str]
    items: list[FetchedItem]


def _chat_read(*, account: CampaignAccount, data: bytes, name: str, zone: ZoneInfo, date_order: str | None) -> _Chat:
    """Read a chat export into one FetchedItem per message; UploadRefused for anything else."""
    if not data:
        raise UploadRefused("The file is empty.")
    if len(data) > MAX_CHAT_BYTES:
        raise UploadRefused(f"The file is larger than {MAX_CHAT_BYTES // MB} MB, so it was refused.")
    _refuse_non_chat(data, name)
    try:
        parsed = parse_chat_file(
            data,
            filename=name,
            max_bytes=MAX_CHAT_BYTES,
            max_uncompressed=MAX_CHAT_UNCOMPRESSED,
            date_order=date_order or None,
        )
    except ChatParseError as exc:
        raise UploadRefused(str(exc)) from exc
    messages = [message for message in parsed.messages if message.sender is not None]
    if not messages:
        raise UploadRefused(
            "The chat holds only WhatsApp's own notices and no messages from anyone; nothing to import."
        )
    if len(messages) > MAX_IMPORT_MESSAGES:
        raise UploadRefused(f"The chat holds more than {MAX_IMPORT_MESSAGES:,} messages; that is more than one import.")
    sha256 = hashlib.sha256(data).hexdigest()
    chat = {"file_name": name, "sha256": sha256, "bytes": len(data), "format": parsed.format}
    return _Chat(
        sha256=sha256,
        format=parsed.format,
        date_order=parsed.date_order,
        messages=len(messages),
        notices=len(parsed.messages) - len(messages),
        warnings=list(parsed.warnings),
        items=_message_items(account=account, messages=messages, zone=zone, chat=chat),
    )


def _known_ids(ids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(ids), IMPORT_BATCH):
        batch = ids[start : start + IMPORT_BATCH]
        known.update(
            Item.objects.filter(platform=Platform.WHATSAPP, external_id__in=batch).values_list("external_id", flat=True)
        )
    return known


def whatsapp_upload(
    *,
    user,
    account: CampaignAccount,
    data: bytes,
    file_name: str,
    time_zone: str = "",
    date_order: str | None = None,
    note: str = "",
    queue: bool = True,
) -> ImportResult:
    """Check an exported WhatsApp chat, keep the file and queue the import of its new messages.

    The whole file is read and checked here: anything that isn't a readable WhatsApp export is
    refused with UploadRefused and nothing is stored. When every message was imported before,
    nothing is stored either (the result has no job). Otherwise the first new message is
    ingested, the file is written once as its upload (logged in the custody and audit logs), and
    the import of the others is queued once this commits; its progress is under `result.job`.
    With `queue=False` nothing is queued: the caller runs `whatsapp_messages_ingest(**result.task)`.
    """
    _require_decider(user=user, account=account)
    zone = time_zone_named(time_zone or settings.TIME_ZONE)
    name = shown_name(file_name)
    chat = _chat_read(account=account, data=data, name=name, zone=zone, date_order=date_order)
    sha256 = chat.sha256
    result = ImportResult(
        file_name=name,
        sha256=sha256,
        chat_format=chat.format,
        date_order=chat.date_order,
        messages=chat.messages,
        notices=chat.notices,
        warnings=chat.warnings,
    )
    job = str(uuid.uuid4())
    try:
        with transaction.atomic():
            known = _known_ids([item.external_id for item in chat.items])
            new = [item for item in chat.items if item.external_id not in known]
            result.new, result.duplicates = len(new), len(chat.items) - len(new)
            if not new:
                return result
            first = item_ingest_page(account=account, page=FetchPage(items=[new[0]]), platform=Platform.WHATSAPP)
            if first.created != 1:
                raise UploadRefused(
                    "Another import of this chat is storing the same messages right now. Wait a minute, then "
                    "upload the file again: nothing was stored, and what the other import stores is skipped."
                )
            anchor = Item.objects.select_related("account").get(
                platform=Platform.WHATSAPP, external_id=new[0].external_id
            )
            is_zip = data.startswith((b"PK\x03\x04", b"PK\x05\x06"))
            reason = _reason(f"WhatsApp chat export uploaded by {user.username} for import", note)
            result.artefact, _ = _store_upload(
                item=anchor,
                data=data,
                sha256=sha256,
                media_type="application/zip" if is_zip else "text/plain",
                user=user,
                reason=reason,
                detail={
                    "upload": "whatsapp_chat",
                    "file_name": name,
                    "format": chat.format,
                    "date_order": chat.date_order,
                    "time_zone": zone.key,
                    "messages": chat.messages,
                    "notices": chat.notices,
                    "new": result.new,
                    "already_imported": result.duplicates,
                    "job": job,
                    "warnings": chat.warnings[:20],
                },
            )
            result.anchor, result.job = anchor, job
            result.created, result.flagged, result.duplicates = 1, first.flagged, 0
            audit_record(
                verb=AuditEvent.Verb.EVIDENCE_UPLOAD,
                actor=user,
                account=account,
                obj=anchor,
                summary=f"WhatsApp chat {name} uploaded by {user.username}: {chat.messages:,} messages, "
                f"{result.new:,} of them new, queued for import",
                detail={
                    "artefact": str(result.artefact.code),
                    "sha256": sha256,
                    "bytes": len(data),
                    "job": job,
                    "messages": chat.messages,
                    "new": result.new,
                },
            )
            result.task = {
                "job": job,
                "artefact_id": result.artefact.pk,
                "user_id": user.pk,
                "time_zone": zone.key,
                "date_order": chat.date_order,
                "anchor": anchor.external_id,
            }
            import_progress_save(
                {
                    "job": job,
                    "state": IMPORT_QUEUED,
                    "account_id": account.pk,
                    "account_handle": account.handle,
                    "username": user.username,
                    "file_name": name,
                    "sha256": sha256,
                    "artefact": str(result.artefact.code),
                    "anchor": str(anchor.code),
                    "messages": chat.messages,
                    "new": result.new,
                    "read": 1,
                    "created": 1,
                    "flagged": first.flagged,
                    "duplicates": 0,
                    "start": {"read": 1, "created": 1, "flagged": first.flagged, "duplicates": 0},
                    "error": "",
                    "warnings": chat.warnings[:5],
                    "queued_at": timezone.now().isoformat(),
                    "started_at": "",
                    "finished_at": "",
                }
            )
            _import_remember(user=user, job=job)
            if queue:
                from evidence.tasks import whatsapp_import_run  # the tasks module imports this one

                transaction.on_commit(functools.partial(whatsapp_import_run.delay, **result.task))
    except BaseException:
        cache.delete(_progress_key(job))  # nothing was stored, so there is nothing to follow
        raise
    return result


def whatsapp_messages_ingest(
    *, job: str, artefact_id: int, user_id: int, time_zone: str, date_order: str, anchor: str
) -> dict:
    """The import of a chat's messages, from the file its upload stored: the task's body.

    Reads the stored file back and checks its SHA-256, reads the chat again and ingests every
    message but the first new one (stored with the upload) a batch at a time, each batch in its
    own transaction, so the progress in the cache is live and what was imported stays imported
    if the import stops. A failure is recorded with its reason (in the progress and the audit
    log), never raised; uploading the same file again imports the rest and skips the others.
    Safe to run twice: a finished import is left alone.
    """
    progress = import_progress(job) or {"job": job, "warnings": []}  # the cache may have lost it
    if progress.get("state") == IMPORT_DONE:
        return progress
    # A task run again after a lost worker counts from the upload's figures again; what the first
    # run stored is then counted as already imported.
    start = progress.get("start") or {"read": 1, "created": 1, "flagged": 0, "duplicates": 0}
    progress.update(start, state=IMPORT_RUNNING, error="", started_at=timezone.now().isoformat())
    import_progress_save(progress)
    user = account = artefact = None
    try:
        artefact = Artefact.objects.select_related("item", "item__account").get(pk=artefact_id)
        account = artefact.item.account
        user = get_user_model().objects.filter(pk=user_id).first()
        chat_file = artefact.item.raw.get("chat_file", {})
        for key, value in {
            "account_id": account.pk,
            "account_handle": account.handle,
            "username": getattr(user, "username", ""),
            "file_name": chat_file.get("file_name", "chat"),
            "sha256": artefact.sha256,
            "artefact": str(artefact.code),
            "anchor": str(artefact.item.code),
        }.items():
            progress.setdefault(key, value)
        data = _stored_chat(artefact)
        try:
            chat = _chat_read(
                account=account,
                data=data,
                name=progress["file_name"],
                zone=time_zone_named(time_zone),
                date_order=date_order,
            )
        except UploadRefused as exc:
            raise ImportFailed(f"The stored chat file could not be read again: {exc}") from exc
        progress.setdefault("messages", chat.messages)
        progress.setdefault("new", chat.messages)
        rest = [item for item in chat.items if item.external_id != anchor]
        for start in range(0, len(rest), IMPORT_BATCH):
            batch = rest[start : start + IMPORT_BATCH]
            page = item_ingest_page(account=account, page=FetchPage(items=batch), platform=Platform.WHATSAPP)
            progress["read"] += len(batch)
            progress["created"] += page.created
            progress["flagged"] += page.flagged
            progress["duplicates"] += page.duplicates
            import_progress_save(progress)
    except Exception as exc:  # an import that stops must say why on its page, never hang at "importing"
        if isinstance(exc, ImportFailed):
            reason = str(exc)
            logger.warning("WhatsApp import %s failed: %s", job, reason)
        else:
            logger.exception("WhatsApp import %s failed", job)
            reason = (
                f"The import stopped after {progress['read']:,} of {progress.get('messages', 0):,} messages "
                f"({type(exc).__name__})."
            )
        reason += (
            " The messages imported so far are kept. Upload the same file again to import the rest: "
            "messages already imported are skipped."
        )
        progress.update(state=IMPORT_FAILED, error=reason, finished_at=timezone.now().isoformat())
        import_progress_save(progress)
        _import_audit(progress=progress, user=user, account=account, artefact=artefact)
        return progress
    progress.update(state=IMPORT_DONE, finished_at=timezone.now().isoformat())
    import_progress_save(progress)
    _import_audit(progress=progress, user=user, account=account, artefact=artefact)
    return progress


def _stored_chat(artefact: Artefact) -> bytes:
    """The chat file as its upload stored it, refused if it no longer matches its SHA-256."""
    try:
        data = artefact_path(artefact).read_bytes()
    except OSError as exc:
        raise ImportFailed(
            f"The stored chat file can't be read ({type(exc).__name__}); ask your administrator to check the "
            "evidence store."
        ) from exc
    if hashlib.sha256(data).hexdigest() != artefact.sha256:
        raise ImportFailed(
            "The stored chat file no longer matches the SHA-256 recorded when it was uploaded, so it was not "
            "imported. Run verify_evidence to see what changed."
        )
    return data


def _import_audit(*, progress: dict, user, account, artefact) -> None:
    if account is None or artefact is None:
        return  # nothing was found to import into; the reason is in the progress
    done = progress["state"] == IMPORT_DONE
    name = progress.get("file_name", "chat")
    counts = (
        f"{progress['created']:,} new messages, {progress['flagged']:,} flagged, "
        f"{progress['duplicates']:,} already imported"
    )
    try:
        audit_record(
            verb=AuditEvent.Verb.EVIDENCE_UPLOAD,
            actor=user,
            account=account,
            obj=artefact.item,
            summary=f"WhatsApp chat {name} imported: {counts}"
            if done
            else f"WhatsApp chat {name}: import failed after {counts}",
            detail={
                "job": progress["job"],
                "artefact": str(artefact.code),
                "state": progress["state"],
                "messages": progress.get("messages", 0),
                "read": progress["read"],
                "created": progress["created"],
                "flagged": progress["flagged"],
                "duplicates": progress["duplicates"],
                "error": progress.get("error", ""),
            },
        )
    except DatabaseError:  # the database may be why it failed; the progress still says so
        logger.exception("Could not audit WhatsApp import %s", progress["job"])


def whatsapp_import(
    *,
    user,
    account: CampaignAccount,
    data: bytes,
    file_name: str,
    time_zone: str = "",
    date_order: str | None = None,
    note: str = "",
) -> ImportResult:
    """Upload a chat and import it in this process, in one call (for scripts and tests).

    The dashboard queues the import instead (`whatsapp_upload`). Raises UploadRefused (nothing
    stored) for anything that isn't a readable WhatsApp export; a failed import is reported in
    `result.error`.
    """
    result = whatsapp_upload(
        user=user,
        account=account,
        data=data,
        file_name=file_name,
        time_zone=time_zone,
        date_order=date_order,
        note=note,
        queue=False,
    )
    if result.job:
        progress = whatsapp_messages_ingest(**result.task)
        result.created, result.flagged, result.duplicates = (
            progress["created"],
            progress["flagged"],
            progress["duplicates"],
        )
        result.error = progress["error"]
    return result


# --- Import progress, in the cache --------------------------------------------------------------


def _progress_key(job: str) -> str:
    return f"evidence:whatsapp-import:{job}"


def _recent_key(user_id: int) -> str:
    return f"evidence:whatsapp-imports-by:{user_id}"


def import_progress_save(progress: dict) -> None:
    cache.set(_progress_key(progress["job"]), progress, IMPORT_PROGRESS_TTL)


def import_progress(job: str) -> dict | None:
    return cache.get(_progress_key(str(job)))


def _import_remember(*, user, job: str) -> None:
    recent = [job, *(cache.get(_recent_key(user.pk)) or [])][:RECENT_IMPORTS]
    cache.set(_recent_key(user.pk), recent, IMPORT_PROGRESS_TTL)


def import_progress_for_user(user, job) -> dict:
    """An import's progress, or 404 to anyone who isn't a member of its account (any role)."""
    progress = import_progress(str(job))
    if progress is None or not Membership.objects.filter(user=user, account_id=progress.get("account_id")).exists():
        raise Http404("No such import")
    return progress


def imports_for_user(user) -> list[dict]:
    """The person's recent imports still in the cache, on accounts they are still a member of."""
    jobs = cache.get(_recent_key(user.pk)) or []
    found = cache.get_many([_progress_key(job) for job in jobs])
    progresses = [found[_progress_key(job)] for job in jobs if _progress_key(job) in found]
    member_of = set(Membership.objects.filter(user=user).values_list("account_id", flat=True))
    return [progress for progress in progresses if progress.get("account_id") in member_of]


def item_code_from(value: str) -> uuid.UUID | None:
    """An item's code from what a person pasted: the code itself or a link to the item's page."""
    match = _UUID.search(value or "")
    return uuid.UUID(match.group(0)) if match else None
