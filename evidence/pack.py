"""The evidence pack: one ZIP of a selection of flagged items, for the police or a platform.

Layout (EVIDENCE.md): README.txt, report.pdf, evidence_log.csv, manifest.json, custody_log.jsonl,
incidents.json (the incident log entries about the selection), SHA256SUMS and one folder per item
with its stored files copied byte for byte: the captures, the files people uploaded
(``upload_N.<ext>``), redacted copies of pictures (``<name>_redacted_N.png``) and the team's
notes (``annotation_N.txt``). Every stored file is re-hashed as it is copied and the export stops
if one no longer matches its record, so altered evidence is never packed. Writing the pack is
itself a custody event.

A pack covers an account's flagged items, narrowed by author and date, or exactly the items
someone picked. With ``redacted``, a picture that has a redacted copy is packed as that copy
(the newest), and the original is left out but named by its SHA-256.
"""

from __future__ import annotations

import csv
import functools
import getpass
import hashlib
import io
import json
import logging
import os
import re
import unicodedata
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from evidence.fonts import pdf_font
from evidence.incidents import TEXT_FIELDS as INCIDENT_TEXT_FIELDS
from evidence.incidents import incident_record, pack_incidents
from evidence.models import Artefact, CustodyEvent, Pack
from evidence.redactions import annotation_note
from evidence.services import artefact_path, custody_append, custody_head, tool_version
from moderation.exports import CSV_BOM, CSV_HEADER, export_items, exported_file, item_csv_row, spreadsheet_safe
from moderation.models import AuditEvent, Author, CampaignAccount, Item, Membership
from moderation.records import item_record
from moderation.services import audit_record

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
# Packs of more items than this are built on the exports queue; smaller ones while the person waits.
PACK_BACKGROUND_ITEMS = 200
# A pick of items is for a case, not a whole account; the filters are there for that.
MAX_SELECTED_ITEMS = 5000
# reportlab's page compression; the tests turn it off so the report's text can be read back.
PDF_PAGE_COMPRESSION = 1

# Where each original kind goes inside the item's folder, in the order the report shows them.
PACK_FILE_NAMES = {
    Artefact.Kind.POST_PNG: "post.png",
    Artefact.Kind.PROFILE_PNG: "profile.png",
    Artefact.Kind.POST_SCREENSHOT: "post_screenshot.png",
    Artefact.Kind.PROFILE_SCREENSHOT: "profile_screenshot.png",
    Artefact.Kind.POST_JSON: "post.json",
    Artefact.Kind.AUTHOR_JSON: "author.json",
}
_PICTURE_KINDS = (
    Artefact.Kind.POST_PNG,
    Artefact.Kind.POST_SCREENSHOT,
    Artefact.Kind.PROFILE_PNG,
    Artefact.Kind.PROFILE_SCREENSHOT,
)
# Every flagged item should have these; the report says so when one doesn't.
_EXPECTED_KINDS = (
    Artefact.Kind.POST_PNG,
    Artefact.Kind.PROFILE_PNG,
    Artefact.Kind.POST_JSON,
    Artefact.Kind.AUTHOR_JSON,
)
# The order an item's originals are listed and shown in: pictures first, as the report shows them.
_ORIGINAL_ORDER = [*_PICTURE_KINDS, Artefact.Kind.POST_JSON, Artefact.Kind.AUTHOR_JSON]
_PICTURE_TYPES = frozenset({"image/png", "image/jpeg"})
# File name extensions by stored media type, for uploads and derived files.
_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "text/plain": "txt",
    "application/zip": "zip",
    "application/json": "json",
}
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]")


class PackError(Exception):
    """The pack can't be built; the message says why, in plain words."""


@dataclass(frozen=True)
class PackResult:
    path: Path
    sha256: str
    bytes: int
    items: int
    artefacts: int


def folder_name(number: int, item: Item) -> str:
    """`items/0001_<platform>_<external_id>`, with anything outside [A-Za-z0-9_-] replaced: ids are platform data."""
    return f"items/{number:04d}_{_UNSAFE_NAME.sub('_', f'{item.platform}_{item.external_id}')}"


def pack_items(*, account: CampaignAccount, author_handle: str | None = None, since: date | None = None) -> QuerySet:
    """The account's flagged items (status not clear), oldest first, optionally one author's and from a day on."""
    items = export_items(account=account, since=since).exclude(status=Item.Status.CLEAR)
    if author_handle:
        items = items.filter(author__handle=author_handle)
    return items


