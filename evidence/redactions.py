"""Annotations and redactions: new files about an original, never a change to it.

An annotation is a note someone writes about a stored file (what it shows, why it matters). A
redaction is a copy of a picture with areas filled black (a child's face, a home address) so it
can be shared more widely. Each is written once as an artefact of its own that points at the
original (``derived_from``), hashed and logged like a capture, and the act itself goes into the
custody log (ANNOTATE or REDACT) with who did it and why. The original file is only read, after
checking it still matches the SHA-256 recorded when it was captured.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from datetime import UTC

import PIL
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageOps

from evidence.models import Artefact, CustodyEvent
from evidence.services import artefact_path, artefact_store, custody_append
from moderation.models import Membership

ANNOTATION_TOOL = "saferpol-annotate"
REDACTION_TOOL = f"saferpol-redact (Pillow {PIL.__version__})"
MAX_NOTE_CHARS = 20_000
MAX_RECTANGLES = 50
# Pictures SaferPol stores (captures and uploads); only these can be redacted.
REDACTABLE_TYPES = frozenset({"image/png", "image/jpeg"})
# An annotation file is a short header, a blank line, then the note exactly as written.
_ANNOTATION_HEADER_END = "\n\n"


class EvidenceNoteRefused(ValueError):
    """The annotation or redaction was refused and nothing was stored; the message says why."""


@dataclass(frozen=True)
class Rectangle:
    x: int
    y: int
    width: int
    height: int

    def as_dict(self) -> dict:
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height}


def is_redactable(artefact: Artefact) -> bool:
    """Whether a redacted copy can be made of this file: a captured original picture."""
    return (
        artefact.status == Artefact.Status.CAPTURED
        and artefact.derived_from_id is None
        and artefact.media_type in REDACTABLE_TYPES
    )


def _require_decider(*, user, artefact: Artefact) -> None:
    membership = Membership.objects.filter(user=user, account_id=artefact.item.account_id).first()
    if membership is None or not membership.can_decide:
        raise PermissionDenied("Only the account's owner and co-moderators can annotate or redact evidence.")


def _read_original(artefact: Artefact) -> bytes:
    """The stored bytes, refused unless they still match what was recorded at capture."""
    if artefact.status != Artefact.Status.CAPTURED or not artefact.file_name:
        raise EvidenceNoteRefused("This file was never captured, so there is nothing to work from.")
    try:
        content = artefact_path(artefact).read_bytes()
    except OSError:
        raise EvidenceNoteRefused("This evidence file is missing or unreadable; run verify_evidence.") from None
    if hashlib.sha256(content).hexdigest() != artefact.sha256 or len(content) != artefact.bytes:
        raise EvidenceNoteRefused(
            "This evidence file no longer matches the SHA-256 recorded when it was captured, so nothing was "
            "made from it. Run verify_evidence to see what changed."
        )
    return content


def _utc_text(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


# --- Annotations ------------------------------------------------------------------------------


def annotation_content(*, artefact: Artefact, user, note: str, at) -> bytes:
    header = (
        "SaferPol annotation\n"
        f"About: {artefact.get_kind_display()} of item {artefact.item.code} "
        f"(artefact {artefact.code}, SHA-256 {artefact.sha256})\n"
        f"By: {user.username}\n"
        f"At: {_utc_text(at)}"
    )
    return (header + _ANNOTATION_HEADER_END + note).encode("utf-8")


def annotation_note(content: bytes) -> str:
    """The note as written, from an annotation file (everything after the header)."""
    text = content.decode("utf-8", errors="replace")
    _, separator, note = text.partition(_ANNOTATION_HEADER_END)
    return note if separator else text


def annotation_note_for(artefact: Artefact, *, limit: int = 64 * 1024) -> str | None:
    """The note of a stored annotation, for showing on the page; None if the file can't be read
    or no longer matches its SHA-256 (the page then says so rather than show altered words)."""
    try:
        with open(artefact_path(artefact), "rb") as handle:
            content = handle.read(limit + 1)
    except OSError:
        return None
    if len(content) > limit or hashlib.sha256(content).hexdigest() != artefact.sha256:
        return None
    return annotation_note(content)


def clean_note(note: str) -> str:
    note = (note or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not note:
        raise EvidenceNoteRefused("Write the note.")
    if len(note) > MAX_NOTE_CHARS:
        raise EvidenceNoteRefused(f"The note is longer than {MAX_NOTE_CHARS:,} characters; shorten it.")
    return note


@transaction.atomic
def artefact_annotate(*, artefact: Artefact, user, note: str, reason: str = "") -> Artefact:
    """Store a note about a file as a new write-once text file, and log it as an ANNOTATE event."""
    _require_decider(user=user, artefact=artefact)
    if artefact.kind == Artefact.Kind.ANNOTATION:
        raise EvidenceNoteRefused("A note can't be annotated; add a note to the file it is about instead.")
    note = clean_note(note)
    _read_original(artefact)  # only annotate a file that is still what was captured
    reason = reason.strip() or f"annotation added by {user.username}"
    annotation = artefact_store(
        item=artefact.item,
        kind=Artefact.Kind.ANNOTATION,
        content=annotation_content(artefact=artefact, user=user, note=note, at=timezone.now()),
        media_type="text/plain",
        tool=ANNOTATION_TOOL,
        derived_from=artefact,
        actor=user,
        reason=reason,
    )
    custody_append(
        action=CustodyEvent.Action.ANNOTATE,
        obj=annotation,
        actor=user,
        reason=reason,
        detail={
            "item": str(artefact.item.code),
            "annotates": str(artefact.code),
            "annotates_kind": artefact.kind,
            "annotates_sha256": artefact.sha256,
            "sha256": annotation.sha256,
            "characters": len(note),
        },
    )
    return annotation


# --- Redactions -------------------------------------------------------------------------------


def parse_rectangles(text: str) -> list[Rectangle]:
    """Rectangles from text, one per line: ``x, y, width, height`` in pixels (commas or spaces)."""
    rectangles = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = line.replace(",", " ").split()
        try:
            values = [int(part) for part in parts]
        except ValueError:
            values = []
        if len(values) != 4:
            raise EvidenceNoteRefused(
                f"Line {number} ({line[:40]!r}) isn't four whole numbers: write x, y, width, height, "
                "e.g. 10, 20, 200, 50."
            )
        rectangles.append(Rectangle(*values))
    if not rectangles:
        raise EvidenceNoteRefused("Give at least one rectangle to black out: x, y, width, height.")
    if len(rectangles) > MAX_RECTANGLES:
        raise EvidenceNoteRefused(f"Give at most {MAX_RECTANGLES} rectangles at a time.")
    return rectangles


def check_rectangles(rectangles: list[Rectangle], *, width: int, height: int) -> None:
    """Every rectangle must have a size and lie wholly inside the picture."""
    for number, r in enumerate(rectangles, start=1):
        label = f"Rectangle {number} ({r.x}, {r.y}, {r.width}, {r.height})"
        if r.width <= 0 or r.height <= 0:
            raise EvidenceNoteRefused(f"{label} has no area: width and height must be at least 1 pixel.")
        if r.x < 0 or r.y < 0 or r.x + r.width > width or r.y + r.height > height:
            raise EvidenceNoteRefused(
                f"{label} doesn't fit the picture, which is {width} by {height} pixels: x + width must be at most "
                f"{width} and y + height at most {height}."
            )


def _open_picture(content: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content), formats=["PNG", "JPEG"])
            image.load()
    except Exception as exc:  # Pillow raises many kinds; all mean the picture can't be worked on
        raise EvidenceNoteRefused(f"The picture can't be read ({type(exc).__name__}); nothing was made.") from exc
    # Browsers show a JPEG turned as its EXIF orientation says, so the pixels people measure are those.
    return ImageOps.exif_transpose(image)


def picture_size(artefact: Artefact) -> tuple[int, int] | None:
    """The picture's width and height as a browser shows it, or None if it can't be read."""
    try:
        with Image.open(artefact_path(artefact), formats=["PNG", "JPEG"]) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
    except Exception:  # a missing or damaged file: the page says the size is unknown
        return None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def redact_png(content: bytes, rectangles: list[Rectangle]) -> tuple[bytes, int, int]:
    """A PNG copy of the picture with each rectangle filled black; the copy's bytes and size."""
    image = _open_picture(content)
    width, height = image.size
    check_rectangles(rectangles, width=width, height=height)
    alpha = "A" in image.getbands() or "transparency" in image.info
    image = image.convert("RGBA" if alpha else "RGB")
    draw = ImageDraw.Draw(image)
    black = (0, 0, 0, 255) if alpha else (0, 0, 0)
    for r in rectangles:
        draw.rectangle((r.x, r.y, r.x + r.width - 1, r.y + r.height - 1), fill=black)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # lossless, and no metadata of the original carried over
    return buffer.getvalue(), width, height


