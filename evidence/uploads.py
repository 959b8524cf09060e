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
polled reply (``item_ingest_page``): the rules engine checks them, the queue shows what breaks a
rule, and evidence capture follows for what is flagged.
"""

from __future__ import annotations

import copy
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
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from PIL import Image

from evidence.models import Artefact, CustodyEvent
from evidence.services import artefact_store, custody_append
from moderation.models import AuditEvent, CampaignAccount, Item, Membership, Platform
from moderation.services import IngestResult, audit_record, item_ingest_page
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


def _as_channel(account: CampaignAccount, platform: str) -> CampaignAccount:
    """The account as the ingest should see it for items from another channel.

    `item_ingest_page` takes an item's platform from its account (Item.platform is copied from
    the account so the database keeps (platform, external_id) unique). Uploaded items come from
    a channel that isn't the account's own, so the ingest gets a copy of the account that names
    that channel. The copy is only read, never saved.
    """
    view = copy.copy(account)
    view.platform = platform
    return view


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
    *, item: Item, data: bytes, media_type: str, user, reason: str, detail: dict
) -> tuple[Artefact, CustodyEvent]:
    """Write the file once as the item's UPLOAD artefact and log the upload in the custody log."""
    sha256 = hashlib.sha256(data).hexdigest()
    if Artefact.objects.filter(item=item, kind=Artefact.Kind.UPLOAD, derived_from__isnull=True).exists():
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
    if artefact.sha256 != sha256:
        raise UploadRefused(_ALREADY_HAS_UPLOAD)  # another upload to the same item got there first
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


_ALREADY_HAS_UPLOAD = (
    "This item already has an uploaded file, and SaferPol keeps one upload per item. Upload the "
    "screenshot as a new item instead."
)


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
    flagged: bool


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
            created = False
            reason = _reason(f"screenshot uploaded by {user.username} for an item already held", note)
        else:
            item = _manual_item_create(account=account, new_item=new_item, user=user, screenshot=upload)
            created = True
            reason = _reason(f"screenshot uploaded by {user.username} with a new item typed from it", note)
        artefact, _ = _store_upload(
            item=item,
            data=data,
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
            summary=f"Screenshot {name} uploaded for {'a new item' if created else item} by {user.username}",
            detail={"artefact": str(artefact.code), "sha256": sha256, "bytes": len(data), "new_item": created},
        )
    return ScreenshotResult(
        item=item, artefact=artefact, item_created=created, flagged=item.status != Item.Status.CLEAR
    )


def _manual_item_create(*, account: CampaignAccount, new_item: ManualItem, user, screenshot: dict) -> Item:
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
    result = item_ingest_page(account=_as_channel(account, new_item.platform), page=FetchPage(items=[fetched]))
    if result.created != 1:
        raise UploadRefused("This post was recorded by someone else just now. Nothing new was stored.")
    return Item.objects.select_related("account").get(platform=new_item.platform, external_id=external_id)


