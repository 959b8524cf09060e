"""The evidence pack: layout, hashes that `sha256sum -c` accepts, custody extract, CSV, PDF and the command."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from evidence import pack
from evidence.models import Artefact, CustodyEvent
from evidence.pack import PackError, evidence_pack_build
from evidence.services import GENESIS_HASH, artefact_path, artefact_store, custody_hash
from moderation.models import AuditEvent
from tests.factories import RACIST, THREAT, fetched_author, fetched_item

HOSTILE = '<script>alert(1)</script> =HYPERLINK("x") I know where you live and I will kill you\u202e'
HOSTILE_ID = "../../etc"
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def items(ingest, media, django_capture_on_commit_callbacks):
    """Three flagged items with their captures: two by one author, a hostile one, one by another author."""
    with django_capture_on_commit_callbacks(execute=True):
        stored = ingest(
            fetched_item(THREAT, posted_at=NOW - timedelta(days=3)),
            fetched_item(HOSTILE, external_id=HOSTILE_ID, posted_at=NOW - timedelta(days=2)),
            fetched_item(
                RACIST,
                author=fetched_author(external_id="author-2", handle="other_guy"),
                posted_at=NOW - timedelta(hours=1),
            ),
        )
    assert all(item.status != "clear" for item in stored)
    assert Artefact.objects.filter(status="captured").count() == 12  # 2 payloads and 2 pictures each
    return stored


def _build(account, tmp_path, name="pack.zip", **kwargs):
    return evidence_pack_build(account=account, out_path=tmp_path / name, **kwargs)


def _open(result) -> zipfile.ZipFile:
    return zipfile.ZipFile(result.path)


def _folder(number: int, item) -> str:
    return pack.folder_name(number, item)


def test_pack_has_exactly_the_layout(account, items, tmp_path):
    result = _build(account, tmp_path)

    expected = {
        "README.txt",
        "report.pdf",
        "evidence_log.csv",
        "manifest.json",
        "custody_log.jsonl",
        "incidents.json",
        "SHA256SUMS",
    }
    for number, item in enumerate(items, start=1):
        folder = _folder(number, item)
        expected |= {
            f"{folder}/{name}"
            for name in ("post.png", "profile.png", "post.json", "author.json", "content.txt", "metadata.json")
        }
    assert set(_open(result).namelist()) == expected
    assert (result.items, result.artefacts) == (3, 12)
    assert result.path == tmp_path / "pack.zip"
    assert result.sha256 == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert result.bytes == result.path.stat().st_size
    assert os.listdir(tmp_path).count("pack.zip") == 1 and not [n for n in os.listdir(tmp_path) if n.endswith(".part")]


def test_hostile_external_id_becomes_a_safe_folder_name(account, items, tmp_path):
    assert _folder(2, items[1]) == "items/0002_demo_______etc"
    names = _open(_build(account, tmp_path)).namelist()
    assert all(".." not in name and not name.startswith("/") for name in names)


def test_sha256sum_accepts_the_pack(account, items, tmp_path):
    if shutil.which("sha256sum") is None:
        pytest.skip("coreutils sha256sum not installed")
    result = _build(account, tmp_path)
    unpacked = tmp_path / "unpacked"
    _open(result).extractall(unpacked)

    checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=unpacked, capture_output=True, text=True)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    listed = [line.split("  ", 1)[1] for line in (unpacked / "SHA256SUMS").read_text().splitlines()]
    assert sorted(listed) == sorted(n for n in _open(result).namelist() if n != "SHA256SUMS")


def test_pack_copies_stored_files_byte_for_byte_and_the_manifest_hashes_match(account, items, tmp_path):
    archive = _open(_build(account, tmp_path))
    manifest = json.loads(archive.read("manifest.json"))

    assert manifest["schema_version"] == 1
    assert manifest["case"] == {"account": account.handle, "platform": "demo", "author": None, "since": None}
    assert manifest["exporter"].startswith("operator")
    assert [entry["code"] for entry in manifest["items"]] == [str(item.code) for item in items]  # oldest first
    assert manifest["items"][1]["external_id"] == HOSTILE_ID
    assert len(manifest["artefacts"]) == 12
    for entry in manifest["artefacts"]:
        artefact = Artefact.objects.get(code=entry["code"])
        content = archive.read(entry["file"])
        assert content == artefact_path(artefact).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest() == artefact.sha256
        assert entry["bytes"] == len(content)
        assert entry["tool"] == artefact.tool and entry["tool_version"] == artefact.tool_version
        assert entry["kind"] == artefact.kind and entry["captured_at"]
    folder = _folder(2, items[1])
    assert archive.read(f"{folder}/content.txt").decode("utf-8") == items[1].text
    metadata = json.loads(archive.read(f"{folder}/metadata.json"))
    assert metadata["text"] == items[1].text and metadata["external_id"] == HOSTILE_ID
    assert metadata["hits"] and {a["kind"] for a in metadata["artefacts"]} == {
        "post_json",
        "author_json",
        "post_png",
        "profile_png",
    }


def test_custody_log_holds_the_packs_events_in_chain_order_matching_the_database(account, items, tmp_path):
    archive = _open(_build(account, tmp_path))
    lines = [json.loads(line) for line in archive.read("custody_log.jsonl").decode("utf-8").splitlines()]

    captures = CustodyEvent.objects.filter(action="capture").order_by("id")
    assert [line["hash"] for line in lines] == [event.hash for event in captures]
    assert lines[0]["prev_hash"] == GENESIS_HASH
    for before, after in itertools.pairwise(lines):
        assert after["prev_hash"] == before["hash"]
    for line in lines:
        # A third party can recompute each hash from the line alone, as README.txt explains.
        content = {k: v for k, v in line.items() if k not in ("id", "hash")}
        content["at"] = datetime.fromisoformat(content["at"])
        assert custody_hash(**content) == line["hash"]
    readme = archive.read("README.txt").decode("utf-8")
    assert f"Custody chain head:  {captures.last().hash}" in readme
    assert "sha256sum -c SHA256SUMS" in readme


def test_evidence_log_csv_is_formula_safe_and_parses(account, items, tmp_path):
    archive = _open(_build(account, tmp_path))
    text = archive.read("evidence_log.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))

    header, body = rows[0], rows[1:]
    assert header[:3] == ["pack_number", "folder", "code"]
    assert len(body) == 3
    hostile = body[1]
    assert hostile[header.index("text")] == "'" + HOSTILE if HOSTILE.startswith("=") else HOSTILE
    assert hostile[header.index("external_id")] == HOSTILE_ID
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


_PDF_TEXT_BLOCK = re.compile(rb"BT(.*?)ET", re.S)
_PDF_SHOW = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj|(T\*)")


def _pdf_text(pdf: bytes) -> str:
    """The text an uncompressed reportlab PDF shows: each text block's strings joined, a space per line break.

    No PDF text extractor is installed, and reportlab splits a line into several strings where
    markup (even escaped) changes, so the strings are read back and joined.
    """
    blocks = []
    for block in _PDF_TEXT_BLOCK.findall(pdf):
        parts = []
        for shown, newline in _PDF_SHOW.findall(block):
            parts.append(" " if newline else re.sub(rb"\\(.)", rb"\1", shown).decode("latin-1"))
        blocks.append("".join(parts))
    return "\n".join(blocks)


def test_report_pdf_shows_every_items_text_escaped(account, items, tmp_path, monkeypatch):
    monkeypatch.setattr(pack, "PDF_PAGE_COMPRESSION", 0)  # so the page text can be read back
    pdf = _open(_build(account, tmp_path)).read("report.pdf")
    text = _pdf_text(pdf)

    assert pdf.startswith(b"%PDF")
    assert THREAT in text
    assert RACIST in text
    # The hostile markup is printed as text (reportlab would have dropped or refused real tags)...
    assert '<script>alert(1)</script> =HYPERLINK("x") I know where you live' in text
    # ...and the invisible right-to-left override is shown, not obeyed.
    assert "will kill you<U+202E>" in text
    assert "@other_guy" in text and "Rule " in text
    assert pdf.count(b"/Subtype /Image") >= 6  # post and profile pictures of each item
    assert text.index(THREAT) < text.index("alert(1)") < text.index("Go back")  # the chronology, oldest first


def test_a_browser_screenshot_is_packed_when_captured(account, items, tmp_path):
    picture = io.BytesIO()
    Image.new("RGB", (1600, 900), "white").save(picture, format="PNG")
    artefact_store(
        item=items[0], kind="post_screenshot", content=picture.getvalue(), media_type="image/png", tool="test"
    )

    archive = _open(_build(account, tmp_path))

    assert archive.read(f"{_folder(1, items[0])}/post_screenshot.png") == picture.getvalue()


def test_an_altered_stored_file_stops_the_export_and_names_it(account, items, tmp_path):
    altered = items[1].artefacts.get(kind="post_png")
    path = artefact_path(altered)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b"tampered")
    events = CustodyEvent.objects.count()

    with pytest.raises(PackError) as raised:
        _build(account, tmp_path)

    assert "altered" in str(raised.value) and str(altered.code) in str(raised.value)
    assert altered.file_name in str(raised.value)
    assert os.listdir(tmp_path) == ["media"]  # neither the pack nor a half-written temporary file
    assert CustodyEvent.objects.count() == events


def test_the_command_logs_a_custody_and_an_audit_event_and_ends_with_the_sha256(account, items, tmp_path):
    out = io.StringIO()
    call_command("evidence_pack", "--account", account.handle, "--output", str(tmp_path / "case.zip"), stdout=out)

    zip_path = tmp_path / "case.zip"
    sha256 = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    assert out.getvalue().split()[-1] == sha256
    assert str(zip_path) in out.getvalue()
    event = CustodyEvent.objects.order_by("id").last()
    assert event.action == "export" and event.object_code == str(account.code)
    assert event.detail == {
        "file": "case.zip",
        "sha256": sha256,
        "bytes": zip_path.stat().st_size,
        "items": 3,
        "filters": {"account": account.handle, "author": None, "since": None},
        # the pack's anchor: the event just before the export, and the log's length then
        "chain_head": event.prev_hash,
        "chain_events": CustodyEvent.objects.filter(id__lt=event.id).count(),
    }
    audit = AuditEvent.objects.filter(verb="export").get()
    assert audit.account == account and audit.detail["sha256"] == sha256
    assert "3 flagged items" in audit.summary


def test_author_and_since_narrow_the_pack(account, items, tmp_path):
    by_author = _build(account, tmp_path, "author.zip", author_handle="@other_guy")
    manifest = json.loads(_open(by_author).read("manifest.json"))
    assert [entry["code"] for entry in manifest["items"]] == [str(items[2].code)]
    assert manifest["case"]["author"] == "other_guy"

    since = (NOW - timedelta(days=2)).date()  # the day the second item was posted, after the first
    call_command(
        "evidence_pack",
        f"--account={account.handle}",
        f"--since={since.isoformat()}",
        f"--output={tmp_path / 'since.zip'}",
        stdout=io.StringIO(),
    )
    manifest = json.loads(zipfile.ZipFile(tmp_path / "since.zip").read("manifest.json"))
    posted = {str(item.code): item.posted_at for item in items}
    assert manifest["items"] and all(posted[entry["code"]].date() >= since for entry in manifest["items"])
    assert str(items[0].code) not in [entry["code"] for entry in manifest["items"]]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--account", "nobody"], "No campaign account @nobody"),
        (["--author", "ghost"], "No author @ghost"),
        (["--since", "31/01/2026"], "YYYY-MM-DD"),
        (["--since", "2999-01-01"], "Nothing to pack"),
    ],
)
def test_command_errors_are_clear(account, items, tmp_path, arguments, message):
    options = {"--account": account.handle, "--output": str(tmp_path / "x.zip")}
    options.update(dict(zip(arguments[::2], arguments[1::2], strict=True)))
    argv = [part for pair in options.items() for part in pair]

    with pytest.raises(CommandError, match=message):
        call_command("evidence_pack", *argv, stdout=io.StringIO())
    assert not (tmp_path / "x.zip").exists()


def test_nothing_to_pack_when_the_account_has_no_flagged_items(account, clear, tmp_path):
    with pytest.raises(CommandError, match="Nothing to pack: @"):
        call_command("evidence_pack", "--account", account.handle, "--output", str(tmp_path / "x.zip"))


def test_an_existing_output_file_is_never_overwritten(account, items, tmp_path):
    (tmp_path / "pack.zip").write_bytes(b"earlier pack")

    with pytest.raises(PackError, match="already exists"):
        _build(account, tmp_path)
    assert (tmp_path / "pack.zip").read_bytes() == b"earlier pack"


def test_long_text_wraps_and_a_tall_screenshot_is_scaled_to_the_page(account, ingest, media, tmp_path, monkeypatch):
    long_text = f"{THREAT} {'x' * 5000} " + "word " * 2000
    (item,) = ingest(fetched_item(long_text))
    tall = io.BytesIO()
    Image.new("RGB", (1280, 9000), "white").save(tall, format="PNG")
    artefact_store(item=item, kind="post_screenshot", content=tall.getvalue(), media_type="image/png", tool="test")
    monkeypatch.setattr(pack, "PDF_PAGE_COMPRESSION", 0)

    pdf = _open(_build(account, tmp_path)).read("report.pdf")  # reportlab raises LayoutError if anything won't fit

    text = _pdf_text(pdf)
    assert "x" * 50 in text
    assert "Not captured: post.png" in text  # captured only the screenshot: the gap is said, not hidden
