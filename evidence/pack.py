"""The evidence pack: one ZIP of a selection of flagged items, for the police or a platform.

Layout (EVIDENCE.md): README.txt, report.pdf, evidence_log.csv, manifest.json, custody_log.jsonl,
incidents.json (the incident log entries about the selection), SHA256SUMS and one folder per item
with its captured files copied byte for byte. Every stored file is re-hashed as it is copied and
the export stops if one no longer matches its record, so altered evidence is never packed.
Writing the pack is itself a custody event.
"""

from __future__ import annotations

import csv
import functools
import getpass
import hashlib
import io
import json
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from evidence.incidents import TEXT_FIELDS as INCIDENT_TEXT_FIELDS
from evidence.incidents import incident_record, pack_incidents
from evidence.models import Artefact, CustodyEvent
from evidence.services import artefact_path, custody_append, tool_version
from moderation.exports import CSV_BOM, CSV_HEADER, export_items, item_csv_row, spreadsheet_safe
from moderation.models import AuditEvent, Author, CampaignAccount, Item
from moderation.records import item_record
from moderation.services import audit_record

SCHEMA_VERSION = 1
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


def _report_pdf(
    *, case: dict, exporter: str, generated_at: datetime, entries: list[dict], incidents: list[dict] = ()
) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["Code"]
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
        field("Author filter", f"@{case['author']}" if case["author"] else "all authors"),
        field("Posted on or after", case["since"] or "any date"),
        field("Exported by", exporter),
        field("Exported at", _utc(generated_at)),
        field("Items", len(entries)),
        field("Incidents", len(incidents)),
        para(
            "Each item below was flagged by SaferPol's rules. Its pictures and payloads were captured when it "
            "arrived, hashed (SHA-256) and logged; the files are in the item's folder in this pack and "
            "SHA256SUMS lets anyone check them (see README.txt). Times are UTC. Characters outside Latin-1 "
            "(e.g. emoji) may print as boxes here; content.txt in each folder has the exact text.",
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
        for kind in _PICTURE_KINDS:
            picture = entry["pictures"].get(kind)
            if picture is None:
                continue
            artefact, content = picture
            image_width, image_height = ImageReader(io.BytesIO(content)).getSize()
            scale = min(width / image_width, max_height / image_height, 1.0)
            story += [
                Spacer(1, 4 * mm),
                para(f"<b>{escape(artefact.get_kind_display())}</b> ({escape(PACK_FILE_NAMES[kind])})"),
                Image(io.BytesIO(content), width=image_width * scale, height=image_height * scale),
                para(
                    f"Captured {escape(_utc(artefact.captured_at))} by {pdf_text(artefact.tool)} "
                    f"{pdf_text(artefact.tool_version)}; SHA-256 {escape(artefact.sha256)}",
                    small,
                ),
            ]
        for kind, reason in entry["missing"]:
            story.append(para(f"<b>Not captured:</b> {escape(PACK_FILE_NAMES[kind])} ({pdf_text(reason)})"))
    doc.build(story)
    return buffer.getvalue()


# --- Other text files -----------------------------------------------------------------------


def _evidence_log_csv(entries: list[dict]) -> bytes:
    stream = io.StringIO()
    stream.write(CSV_BOM)  # so spreadsheets read it as UTF-8
    writer = csv.writer(stream)
    writer.writerow(["pack_number", "folder", *CSV_HEADER])
    for entry in entries:
        writer.writerow(
            [
                spreadsheet_safe(f"{entry['number']:04d}"),
                spreadsheet_safe(entry["folder"]),
                *item_csv_row(entry["item"]),
            ]
        )
    return stream.getvalue().encode("utf-8")


def _readme(
    *, case: dict, exporter: str, generated_at: datetime, items: int, artefacts: int, head: str, incidents: int = 0
) -> bytes:
    text = f"""SaferPol evidence pack
======================

Account:             @{case["account"]} ({case["platform"]})
Author filter:       {("@" + case["author"]) if case["author"] else "all authors"}
Posted on or after:  {case["since"] or "any date"}
Exported by:         {exporter}
Exported at:         {_utc(generated_at)}
Items:               {items} flagged item(s), {artefacts} captured file(s)
Incidents:           {incidents} incident log entr{"y" if incidents == 1 else "ies"}
Custody chain head:  {head}
                     (the hash of the latest custody event when this pack was made; the export
                     itself is then logged as the next event, with this ZIP's SHA-256)

What is inside
--------------
README.txt          this file
report.pdf          a chronology of the items (oldest first), then each item: its text, author,
                    URL, times (UTC), the rules it broke and why, the decisions taken and their
                    outcomes, and the captured pictures. Characters outside Latin-1 (e.g. emoji)
                    may print as boxes; control characters are shown as <U+XXXX>. The exact text is
                    in each item's content.txt.
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
    content.txt                             the post's text exactly as received (UTF-8)
    metadata.json                           the item's record and its list of captured files

How to verify
-------------
1. Unzip the pack and, in the unzipped folder, run:  sha256sum -c SHA256SUMS
   Every line must say OK. (Windows PowerShell: Get-FileHash -Algorithm SHA256 <file>.)
2. Each captured file's SHA-256 in SHA256SUMS equals the one in manifest.json, which was recorded
   when the file was captured and logged in custody_log.jsonl (the "capture" events).
3. Each custody event's "hash" is the SHA-256 of the UTF-8 JSON of its other fields except "id"
   (keys sorted, no spaces, separators "," and ":", non-ASCII characters unescaped); "prev_hash"
   is the hash of the event before it in SaferPol's whole custody log. The log here is an extract,
   so where events about other items came in between, prev_hash names an event not in this file.
4. The SHA-256 of this ZIP file itself was shown to the person who exported it and recorded in
   SaferPol's custody log as an "export" event.

Made by SaferPol {tool_version()}.
"""
    return text.encode("utf-8")


# --- Building the ZIP -----------------------------------------------------------------------


def _zip_add(
    archive: zipfile.ZipFile, sums: list[tuple[str, str]] | None, when: datetime, name: str, content: bytes
) -> None:
    # Every entry carries the pack's own time (UTC), not the times files happened to be written.
    info = zipfile.ZipInfo(name, date_time=when.astimezone(UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o444 << 16  # read-only when unzipped
    archive.writestr(info, content)
    if sums is not None:
        sums.append((name, hashlib.sha256(content).hexdigest()))


def evidence_pack_build(
    *,
    account: CampaignAccount,
    author_handle: str | None = None,
    since: date | None = None,
    exporter=None,
    out_path: Path | str,
) -> PackResult:
    """Write the evidence pack to `out_path`, then log the export as a custody event and an audit event.

    The ZIP is built in a temporary file beside `out_path` and renamed into place only once it is
    complete; any failure (an altered evidence file above all) leaves no file behind.
    """
    out_path = Path(out_path)
    author_handle = (author_handle or "").lstrip("@") or None
    if author_handle and not Author.objects.filter(handle=author_handle, items__account=account).exists():
        raise PackError(f"No author @{author_handle} has items on @{account.handle}.")
    if out_path.exists():
        raise PackError(f"{out_path} already exists; choose another file name (an earlier pack is never overwritten).")
    if not out_path.parent.is_dir():
        raise PackError(f"The folder {out_path.parent} does not exist.")

    items = list(pack_items(account=account, author_handle=author_handle, since=since))
    filters = {"account": account.handle, "author": author_handle, "since": since.isoformat() if since else None}
    if not items:
        who = f" by @{author_handle}" if author_handle else ""
        when = f" posted on or after {since.isoformat()}" if since else ""
        raise PackError(f"Nothing to pack: @{account.handle} has no flagged items{who}{when}.")

    exporter_label = getattr(exporter, "username", "") or _operator_label()
    generated_at = timezone.now()
    case = {**filters, "platform": account.platform}
    artefacts_by_item: dict[int, list[Artefact]] = {}
    for artefact in (
        Artefact.objects.filter(item__in=items, derived_from__isnull=True, kind__in=list(PACK_FILE_NAMES))
        .select_related("item")
        .order_by("id")
    ):
        artefacts_by_item.setdefault(artefact.item_id, []).append(artefact)

    temporary = out_path.with_name(f".{out_path.name}.{uuid.uuid4().hex}.part")
    try:
        sums: list[tuple[str, str]] = []
        entries: list[dict] = []
        manifest_items: list[dict] = []
        manifest_artefacts: list[dict] = []
        with zipfile.ZipFile(temporary, "x") as archive:
            add = functools.partial(_zip_add, archive, sums, generated_at)
            for number, item in enumerate(items, start=1):
                folder = folder_name(number, item)
                record = item_record(item)
                pictures: dict[str, tuple[Artefact, bytes]] = {}
                missing: list[tuple[str, str]] = []
                listed: list[dict] = []
                for artefact in sorted(
                    artefacts_by_item.get(item.id, []), key=lambda a: list(PACK_FILE_NAMES).index(a.kind)
                ):
                    if artefact.status != Artefact.Status.CAPTURED:
                        missing.append((artefact.kind, f"capture failed: {artefact.error or 'unknown error'}"))
                        continue
                    content = _read_verified(artefact)
                    file = f"{folder}/{PACK_FILE_NAMES[artefact.kind]}"
                    add(file, content)
                    listed.append({"item": record["code"], **_artefact_entry(artefact, file)})
                    if artefact.kind in _PICTURE_KINDS:
                        pictures[artefact.kind] = (artefact, content)
                recorded = {artefact.kind for artefact in artefacts_by_item.get(item.id, [])}
                missing += [(kind, "no capture recorded") for kind in _EXPECTED_KINDS if kind not in recorded]
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
                        "pictures": pictures,
                        "missing": missing,
                    }
                )

            folders = {entry["item"].pk: entry["folder"] for entry in entries}
            incidents = [
                incident_record(incident, folders=folders)
                for incident in pack_incidents(account=account, author_handle=author_handle, since=since, items=items)
            ]
            incidents_json = _json_bytes({"account": account.handle, "incidents": incidents})
            add("incidents.json", incidents_json)

            codes = (
                {("item", str(item.code)) for item in items}
                | {("artefact", entry["code"]) for entry in manifest_artefacts}
                | {("incident", record["code"]) for record in incidents}
            )
            events = [
                event
                for event in CustodyEvent.objects.filter(
                    object_type__in=["item", "artefact", "incident"],
                    object_code__in=[code for _, code in codes],
                ).order_by("id")
                if (event.object_type, event.object_code) in codes
            ]
            head = CustodyEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
            add("custody_log.jsonl", "".join(_custody_line(e) for e in events).encode("utf-8"))
            manifest = {
                "schema_version": SCHEMA_VERSION,
                "generator": f"SaferPol {tool_version()}",
                "exporter": exporter_label,
                "generated_at": generated_at.astimezone(UTC).isoformat(),
                "case": case,
                "custody_chain_head": head,
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
        )
    except Exception:
        # A pack whose export isn't in the custody log must not be handed over.
        out_path.unlink(missing_ok=True)
        raise
    return PackResult(path=out_path, sha256=sha256, bytes=size, items=len(items), artefacts=len(manifest_artefacts))


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
) -> None:
    detail = {"file": out_path.name, "sha256": sha256, "bytes": size, "items": items, "filters": filters}
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
        summary=f"Evidence pack of {items:,} flagged items ({artefacts} files) "
        f"from @{account.handle} by {exporter_label}",
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


def pack_create(*, user, account: CampaignAccount, author_handle: str | None = None, since: date | None = None):
    """Build a pack from the dashboard for a member of the account; it is theirs to download."""
    from evidence.models import Pack
    from moderation.models import Membership

    if not Membership.objects.filter(user=user, account=account).exists():
        raise PackError("You are not a member of that account.")
    code = uuid.uuid4()
    relative = Path("packs") / f"{code}.zip"
    out_path = Path(settings.MEDIA_ROOT) / relative
    out_path.parent.mkdir(parents=True, exist_ok=True)
    result = evidence_pack_build(
        account=account, author_handle=author_handle, since=since, exporter=user, out_path=out_path
    )
    return Pack.objects.create(
        code=code,
        exporter=user,
        account=account,
        author_handle=(author_handle or "").lstrip("@"),
        since=since,
        file_name=str(relative),
        sha256=result.sha256,
        bytes=result.bytes,
        items=result.items,
    )