# --- WhatsApp chats ---------------------------------------------------------------------------


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    chat_format: str  # "android" or "iphone"
    date_order: str
    messages: int  # with a sender; WhatsApp's own notices are not imported
    notices: int
    created: int = 0
    flagged: int = 0
    duplicates: int = 0
    warnings: list[str] = field(default_factory=list)
    artefact: Artefact | None = None  # None when every message was already held
    anchor: Item | None = None  # the item the chat file is stored with

    def summary(self) -> str:
        if not self.created:
            return f"{self.file_name}: all {self.messages:,} messages were imported before; nothing new was stored."
        return (
            f"{self.file_name}: {self.messages:,} messages read, {self.created:,} imported, {self.flagged:,} "
            f"flagged, {self.duplicates:,} already imported (skipped). The chat file is kept with SHA-256 "
            f"{self.sha256}."
        )


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
    for message in messages:
        key = (message.sender, message.sent_at.isoformat(), message.text)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        external_id = "wa-" + _digest(account.code, *key, occurrence)[:40]
        fetched.append(
            FetchedItem(
                external_id=external_id,
                kind=Item.Kind.MESSAGE,
                text=message.text,
                author=_author(account=account, platform=Platform.WHATSAPP, handle=message.sender, name=message.sender),
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


def _known_ids(ids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(ids), IMPORT_BATCH):
        batch = ids[start : start + IMPORT_BATCH]
        known.update(
            Item.objects.filter(platform=Platform.WHATSAPP, external_id__in=batch).values_list("external_id", flat=True)
        )
    return known


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
    """Import an exported WhatsApp chat: each message becomes an item, checked by the rules engine.

    Messages already imported (from this file or an earlier export of the same chat) are skipped.
    The chat file is kept as an UPLOAD artefact with the first new message; the custody event of
    the upload lists what the import did. Raises UploadRefused (nothing stored) for anything that
    isn't a readable WhatsApp export.
    """
    _require_decider(user=user, account=account)
    zone = time_zone_named(time_zone or settings.TIME_ZONE)
    name = shown_name(file_name)
    if not data:
        raise UploadRefused("The file is empty.")
    if len(data) > MAX_CHAT_BYTES:
        raise UploadRefused(f"The file is larger than {MAX_CHAT_BYTES // MB} MB, so it was refused.")
    _refuse_non_chat(data, file_name)
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
    is_zip = data.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    media_type = "application/zip" if is_zip else "text/plain"
    chat = {"file_name": name, "sha256": sha256, "bytes": len(data), "format": parsed.format}
    fetched = _message_items(account=account, messages=messages, zone=zone, chat=chat)
    result = ImportResult(
        file_name=name,
        sha256=sha256,
        chat_format=parsed.format,
        date_order=parsed.date_order,
        messages=len(messages),
        notices=len(parsed.messages) - len(messages),
        warnings=list(parsed.warnings),
    )

    with transaction.atomic():
        known = _known_ids([item.external_id for item in fetched])
        channel = _as_channel(account, Platform.WHATSAPP)
        total = IngestResult()
        for start in range(0, len(fetched), IMPORT_BATCH):
            total.add(item_ingest_page(account=channel, page=FetchPage(items=fetched[start : start + IMPORT_BATCH])))
        result.created, result.flagged, result.duplicates = total.created, total.flagged, total.duplicates
        if not total.created:
            return result
        new_ids = [item.external_id for item in fetched if item.external_id not in known]
        anchor = _anchor(new_ids)
        reason = _reason(f"WhatsApp chat export uploaded by {user.username} and imported", note)
        result.artefact, _ = _store_upload(
            item=anchor,
            data=data,
            media_type=media_type,
            user=user,
            reason=reason,
            detail={
                "upload": "whatsapp_chat",
                "file_name": name,
                "format": parsed.format,
                "date_order": parsed.date_order,
                "time_zone": zone.key,
                "messages": result.messages,
                "notices": result.notices,
                "created": result.created,
                "flagged": result.flagged,
                "duplicates": result.duplicates,
                "warnings": result.warnings[:20],
            },
        )
        result.anchor = anchor
        audit_record(
            verb=AuditEvent.Verb.EVIDENCE_UPLOAD,
            actor=user,
            account=account,
            obj=anchor,
            summary=f"WhatsApp chat {name} imported by {user.username}: {result.created} new messages, "
            f"{result.flagged} flagged, {result.duplicates} already imported",
            detail={
                "artefact": str(result.artefact.code),
                "sha256": sha256,
                "bytes": len(data),
                "created": result.created,
                "flagged": result.flagged,
                "duplicates": result.duplicates,
            },
        )
    return result


def _anchor(new_ids: list[str]) -> Item:
    """The first new message (in the chat's order) with no upload yet: the chat file is kept with it."""
    for start in range(0, len(new_ids), IMPORT_BATCH):
        batch = new_ids[start : start + IMPORT_BATCH]
        free = {
            item.external_id: item
            for item in Item.objects.filter(platform=Platform.WHATSAPP, external_id__in=batch)
            .exclude(artefacts__kind=Artefact.Kind.UPLOAD)
            .select_related("account")
        }
        for external_id in batch:
            if external_id in free:
                return free[external_id]
    raise UploadRefused("Another import of this chat finished first; nothing new was stored.")


def item_code_from(value: str) -> uuid.UUID | None:
    """An item's code from what a person pasted: the code itself or a link to the item's page."""
    match = _UUID.search(value or "")
    return uuid.UUID(match.group(0)) if match else None