@transaction.atomic
def artefact_redact(*, artefact: Artefact, user, rectangles: list[Rectangle], reason: str) -> Artefact:
    """Store a copy of a picture with areas blacked out, and log it as a REDACT event.

    Only originals (a capture or an upload) are redacted, so every redaction says plainly which
    file it hides parts of; the original is read, never written.
    """
    _require_decider(user=user, artefact=artefact)
    if artefact.derived_from_id is not None:
        raise EvidenceNoteRefused("Redact the original picture, not a copy made from it.")
    if artefact.media_type not in REDACTABLE_TYPES:
        raise EvidenceNoteRefused("Only pictures (PNG or JPEG) can be redacted.")
    reason = (reason or "").strip()
    if not reason:
        raise EvidenceNoteRefused("Say why you are redacting it; the reason goes into the custody log.")
    content, width, height = redact_png(_read_original(artefact), rectangles)
    redaction = artefact_store(
        item=artefact.item,
        kind=Artefact.Kind.REDACTION,
        content=content,
        media_type="image/png",
        tool=REDACTION_TOOL,
        derived_from=artefact,
        actor=user,
        reason=reason,
    )
    custody_append(
        action=CustodyEvent.Action.REDACT,
        obj=redaction,
        actor=user,
        reason=reason,
        detail={
            "item": str(artefact.item.code),
            "original": str(artefact.code),
            "original_kind": artefact.kind,
            "original_sha256": artefact.sha256,
            "sha256": redaction.sha256,
            "width": width,
            "height": height,
            "areas": [r.as_dict() for r in rectangles],
        },
    )
    return redaction