def _utc(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if value else "unknown"


def _read_verified(artefact: Artefact) -> bytes:
    """The stored file's bytes, checked against the SHA-256 and size recorded at capture."""
    path = artefact_path(artefact)
    label = f"artefact {artefact.code} ({artefact.kind}) of item {artefact.item.code}, file {path}"
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise PackError(f"Evidence file missing, nothing was packed: {label}") from None
    except OSError as exc:
        raise PackError(f"Evidence file unreadable, nothing was packed: {label}: {exc}") from None
    sha256 = hashlib.sha256(content).hexdigest()
    if sha256 != artefact.sha256 or len(content) != artefact.bytes:
        raise PackError(
            f"Evidence file altered, nothing was packed: {label} has sha256 {sha256} ({len(content)} bytes) "
            f"but {artefact.sha256} ({artefact.bytes} bytes) was recorded at capture. Run verify_evidence."
        )
    return content


def _artefact_entry(artefact: Artefact, file: str) -> dict:
    return {
        "code": str(artefact.code),
        "kind": artefact.kind,
        "file": file,
        "media_type": artefact.media_type,
        "sha256": artefact.sha256,
        "bytes": artefact.bytes,
        "captured_at": artefact.captured_at.astimezone(UTC).isoformat() if artefact.captured_at else None,
        "tool": artefact.tool,
        "tool_version": artefact.tool_version,
    }


def extension_for(media_type: str) -> str:
    """The file name extension for a stored media type ("image/jpeg" -> "jpg"); "bin" if unknown."""
    return _EXTENSIONS.get((media_type or "").split(";")[0].strip().lower(), "bin")


@dataclass
class PackedFile:
    """One stored file as it goes into an item's folder."""

    artefact: Artefact
    name: str  # inside the item's folder
    about: Artefact | None = None  # what a redaction or an annotation was made from
    about_name: str | None = None  # that file's name in the folder, when it is packed
    in_place_of_original: bool = False  # a redacted copy packed instead of its original
    content: bytes = b""
    events: dict = field(default_factory=dict)  # custody events about it, by action

    @property
    def is_picture(self) -> bool:
        return self.artefact.media_type in _PICTURE_TYPES


def plan_item_files(artefacts: list[Artefact], *, redacted: bool) -> tuple[list[PackedFile], list[tuple[str, str]]]:
    """Which of an item's stored files go into its folder, under which names, and what is missing.

    Names don't depend on the options: ``upload_2.jpg`` and ``post_redacted_1.png`` name the same
    files in every pack. With ``redacted``, a picture that has a redacted copy is represented by
    its newest copy alone.
    """
    captured = [a for a in artefacts if a.status == Artefact.Status.CAPTURED]
    missing = [
        (a.kind, f"capture failed: {a.error or 'unknown error'}")
        for a in artefacts
        if a.status != Artefact.Status.CAPTURED and a.derived_from_id is None and a.kind in PACK_FILE_NAMES
    ]
    recorded = {a.kind for a in artefacts if a.derived_from_id is None}
    missing += [(kind, "no capture recorded") for kind in _EXPECTED_KINDS if kind not in recorded]

    originals = sorted(
        (a for a in captured if a.derived_from_id is None and a.kind in PACK_FILE_NAMES),
        key=lambda a: _ORIGINAL_ORDER.index(a.kind),
    )
    uploads = sorted((a for a in captured if a.derived_from_id is None and a.kind == Artefact.Kind.UPLOAD), key=_by_id)
    names: dict[int, str] = {a.id: PACK_FILE_NAMES[a.kind] for a in originals}
    for number, upload in enumerate(uploads, start=1):
        names[upload.id] = f"upload_{number}.{extension_for(upload.media_type)}"
    by_id = {a.id: a for a in captured}
    copies: dict[int, list[Artefact]] = defaultdict(list)
    annotations: list[Artefact] = []
    for artefact in sorted((a for a in captured if a.derived_from_id is not None), key=_by_id):
        if artefact.kind == Artefact.Kind.ANNOTATION:
            annotations.append(artefact)
            names[artefact.id] = f"annotation_{len(annotations)}.txt"
            continue
        copies[artefact.derived_from_id].append(artefact)
        parent = names.get(artefact.derived_from_id, artefact.kind)
        stem = parent.rsplit(".", 1)[0]
        names[artefact.id] = (
            f"{stem}_redacted_{len(copies[artefact.derived_from_id])}.{extension_for(artefact.media_type)}"
        )

    files: list[PackedFile] = []
    for original in [*originals, *uploads]:
        made = [a for a in copies.get(original.id, []) if a.kind == Artefact.Kind.REDACTION]
        if redacted and made and original.media_type in _PICTURE_TYPES:
            newest = made[-1]
            files.append(PackedFile(newest, names[newest.id], about=original, in_place_of_original=True))
            continue
        files.append(PackedFile(original, names[original.id]))
        files += [PackedFile(copy, names[copy.id], about=original, about_name=names[original.id]) for copy in made]
    packed = {f.artefact.id: f for f in files}
    for file in files:
        if file.in_place_of_original:
            packed[file.about.id] = file  # notes about the original point at the copy used instead
    for annotation in annotations:
        about = by_id.get(annotation.derived_from_id) or annotation.derived_from
        shown = packed.get(annotation.derived_from_id)
        files.append(
            PackedFile(annotation, names[annotation.id], about=about, about_name=shown.name if shown else None)
        )
    return files, missing


def _by_id(artefact: Artefact) -> int:
    return artefact.id


def _artefact_events(codes: list[str]) -> dict[str, dict[str, CustodyEvent]]:
    """The capture, upload, annotate and redact events of these artefacts: who made each file, and how."""
    wanted = [
        CustodyEvent.Action.CAPTURE,
        CustodyEvent.Action.UPLOAD,
        CustodyEvent.Action.ANNOTATE,
        CustodyEvent.Action.REDACT,
    ]
    found: dict[str, dict[str, CustodyEvent]] = defaultdict(dict)
    for start in range(0, len(codes), 500):
        for event in CustodyEvent.objects.filter(
            object_type="artefact", object_code__in=codes[start : start + 500], action__in=wanted
        ).order_by("id"):
            found[event.object_code].setdefault(event.action, event)
    return found


def _made_by(file: PackedFile) -> str:
    """Who stored the file: the person named in its upload, annotate or redact event, else its capture."""
    for action in (CustodyEvent.Action.UPLOAD, CustodyEvent.Action.ANNOTATE, CustodyEvent.Action.REDACT):
        if action in file.events:
            return file.events[action].actor_label
    capture = file.events.get(CustodyEvent.Action.CAPTURE)
    return capture.actor_label if capture else "unknown"


def _file_entry(file: PackedFile, *, folder: str, item_code: str) -> dict:
    """The manifest's (and metadata.json's) record of one packed file."""
    artefact = file.artefact
    entry = {"item": item_code, **_artefact_entry(artefact, f"{folder}/{file.name}")}
    if artefact.kind in (Artefact.Kind.UPLOAD, Artefact.Kind.ANNOTATION, Artefact.Kind.REDACTION):
        entry["made_by"] = _made_by(file)
    if file.about is not None:
        entry["derived_from"] = {
            "code": str(file.about.code),
            "kind": file.about.kind,
            "sha256": file.about.sha256,
            "file": f"{folder}/{file.about_name}" if file.about_name else None,
        }
    redact = file.events.get(CustodyEvent.Action.REDACT)
    if redact is not None and isinstance(redact.detail, dict):
        entry["redacted_areas"] = redact.detail.get("areas", [])
        entry["reason"] = redact.reason
    if file.in_place_of_original:
        entry["in_place_of_original"] = True
        entry["note"] = (
            "A redacted copy was packed in place of the original picture, which is not in this pack; "
            "the original's SHA-256 is under derived_from."
        )
    return entry


def _custody_line(event: CustodyEvent) -> str:
    """One event as JSON; its hash is SHA-256 over the canonical JSON of every field but `id` and `hash`."""
    record = {
        "id": event.id,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_code": event.object_code,
        "reason": event.reason,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


# --- The PDF report -------------------------------------------------------------------------


def pdf_text(value: object) -> str:
    """Platform text as reportlab Paragraph markup that prints as text.

    Control and invisible format characters (bidi overrides, zero widths) are shown as <U+XXXX>
    so nothing is hidden from the reader; line breaks stay line breaks.
    """
    shown = "".join(
        f"<U+{ord(char):04X}>" if char != "\n" and unicodedata.category(char) in ("Cc", "Cf") else char
        for char in str(value if value is not None else "")
    )
    return escape(shown).replace("\n", "<br/>")


def _hit_lines(hits: list[dict]) -> list[str]:
    return [
        f"Rule {hit['rule']}, {hit['category']} ({hit['severity']}, score {hit['score']:.2f}): {hit['reason']}"
        for hit in hits
    ]


def _decision_lines(decisions: list[dict]) -> list[str]:
    lines = []
    for decision in decisions:
        outcome = decision["outcome"]
        if outcome is None:
            result = "no platform action"
        elif outcome["error"]:
            result = f"{outcome['status']}: {outcome['error']}"
        else:
            result = outcome["status"]
        text = f"{decision['action']} by {decision['by']} at {decision['at']} (outcome: {result})"
        lines.append(f"{text}. Note: {decision['note']}" if decision["note"] else text)
    return lines


def _incident_story(incidents: list[dict], numbers: dict[str, int], para, field, styles) -> list:
    """The incident log section: each entry as the person wrote it, with the pack's item numbers."""
    story: list = [
        para("Incident log", styles["Heading2"]),
        para(
            "What the account's team recorded about these replies, in the victims' guides' fields. "
            "Written by people, not captured from the platform; incidents.json has the same entries."
        ),
    ]
    if not incidents:
        story.append(para("No incidents were recorded for this selection."))
    for record in incidents:
        name = record["title"] or (f"@{record['author']['handle']}" if record["author"] else record["code"])
        in_pack = [f"{numbers[i['code']]:04d}" for i in record["items"] if i["code"] in numbers]
        elsewhere = len(record["items"]) - len(in_pack)
        replies = ", ".join(in_pack) or "none in this pack"
        if elsewhere:
            replies += f" (and {elsewhere} not in this pack)"
        story += [
            para(pdf_text(f"Incident: {name}"), styles["Heading3"]),
            field("Reference", record["code"]),
            field("Status", record["status"]),
            field("Author", f"@{record['author']['handle']}" if record["author"] else "not named"),
            field(
                "When it happened",
                _utc(datetime.fromisoformat(record["occurred_at"])) if record["occurred_at"] else "not given",
            ),
            *[field(label, record[name_] or "(nothing written)") for name_, label in INCIDENT_TEXT_FIELDS],
            field("Items in this pack", replies),
            field(
                "Recorded",
                f"opened by {record['created_by']} at {_utc(datetime.fromisoformat(record['created_at']))}, "
                f"last changed by {record['updated_by']} at {_utc(datetime.fromisoformat(record['updated_at']))}",
            ),
        ]
    return story


def _file_caption(file: PackedFile) -> str:
    """Where a packed file came from, in one line: captured, uploaded, or made from another file."""
    artefact = file.artefact
    when = _utc(artefact.captured_at)
    if artefact.kind == Artefact.Kind.UPLOAD:
        return f"Uploaded by {_made_by(file)} at {when}, SHA-256 {artefact.sha256}"
    if artefact.kind == Artefact.Kind.REDACTION:
        redact = file.events.get(CustodyEvent.Action.REDACT)
        areas = len(redact.detail.get("areas", [])) if redact and isinstance(redact.detail, dict) else 0
        reason = f" Reason: {redact.reason}." if redact and redact.reason else ""
        original = file.about_name or PACK_FILE_NAMES.get(file.about.kind, file.about.kind)
        text = (
            f"Redacted copy of {original}: {areas} area(s) filled black by {_made_by(file)} at {when}.{reason} "
            f"SHA-256 {artefact.sha256}; the original's SHA-256 is {file.about.sha256}."
        )
        if file.in_place_of_original:
            text += " A redacted copy was used: the original picture is not in this pack."
        return text
    return f"Captured {when} by {artefact.tool} {artefact.tool_version}; SHA-256 {artefact.sha256}"


def _files_story(files: list[PackedFile], *, para, small, width: float, max_height: float) -> list:
    """An item's pictures (captured, uploaded and redacted) with where each came from, then its
    other uploaded files and the team's notes."""
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, Spacer

    story: list = []
    for file in files:
        artefact = file.artefact
        if not file.is_picture or artefact.kind == Artefact.Kind.ANNOTATION:
            continue
        image_width, image_height = ImageReader(io.BytesIO(file.content)).getSize()
        scale = min(width / image_width, max_height / image_height, 1.0)
        title = artefact.get_kind_display()
        if artefact.kind == Artefact.Kind.REDACTION and file.in_place_of_original:
            title = "Redacted copy used in place of the original"
        story += [
            Spacer(1, 4 * mm),
            para(f"<b>{escape(title)}</b> ({escape(file.name)})"),
            Image(io.BytesIO(file.content), width=image_width * scale, height=image_height * scale),
            para(pdf_text(_file_caption(file)), small),
        ]
    others = [f for f in files if f.artefact.kind == Artefact.Kind.UPLOAD and not f.is_picture]
    for file in others:
        story.append(
            para(
                f"<b>Uploaded file</b> ({escape(file.name)}, {pdf_text(file.artefact.media_type)}, "
                f"{file.artefact.bytes:,} bytes): {pdf_text(_file_caption(file))}"
            )
        )
    notes = [f for f in files if f.artefact.kind == Artefact.Kind.ANNOTATION]
    if notes:
        story.append(para("<b>Notes by the team:</b>"))
    for file in notes:
        about = file.about_name or f"a file not in this pack ({file.about.kind}, SHA-256 {file.about.sha256})"
        story.append(
            para(
                f"&bull; {escape(file.name)} on {pdf_text(about)}, by {pdf_text(_made_by(file))} at "
                f"{escape(_utc(file.artefact.captured_at))}: {pdf_text(annotation_note(file.content))}"
            )
        )
    return story


def _report_pdf(
    *, case: dict, exporter: str, generated_at: datetime, entries: list[dict], incidents: list[dict] = ()
) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    # Everything is printed in the shipped DejaVu Sans (evidence/fonts), so platform text in
    # Polish, Welsh, Urdu and the like prints as itself; <b> labels stay in Helvetica Bold.
    font = pdf_font()
    for name in ("BodyText", "Title", "Heading2", "Heading3", "Code"):
        styles[name].fontName = font
    body, small = styles["BodyText"], styles["Code"]
    small.fontSize, small.leading = 7.5, 9.5
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title="SaferPol evidence pack",
        author=exporter,
        invariant=1,
        pageCompression=PDF_PAGE_COMPRESSION,
    )

    def para(text: str, style=body) -> Paragraph:
        return Paragraph(text, style)

    def field(name: str, value: object) -> Paragraph:
        return para(f"<b>{escape(name)}:</b> {pdf_text(value)}")

    story: list = [
        para("SaferPol evidence pack", styles["Title"]),
        field("Account", f"@{case['account']} ({case['platform']})"),
        field("Made from", _made_from(case)),
        *(
            []
            if case.get("selection")
            else [
                field("Author filter", f"@{case['author']}" if case["author"] else "all authors"),
                field("Posted on or after", case["since"] or "any date"),
            ]
        ),
        field("Pictures", _pictures_used(case)),
        field("Exported by", exporter),
        field("Exported at", _utc(generated_at)),
        field("Items", len(entries)),
        field("Incidents", len(incidents)),
        para(
            "Each item below was flagged by SaferPol's rules. Its pictures and payloads were captured when it "
            "arrived, hashed (SHA-256) and logged; the files are in the item's folder in this pack and "
            "SHA256SUMS lets anyone check them (see README.txt). Times are UTC. Emoji, and any script the "
            "report's font lacks, may print as boxes here; content.txt in each folder has the exact text.",
        ),
        Spacer(1, 4 * mm),
        para("Chronology (oldest first)", styles["Heading2"]),
    ]
    for entry in entries:
        record = entry["record"]
        summary = record["text"] if len(record["text"]) <= 120 else record["text"][:117] + "..."
        story.append(
            para(
                f"<b>{entry['number']:04d}</b> {escape(_utc(entry['item'].posted_at))} "
                f"@{pdf_text(record['author']['handle'])} ({pdf_text(record['platform'])}, "
                f"{pdf_text(record['severity'])}): {pdf_text(summary)}"
            )
        )

    story.append(Spacer(1, 4 * mm))
    numbers = {entry["record"]["code"]: entry["number"] for entry in entries}
    story += _incident_story(list(incidents), numbers, para, field, styles)

    width = doc.width
    max_height = doc.height * 0.6
    for entry in entries:
        record = entry["record"]
        author = record["author"]
        story += [
            PageBreak(),
            para(
                f"Item {entry['number']:04d}: {pdf_text(record['platform'])} {pdf_text(record['external_id'])}",
                styles["Heading2"],
            ),
            field("Folder in this pack", entry["folder"]),
            field("Author", f"@{author['handle']} ({author['display_name']}), platform id {author['external_id']}"),
            field(
                "Author profile",
                f"created {author['created_at'] or 'unknown'}, {author['followers_count']} "
                f"followers, following {author['following_count']}; bio: {author['bio']}",
            ),
            field("URL", record["url"] or "none"),
            field("Posted", _utc(entry["item"].posted_at)),
            field("Received by SaferPol", _utc(entry["item"].received_at)),
            field("Kind", record["kind"]),
            field("Severity", record["severity"]),
            field("Status", record["status"]),
            para("<b>Text (verbatim):</b>"),
            para(pdf_text(record["text"])),
            para("<b>Rule hits:</b>"),
            *[para("&bull; " + pdf_text(line)) for line in _hit_lines(record["hits"]) or ["none"]],
            para("<b>Decisions:</b>"),
            *[para("&bull; " + pdf_text(line)) for line in _decision_lines(record["decisions"]) or ["none yet"]],
        ]
        story += _files_story(entry["files"], para=para, small=small, width=width, max_height=max_height)
        for kind, reason in entry["missing"]:
            story.append(para(f"<b>Not captured:</b> {escape(PACK_FILE_NAMES[kind])} ({pdf_text(reason)})"))
    doc.build(story)
    return buffer.getvalue()


# --- Other text files -----------------------------------------------------------------------


def _made_from(case: dict) -> str:
    if case.get("selection"):
        count = len(case["selection"])
        return f"a selection: {count} item{'s' if count != 1 else ''} picked one by one, not a filter"
    return "the account's flagged items matching the filters below"


def _pictures_used(case: dict) -> str:
    if case.get("redacted"):
        return (
            "redacted copies where one was made, in place of the original (the original is left out and "
            "named by its SHA-256); other pictures as captured or uploaded"
        )
    return "as captured or uploaded, with any redacted copies beside them"


def _evidence_log_csv(entries: list[dict]) -> bytes:
    stream = io.StringIO()
    stream.write(CSV_BOM)  # so spreadsheets read it as UTF-8
    writer = csv.writer(stream)
    writer.writerow(["pack_number", "folder", *CSV_HEADER, "files", "uploaded_files"])
    for entry in entries:
        files = entry["files"]
        uploads = [f for f in files if f.artefact.kind == Artefact.Kind.UPLOAD]
        writer.writerow(
            [
                spreadsheet_safe(f"{entry['number']:04d}"),
                spreadsheet_safe(entry["folder"]),
                *item_csv_row(entry["item"]),
                spreadsheet_safe(" | ".join(f"{f.name} SHA-256 {f.artefact.sha256}" for f in files)),
                spreadsheet_safe(
                    " | ".join(
                        f"{f.name} uploaded by {_made_by(f)} at {_utc(f.artefact.captured_at)}, "
                        f"SHA-256 {f.artefact.sha256}"
                        for f in uploads
                    )
                ),
            ]
        )
    return stream.getvalue().encode("utf-8")


def _readme(
    *,
    case: dict,
    exporter: str,
    generated_at: datetime,
    items: int,
    artefacts: int,
    head: str,
    chain_events: int | None = None,
    incidents: int = 0,
) -> bytes:
    filters = (
        ""
        if case.get("selection")
        else (
            f"Author filter:       {('@' + case['author']) if case['author'] else 'all authors'}\n"
            f"Posted on or after:  {case['since'] or 'any date'}\n"
        )
    )
    text = f"""SaferPol evidence pack
======================

Account:             @{case["account"]} ({case["platform"]})
Made from:           {_made_from(case)}
{filters}Pictures:            {_pictures_used(case)}
Exported by:         {exporter}
Exported at:         {_utc(generated_at)}
Items:               {items} item(s), {artefacts} stored file(s)
Incidents:           {incidents} incident log entr{"y" if incidents == 1 else "ies"}
Custody chain head:  {head}
Custody events:      {chain_events if chain_events is not None else "unknown"}
                     (the hash of the latest custody event when this pack was made, and how many
                     events the log held then; the export itself is logged as the next event,
                     with this ZIP's SHA-256. Keep them: see "How to verify", step 5)

What is inside
--------------
README.txt          this file
report.pdf          a chronology of the items (oldest first), then each item: its text, author,
                    URL, times (UTC), the rules it broke and why, the decisions taken and their
                    outcomes, and the captured pictures. It is printed in DejaVu Sans, which has
                    Polish, Welsh, Urdu and most other scripts but no emoji: emoji (and any script
                    it lacks) print as boxes; control characters are shown as <U+XXXX>. The exact
                    text is in each item's content.txt.
evidence_log.csv    one row per item, for a spreadsheet. Cells that a spreadsheet could run as a
                    formula start with an apostrophe.
manifest.json       the case, the items and every captured file with its SHA-256, size, capture
                    time (UTC) and the tool that captured it.
custody_log.jsonl   the custody events for the items, files and incidents in this pack, in chain
                    order.
incidents.json      the incident log entries about this selection, as the account's team wrote
                    them: what happened and when, the evidence held and still needed, who they
                    think did it and why, the impact on them, and the platform's and the police's
                    reference numbers, with the items each one is about (and their folders here).
                    The report has them too, under "Incident log".
SHA256SUMS          the SHA-256 of every other file in this pack.
items/NNNN_<platform>_<id>/
    post.png / profile.png                  pictures of the post and the author's profile drawn
                                            from the payloads captured when the item arrived
    post_screenshot.png / profile_screenshot.png
                                            browser screenshots of the public pages, when captured
    post.json / author.json                 the platform's data for the post and the author, as
                                            received
    upload_N.png / upload_N.jpg             screenshots people uploaded for the item, each with who
                                            uploaded it and when (manifest.json, report.pdf)
    upload_N.txt / upload_N.zip             a WhatsApp chat export uploaded with the item's message
    <name>_redacted_N.png                   a copy of the picture <name> with areas filled black,
                                            made by the team; manifest.json gives the areas, the
                                            reason and the original's SHA-256. When the pack was
                                            made with redacted copies, the copy replaces the
                                            original, which is then not in the pack.
    annotation_N.txt                        a note the team wrote about a file in this folder
                                            (manifest.json says which: "derived_from")
    content.txt                             the post's text exactly as received (UTF-8)
    metadata.json                           the item's record and its list of stored files

How to verify
-------------
1. Unzip the pack and, in the unzipped folder, run:  sha256sum -c SHA256SUMS
   Every line must say OK. (Windows PowerShell: Get-FileHash -Algorithm SHA256 <file>.)
2. Each stored file's SHA-256 in SHA256SUMS equals the one in manifest.json, which was recorded
   when the file was stored and logged in custody_log.jsonl (the "capture" events; uploads,
   notes and redactions also have "upload", "annotate" and "redact" events naming who and why).
   Originals are never changed: a redacted copy or a note is a new file pointing at its original.
3. Each custody event's "hash" is the SHA-256 of the UTF-8 JSON of its other fields except "id"
   (keys sorted, no spaces, separators "," and ":", non-ASCII characters unescaped); "prev_hash"
   is the hash of the event before it in SaferPol's whole custody log. The log here is an extract,
   so where events about other items came in between, prev_hash names an event not in this file.
4. The SHA-256 of this ZIP file itself was shown to the person who exported it and recorded in
   SaferPol's custody log as an "export" event.
5. This pack anchors SaferPol's custody log. Deleting the newest events of a hash chain leaves a
   shorter chain that still links up, so on the SaferPol server run
       python manage.py verify_evidence --expect-head <Custody chain head> --expect-count <Custody events>
   with the two values above: it fails, naming the problem, if the log no longer reaches this
   pack's chain head, i.e. if events up to the time of this pack were removed.

Made by SaferPol {tool_version()}.
"""
    return text.encode("utf-8")


# --- Building the ZIP -----------------------------------------------------------------------


def _zip_add(
    archive: zipfile.ZipFile,
    sums: list[tuple[str, str]] | None,
    when: datetime,
    name: str,
    content: bytes,
    sha256: str | None = None,
) -> None:
    """Add one file; `sha256`, when given, is the content's, already checked (a stored file's)."""
    # Every entry carries the pack's own time (UTC), not the times files happened to be written.
    info = zipfile.ZipInfo(name, date_time=when.astimezone(UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o444 << 16  # read-only when unzipped
    archive.writestr(info, content)
    if sums is not None:
        sums.append((name, sha256 or hashlib.sha256(content).hexdigest()))


def selected_items(*, account: CampaignAccount, codes) -> list[Item]:
    """The picked items, oldest first: every code must name an item of this account.

    Raises PackError (nothing is built) for a code that isn't one, an item that doesn't exist or
    is another account's, or more items than a pick may hold.
    """
    wanted: list[uuid.UUID] = []
    for code in codes:
        try:
            value = code if isinstance(code, uuid.UUID) else uuid.UUID(str(code).strip())
        except ValueError:
            raise PackError(f"{str(code)[:60]!r} is not an item code; nothing was packed.") from None
        if value not in wanted:
            wanted.append(value)
    if not wanted:
        raise PackError("No items were picked; pick the replies to pack first.")
    if len(wanted) > MAX_SELECTED_ITEMS:
        raise PackError(
            f"{len(wanted):,} items were picked; a pick holds at most {MAX_SELECTED_ITEMS:,}. "
            "Use the account, author and date filters for more."
        )
    items = list(export_items(account=account).filter(code__in=wanted))
    if len(items) != len(wanted):
        unknown = len(wanted) - len(items)
        raise PackError(
            f"{unknown} of the {len(wanted)} picked item{'s' if len(wanted) != 1 else ''} "
            f"{'is' if unknown == 1 else 'are'} not on @{account.handle}. A pack holds one account's items; "
            "nothing was packed."
        )
    return items


def _pack_scope(
    *, account: CampaignAccount, author_handle: str | None, since: date | None, item_codes
) -> tuple[list[Item] | QuerySet, dict]:
    """The items a pack covers and the filters it records; PackError when there is nothing to pack."""
    filters: dict = {"account": account.handle, "author": author_handle, "since": since.isoformat() if since else None}
    if item_codes is not None:
        if author_handle or since:
            raise PackError(
                "A pack of picked items can't also be narrowed by author or date; pick the items, or use the filters."
            )
        items = selected_items(account=account, codes=item_codes)
        filters["selection"] = [str(item.code) for item in items]
        return items, filters
    if author_handle and not Author.objects.filter(handle=author_handle, items__account=account).exists():
        raise PackError(f"No author @{author_handle} has items on @{account.handle}.")
    items = pack_items(account=account, author_handle=author_handle, since=since)
    if not items.exists():
        who = f" by @{author_handle}" if author_handle else ""
        when = f" posted on or after {since.isoformat()}" if since else ""
        raise PackError(f"Nothing to pack: @{account.handle} has no flagged items{who}{when}.")
    return items, filters


def _selection_incidents(*, account: CampaignAccount, items: list[Item]) -> list:
    """For a pick: the incidents holding one of the items, or about one of their authors."""
    from evidence.models import Incident

    authors = {item.author_id for item in items}
    found = Incident.objects.filter(account=account).filter(
        Q(items__in=[item.pk for item in items]) | Q(author_id__in=authors)
    )
    return list(
        Incident.objects.filter(pk__in=found.values("pk"))
        .select_related("account", "author", "created_by", "updated_by")
        .prefetch_related("items")
        .order_by("occurred_at", "created_at", "id")
    )


def evidence_pack_build(
    *,
    account: CampaignAccount,
    author_handle: str | None = None,
    since: date | None = None,
    item_codes=None,
    redacted: bool = False,
    exporter=None,
    out_path: Path | str,
) -> PackResult:
    """Write the evidence pack to `out_path`, then log the export as a custody event and an audit event.

    The pack holds the account's flagged items (narrowed by `author_handle` and `since`), or
    exactly the items named by `item_codes`. With `redacted`, pictures that have a redacted copy
    are packed as that copy instead of the original.

    The ZIP is built in a temporary file beside `out_path` and renamed into place only once it is
    complete; any failure (an altered evidence file above all) leaves no file behind.
    """
    out_path = Path(out_path)
    author_handle = (author_handle or "").lstrip("@") or None
    items_in_scope, filters = _pack_scope(
        account=account, author_handle=author_handle, since=since, item_codes=item_codes
    )
    if redacted:
        filters["redacted"] = True
    if out_path.exists():
        raise PackError(f"{out_path} already exists; choose another file name (an earlier pack is never overwritten).")
    if not out_path.parent.is_dir():
        raise PackError(f"The folder {out_path.parent} does not exist.")

    items = list(items_in_scope)
    if not items:
        raise PackError(f"Nothing to pack: @{account.handle} has no flagged items.")  # all gone since the check
    exporter_label = getattr(exporter, "username", "") or _operator_label()
    generated_at = timezone.now()
    case = {
        "account": filters["account"],
        "author": filters["author"],
        "since": filters["since"],
        "platform": account.platform,
    }
    if "selection" in filters:
        case["selection"] = filters["selection"]
    if redacted:
        case["redacted"] = True
    artefacts_by_item: dict[int, list[Artefact]] = defaultdict(list)
    for start in range(0, len(items), 500):
        for artefact in (
            Artefact.objects.filter(item__in=[item.pk for item in items[start : start + 500]])
            .select_related("item", "derived_from")
            .order_by("id")
        ):
            artefacts_by_item[artefact.item_id].append(artefact)
    plans = {item.id: plan_item_files(artefacts_by_item.get(item.id, []), redacted=redacted) for item in items}
    # Who made each file, read once for the whole pack rather than once per item.
    file_events = _artefact_events([str(f.artefact.code) for files, _ in plans.values() for f in files])

    temporary = out_path.with_name(f".{out_path.name}.{uuid.uuid4().hex}.part")
    try:
        sums: list[tuple[str, str]] = []
        entries: list[dict] = []
        manifest_items: list[dict] = []
        manifest_artefacts: list[dict] = []
        withheld: list[str] = []  # originals a redacted copy stands in for: their custody events still count
        with zipfile.ZipFile(temporary, "x") as archive:
            add = functools.partial(_zip_add, archive, sums, generated_at)
            for number, item in enumerate(items, start=1):
                folder = folder_name(number, item)
                record = item_record(item)
                files, missing = plans[item.id]
                listed: list[dict] = []
                for file in files:
                    file.content = _read_verified(file.artefact)  # checked against its SHA-256, so that is its sum
                    file.events = file_events.get(str(file.artefact.code), {})
                    add(f"{folder}/{file.name}", file.content, sha256=file.artefact.sha256)
                    listed.append(_file_entry(file, folder=folder, item_code=record["code"]))
                    if file.in_place_of_original:
                        withheld.append(str(file.about.code))
                add(f"{folder}/content.txt", item.text.encode("utf-8"))
                metadata = {**record, "artefacts": listed}
                add(f"{folder}/metadata.json", _json_bytes(metadata))
                manifest_items.append(
                    {
                        "number": number,
                        "code": record["code"],
                        "platform": item.platform,
                        "external_id": item.external_id,
                        "folder": folder,
                    }
                )
                manifest_artefacts += listed
                entries.append(
                    {
                        "number": number,
                        "item": item,
                        "record": record,
                        "folder": folder,
                        "files": files,
                        "missing": missing,
                    }
                )
                # The pictures are in the ZIP now; the report keeps only what it needs of them.
                for file in files:
                    if not file.is_picture and file.artefact.kind != Artefact.Kind.ANNOTATION:
                        file.content = b""

            folders = {entry["item"].pk: entry["folder"] for entry in entries}
            if "selection" in filters:
                chosen_incidents = _selection_incidents(account=account, items=items)
            else:
                chosen_incidents = pack_incidents(
                    account=account, author_handle=author_handle, since=since, items=items
                )
            incidents = [incident_record(incident, folders=folders) for incident in chosen_incidents]
            incidents_json = _json_bytes({"account": account.handle, "incidents": incidents})
            add("incidents.json", incidents_json)

            codes = (
                {("item", str(item.code)) for item in items}
                | {("artefact", entry["code"]) for entry in manifest_artefacts}
                | {("artefact", code) for code in withheld}
                | {("incident", record["code"]) for record in incidents}
            )
            events = _custody_extract(codes)
            # The log's anchor as the pack is made: with it, verify_evidence can later show the log
            # still holds every event up to here (deleting the newest events leaves a chain that links).
            chain_events, head = custody_head()
            add("custody_log.jsonl", "".join(_custody_line(e) for e in events).encode("utf-8"))
            manifest = {
                "schema_version": SCHEMA_VERSION,
                "generator": f"SaferPol {tool_version()}",
                "exporter": exporter_label,
                "generated_at": generated_at.astimezone(UTC).isoformat(),
                "case": case,
                "custody_chain_head": head,
                "custody_event_count": chain_events,
                "items": manifest_items,
                "artefacts": manifest_artefacts,
                "incidents": {
                    "file": "incidents.json",
                    "sha256": hashlib.sha256(incidents_json).hexdigest(),
                    "bytes": len(incidents_json),
                    "entries": [
                        {"code": record["code"], "title": record["title"], "status": record["status"]}
                        for record in incidents
                    ],
                },
            }
            add("manifest.json", _json_bytes(manifest))
            add("evidence_log.csv", _evidence_log_csv(entries))
            add(
                "report.pdf",
                _report_pdf(
                    case=case, exporter=exporter_label, generated_at=generated_at, entries=entries, incidents=incidents
                ),
            )
            add(
                "README.txt",
                _readme(
                    case=case,
                    exporter=exporter_label,
                    generated_at=generated_at,
                    items=len(items),
                    artefacts=len(manifest_artefacts),
                    head=head,
                    chain_events=chain_events,
                    incidents=len(incidents),
                ),
            )
            # Written last, so it lists every other file; `sha256sum -c` reads "<hex>  <path>".
            sums_text = "".join(f"{digest}  {name}\n" for name, digest in sorted(sums))
            _zip_add(archive, None, generated_at, "SHA256SUMS", sums_text.encode("utf-8"))

        digest = hashlib.sha256()
        with open(temporary, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
            os.fsync(handle.fileno())
        size = temporary.stat().st_size
        sha256 = digest.hexdigest()
        if out_path.exists():
            raise PackError(f"{out_path} appeared while the pack was built; it was left untouched.")
        os.replace(temporary, out_path)
    finally:
        temporary.unlink(missing_ok=True)

    try:
        _record_export(
            account=account,
            exporter=exporter,
            exporter_label=exporter_label,
            out_path=out_path,
            sha256=sha256,
            size=size,
            items=len(items),
            artefacts=len(manifest_artefacts),
            filters=filters,
            head=head,
            chain_events=chain_events,
        )
    except Exception:
        # A pack whose export isn't in the custody log must not be handed over.
        out_path.unlink(missing_ok=True)
        raise
    return PackResult(path=out_path, sha256=sha256, bytes=size, items=len(items), artefacts=len(manifest_artefacts))


def _custody_extract(codes: set[tuple[str, str]]) -> list[CustodyEvent]:
    """The custody events about these objects, in chain order, read a batch of codes at a time."""
    by_code = sorted(code for _, code in codes)
    found: dict[int, CustodyEvent] = {}
    for start in range(0, len(by_code), 500):
        for event in CustodyEvent.objects.filter(
            object_type__in=["item", "artefact", "incident"], object_code__in=by_code[start : start + 500]
        ):
            if (event.object_type, event.object_code) in codes:
                found[event.id] = event
    return [found[key] for key in sorted(found)]


@transaction.atomic
def _record_export(
    *,
    account,
    exporter,
    exporter_label: str,
    out_path: Path,
    sha256: str,
    size: int,
    items: int,
    artefacts: int,
    filters: dict,
    head: str = "",
    chain_events: int | None = None,
) -> None:
    detail = {
        "file": out_path.name,
        "sha256": sha256,
        "bytes": size,
        "items": items,
        "filters": filters,
        # The anchor the pack's README.txt and manifest.json carry: the event before this one.
        "chain_head": head,
        "chain_events": chain_events,
    }
    custody_append(
        action=CustodyEvent.Action.EXPORT,
        obj=account,
        actor=exporter,
        reason=f"evidence pack exported by {exporter_label}",
        detail=detail,
    )
    audit_record(
        verb=AuditEvent.Verb.EXPORT,
        actor=exporter,
        account=account,
        summary=f"Evidence pack of {items:,} {'picked' if 'selection' in filters else 'flagged'} items "
        f"({artefacts} files) from @{account.handle} by {exporter_label}",
        detail={**detail, "format": "evidence_pack", "artefacts": artefacts},
    )


def _json_bytes(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _operator_label() -> str:
    """Who ran the command, for a pack made from the shell rather than the dashboard."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown"
    return f"operator ({user}, manage.py evidence_pack)"


def pack_create(
    *,
    user,
    account: CampaignAccount,
    author_handle: str | None = None,
    since: date | None = None,
    item_codes=None,
    redacted: bool = False,
) -> Pack:
    """A pack from the dashboard for a member of the account (any role); it is theirs to download.

    What it covers is checked first, so a bad request says why and builds nothing. A pack of up
    to PACK_BACKGROUND_ITEMS items is built while the person waits; a larger one is queued on
    the exports queue (in-process once the transaction commits when there is no broker) and
    its status shows on the packs page.
    """
    if not Membership.objects.filter(user=user, account=account).exists():
        raise PackError("You are not a member of that account.")
    author_handle = (author_handle or "").lstrip("@") or None
    items, _ = _pack_scope(account=account, author_handle=author_handle, since=since, item_codes=item_codes)
    count = len(items) if isinstance(items, list) else items.count()
    if count > PACK_BACKGROUND_ITEMS:
        with transaction.atomic():
            pack = Pack.objects.create(
                exporter=user,
                account=account,
                author_handle=author_handle or "",
                since=since,
                redacted=redacted,
                status=Pack.Status.PENDING,
                items=count,
            )
            if item_codes is not None:
                pack.selected_items.set(items)
            from evidence.pack_tasks import pack_build  # the task imports this module; keep the cycle lazy

            transaction.on_commit(functools.partial(pack_build.delay, pack.pk))
        return pack

    code = uuid.uuid4()
    relative = Path("packs") / f"{code}.zip"
    out_path = Path(settings.MEDIA_ROOT) / relative
    out_path.parent.mkdir(parents=True, exist_ok=True)
    result = evidence_pack_build(
        account=account,
        author_handle=author_handle,
        since=since,
        item_codes=[item.code for item in items] if item_codes is not None else None,
        redacted=redacted,
        exporter=user,
        out_path=out_path,
    )
    with transaction.atomic():
        pack = Pack.objects.create(
            code=code,
            exporter=user,
            account=account,
            author_handle=author_handle or "",
            since=since,
            redacted=redacted,
            status=Pack.Status.DONE,
            file_name=str(relative),
            sha256=result.sha256,
            bytes=result.bytes,
            items=result.items,
            finished_at=timezone.now(),
        )
        if item_codes is not None:
            pack.selected_items.set(items)
    return pack


def pack_run(*, pack_id: int) -> Pack:
    """Build a queued pack and record how it went; the packs page shows the status and any reason.

    Safe to run twice (a redelivered task): a finished pack is left alone, and a file left by an
    interrupted run, never handed over, is replaced. Not one transaction: "being built" must be
    visible while it runs.
    """
    with transaction.atomic():
        pack = Pack.objects.select_for_update().select_related("account", "exporter").get(pk=pack_id)
        if pack.status == Pack.Status.DONE:
            return pack
        pack.status = Pack.Status.RUNNING
        pack.error = ""
        pack.file_name = f"packs/{pack.code}.zip"
        pack.save(update_fields=["status", "error", "file_name"])

    out_path = Path(settings.MEDIA_ROOT) / pack.file_name
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        if out_path.exists():
            logger.warning("Evidence pack %s: replacing the file an interrupted run left", pack.code)
            out_path.unlink()
        codes = [str(code) for code in pack.selected_items.values_list("code", flat=True)]
        if not Membership.objects.filter(user=pack.exporter, account=pack.account).exists():
            raise PackError("You are no longer a member of that account, so the pack was not built.")
        result = evidence_pack_build(
            account=pack.account,
            author_handle=pack.author_handle or None,
            since=pack.since,
            item_codes=codes or None,
            redacted=pack.redacted,
            exporter=pack.exporter,
            out_path=out_path,
        )
    except PackError as exc:
        return _pack_failed(pack, str(exc))
    except Exception as exc:  # a failed pack must say so on the page, never hang at "being built"
        logger.exception("Evidence pack %s failed", pack.code)
        return _pack_failed(
            pack, f"The pack could not be built ({type(exc).__name__}). Try again, or ask your administrator."
        )
    pack.status = Pack.Status.DONE
    pack.sha256 = result.sha256
    pack.bytes = result.bytes
    pack.items = result.items
    pack.finished_at = timezone.now()
    pack.save(update_fields=["status", "sha256", "bytes", "items", "finished_at"])
    return pack


def _pack_failed(pack: Pack, reason: str) -> Pack:
    pack.status = Pack.Status.FAILED
    pack.error = reason
    pack.finished_at = timezone.now()
    pack.save(update_fields=["status", "error", "finished_at"])
    return pack


# --- Stuck: a worker died part-way -----------------------------------------------------------

# What the packs page says once the clean-up gives up on a pack; the person only has to build it again.
PACK_STUCK_ERROR = "The evidence pack stopped part-way (the worker was restarted); build it again."
UNFINISHED_STATES = (Pack.Status.PENDING, Pack.Status.RUNNING)


def packs_stuck(*, cutoff: datetime) -> QuerySet[Pack]:
    """Packs asked for before the cutoff that are still waiting or being built."""
    return (
        Pack.objects.filter(status__in=UNFINISHED_STATES, created_at__lt=cutoff)
        .select_related("exporter", "account")
        .order_by("id")
    )


@transaction.atomic
def pack_fail_stuck(*, pack: Pack, hours: int, by: str) -> bool:
    """Mark a pack failed that has been waiting or being built for more than `hours`, and audit it.

    Its task is killed after an hour, so one still unfinished this long has lost its worker and
    would otherwise say "Being built" forever. False if it finished or was started again in the
    meantime. Its partial ZIP is swept up with the others (moderation.retention). No custody
    event: no pack was handed over, and the evidence it was reading is untouched.
    """
    pack = Pack.objects.select_for_update().select_related("exporter", "account").get(pk=pack.pk)
    if pack.status not in UNFINISHED_STATES or pack.created_at >= timezone.now() - timedelta(hours=hours):
        return False
    was = pack.status
    _pack_failed(pack, PACK_STUCK_ERROR)
    state = "still waiting to start" if was == Pack.Status.PENDING else "still being built"
    audit_record(
        verb=AuditEvent.Verb.EXPORT_FAILED,
        account=pack.account,
        obj=pack,
        summary=f"Evidence pack of {pack.items:,} items from @{pack.account.handle} by {pack.exporter.username} "
        f"marked failed: {state} after {hours} hours, so its worker had stopped",
        detail={
            "format": "evidence_pack",
            "status_was": was,
            "exporter": pack.exporter.username,
            "asked_at": pack.created_at.isoformat(),
            "items": pack.items,
            "stuck_hours": hours,
            "by": by,
        },
    )
    return True


# --- Downloads: every later access logged ----------------------------------------------------


@transaction.atomic
def pack_download_record(*, pack: Pack, user, ip_address: str | None = None) -> CustodyEvent:
    """Log a download of a pack's ZIP: a custody event on the pack and an audit event on its account.

    Making the pack was logged in both; each copy taken of it afterwards is a later access, which
    EVIDENCE.md asks to log too, so anyone can see who took the evidence away and when. The
    detail names the ZIP by its SHA-256, the hash the recipient checks their copy against.
    """
    detail = {
        "pack": str(pack.code),
        "file": Path(pack.file_name).name,
        "sha256": pack.sha256,
        "bytes": pack.bytes,
        "items": pack.items,
        "ip_address": ip_address,
    }
    event = custody_append(
        action=CustodyEvent.Action.DOWNLOAD,
        obj=pack,
        actor=user,
        reason=f"evidence pack downloaded from the dashboard by {user.username}",
        detail=detail,
    )
    audit_record(
        verb=AuditEvent.Verb.EXPORT_DOWNLOAD,
        actor=user,
        account=pack.account,
        obj=pack,
        summary=f"Evidence pack of {pack.items:,} items from @{pack.account.handle} downloaded by {user.username}",
        detail={**detail, "format": "evidence_pack"},
        ip_address=ip_address,
    )
    return event


# --- Retention: the ZIP deleted, the record kept --------------------------------------------

# The states whose ZIP retention deletes; a pack still being built is never touched.
FINISHED_STATES = (Pack.Status.DONE, Pack.Status.FAILED)


def packs_past_retention(*, cutoff: datetime) -> QuerySet[Pack]:
    """Finished or failed packs made before the cutoff whose ZIP hasn't been deleted yet."""
    return (
        Pack.objects.filter(status__in=FINISHED_STATES, expired_at__isnull=True)
        .annotate(made_at=Coalesce("finished_at", "created_at"))
        .filter(made_at__lt=cutoff)
        .select_related("exporter", "account")
        .order_by("id")
    )


@transaction.atomic
def pack_expire(*, pack: Pack, days: int, by: str) -> bool:
    """Delete a finished or failed pack's ZIP, keep its row marked expired, and log it twice.

    Making the pack was a custody event and an audit event, so deleting it is both too. Only
    the ZIP goes: the captures, uploads, notes and redactions it copied stay where they are.
    False if there was nothing to do. As with exports, the file is deleted last.
    """
    pack = Pack.objects.select_for_update().select_related("exporter", "account").get(pk=pack.pk)
    if pack.expired_at is not None or pack.status not in FINISHED_STATES:
        return False
    path = exported_file(pack.file_name, folder="packs")
    present = path is not None and path.is_file()
    detail = {
        # The name the export event gave the file, so the two events can be matched.
        "file": Path(pack.file_name).name if pack.file_name else "",
        "deleted": present,
        "pack": str(pack.code),
        "sha256": pack.sha256,
        "bytes": pack.bytes,
        "exporter": pack.exporter.username,
        "made_at": (pack.finished_at or pack.created_at).isoformat(),
        "retention_days": days,
        "by": by,
    }
    pack.expired_at = timezone.now()
    pack.file_name = ""
    pack.save(update_fields=["expired_at", "file_name"])
    outcome = "ZIP deleted" if present else "its ZIP was already gone"
    custody_append(
        action=CustodyEvent.Action.EXPORT_EXPIRED,
        obj=pack.account,
        reason=f"evidence pack by {pack.exporter.username} past its {days}-day retention period: {outcome}",
        detail=detail,
    )
    audit_record(
        verb=AuditEvent.Verb.EXPORT_EXPIRED,
        account=pack.account,
        obj=pack,
        summary=f"Evidence pack of {pack.items:,} items from @{pack.account.handle} by {pack.exporter.username} "
        f"expired after {days} days: {outcome}",
        detail={**detail, "format": "evidence_pack"},
    )
    if present:
        path.unlink(missing_ok=True)
    return True
