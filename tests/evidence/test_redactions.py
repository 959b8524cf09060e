"""Notes and redacted copies of evidence: new files pointing at the original, which never changes.

Alice owns the account, Bob is her co-moderator, Carol her comms officer, Charlie an outsider.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from evidence import pack
from evidence.models import Artefact, CustodyEvent, Pack
from evidence.pack import evidence_pack_build, folder_name
from evidence.redactions import EvidenceNoteRefused, Rectangle, artefact_annotate, artefact_redact
from evidence.services import artefact_path, artefact_store, evidence_verify
from tests.evidence.test_pack import _pdf_text
from tests.evidence.test_pack_selection import verify_sums
from tests.factories import RACIST, THREAT, fetched_item

pytestmark = pytest.mark.django_db

HOSTILE_NOTE = '<script>alert("note")</script> =HYPERLINK("x") he posted this twice'


def client_for(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


@pytest.fixture
def captured(ingest, media, django_capture_on_commit_callbacks):
    """Two flagged replies on Alice's account, each with its payloads and pictures captured."""
    now = datetime.now(UTC)
    with django_capture_on_commit_callbacks(execute=True):
        # The first is the older, so it is the pack's item 0001.
        items = ingest(
            fetched_item(THREAT, posted_at=now - timedelta(hours=2)),
            fetched_item(RACIST, posted_at=now - timedelta(hours=1)),
        )
    assert Artefact.objects.filter(item=items[0], status="captured").count() == 4
    return items


def _original(item, kind="post_png") -> Artefact:
    return item.artefacts.get(kind=kind, derived_from__isnull=True)


def _note_url(artefact) -> str:
    return reverse("evidence:artefact_note", kwargs={"code": artefact.code})


def _redact_url(artefact) -> str:
    return reverse("evidence:artefact_redact", kwargs={"code": artefact.code})


def _fingerprint(artefact) -> tuple[bytes, str]:
    content = artefact_path(artefact).read_bytes()
    return content, hashlib.sha256(content).hexdigest()


# --- Annotations ----------------------------------------------------------------------------


def test_a_moderator_adds_a_note_stored_write_once_and_logged(captured, bob):
    original = _original(captured[0])
    before = _fingerprint(original)

    response = client_for(bob).post(_note_url(original), {"note": HOSTILE_NOTE, "reason": "for the police"})

    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    note = Artefact.objects.get(kind="annotation")
    assert note.derived_from == original and note.item == captured[0]
    assert note.media_type == "text/plain" and note.status == "captured"
    stored = artefact_path(note).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == note.sha256 and len(stored) == note.bytes
    assert stored.decode("utf-8").endswith("\n\n" + HOSTILE_NOTE)
    assert f"SHA-256 {original.sha256}" in stored.decode("utf-8")
    event = CustodyEvent.objects.get(action="annotate")
    assert (event.object_type, event.object_code) == ("artefact", str(note.code))
    assert event.actor == bob and event.reason == "for the police"
    assert event.detail["annotates"] == str(original.code)
    assert event.detail["annotates_sha256"] == original.sha256
    assert CustodyEvent.objects.filter(action="capture", object_code=str(note.code)).exists()
    assert _fingerprint(original) == before  # the original is untouched
    assert evidence_verify() == []


def test_hostile_text_in_a_note_is_shown_escaped_on_the_item_page(captured, alice, carol):
    artefact_annotate(artefact=_original(captured[0]), user=alice, note=HOSTILE_NOTE)

    page = client_for(carol).get(reverse("moderation:item", kwargs={"code": captured[0].code})).content.decode()

    assert "&lt;script&gt;alert(&quot;note&quot;)&lt;/script&gt;" in page
    assert '<script>alert("note")' not in page
    # Comms officers read notes but get no links to write them.
    assert _note_url(_original(captured[0])) not in page


def test_the_item_page_offers_notes_and_redactions_to_deciders(captured, alice):
    page = client_for(alice).get(reverse("moderation:item", kwargs={"code": captured[0].code})).content.decode()
    assert _note_url(_original(captured[0])) in page
    assert _redact_url(_original(captured[0])) in page
    assert _redact_url(_original(captured[0], "post_json")) not in page  # a payload is not a picture


@pytest.mark.parametrize(
    ("data", "message"), [({"note": "   "}, "Write the note."), ({"note": "x" * 20_001}, "20,000")]
)
def test_an_empty_or_long_note_is_refused_and_the_text_kept(captured, alice, data, message):
    response = client_for(alice).post(_note_url(_original(captured[0])), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Artefact.objects.filter(kind="annotation").exists()
    assert not CustodyEvent.objects.filter(action="annotate").exists()


def test_a_note_on_a_note_is_refused(captured, alice):
    note = artefact_annotate(artefact=_original(captured[0]), user=alice, note="first")
    with pytest.raises(EvidenceNoteRefused, match="can't be annotated"):
        artefact_annotate(artefact=note, user=alice, note="second")


# --- Redactions -----------------------------------------------------------------------------


def test_a_redacted_copy_fills_the_areas_black_and_leaves_the_original_alone(captured, bob):
    original = _original(captured[0])
    before = _fingerprint(original)
    with Image.open(artefact_path(original)) as image:
        width, height = image.size
        source = image.convert("RGB")

    response = client_for(bob).post(
        _redact_url(original), {"rectangles": f"0, 0, 40, 30\n{width - 20} {height - 10} 20 10", "reason": "address"}
    )

    assert response.status_code == 302
    copy = Artefact.objects.get(kind="redaction")
    assert copy.derived_from == original and copy.media_type == "image/png"
    with Image.open(artefact_path(copy)) as image:
        redacted = image.convert("RGB")
    assert redacted.size == (width, height)
    assert redacted.getpixel((0, 0)) == redacted.getpixel((39, 29)) == (0, 0, 0)
    assert redacted.getpixel((width - 1, height - 1)) == (0, 0, 0)
    assert redacted.getpixel((40, 30)) == source.getpixel((40, 30))  # just outside the first area
    assert redacted.crop((0, 40, width, height - 20)).tobytes() == source.crop((0, 40, width, height - 20)).tobytes()
    assert _fingerprint(original) == before
    event = CustodyEvent.objects.get(action="redact")
    assert event.actor == bob and event.reason == "address"
    assert event.detail["original"] == str(original.code) and event.detail["original_sha256"] == original.sha256
    assert event.detail["areas"][0] == {"x": 0, "y": 0, "width": 40, "height": 30}
    assert event.object_code == str(copy.code)
    assert evidence_verify() == []


@pytest.mark.parametrize(
    ("rectangles", "message"),
    [
        ("0, 0, 99999, 10", "doesn't fit the picture"),
        ("-1, 0, 10, 10", "doesn't fit the picture"),
        ("10, 10, 0, 5", "has no area"),
        ("ten, 10, 5, 5", "isn't four whole numbers"),
        ("1, 2, 3", "isn't four whole numbers"),
    ],
)
def test_areas_that_do_not_fit_are_refused_and_nothing_is_stored(captured, alice, rectangles, message):
    original = _original(captured[0])
    before = _fingerprint(original)
    events = CustodyEvent.objects.count()

    response = client_for(alice).post(_redact_url(original), {"rectangles": rectangles, "reason": "address"})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'")
    assert rectangles.split(",")[0] in page  # what was typed is still in the form
    assert not Artefact.objects.filter(kind="redaction").exists()
    assert CustodyEvent.objects.count() == events
    assert _fingerprint(original) == before


def test_a_redaction_needs_a_reason(captured, alice):
    response = client_for(alice).post(_redact_url(_original(captured[0])), {"rectangles": "0,0,5,5"})
    assert response.status_code == 200 and "Say why you are redacting it" in response.content.decode()
    assert not Artefact.objects.filter(kind="redaction").exists()


def test_only_original_pictures_can_be_redacted(captured, alice):
    payload = _original(captured[0], "post_json")
    response = client_for(alice).get(_redact_url(payload))
    assert response.status_code == 200 and "Only a captured or uploaded picture" in response.content.decode()
    with pytest.raises(EvidenceNoteRefused, match="Only pictures"):
        artefact_redact(artefact=payload, user=alice, rectangles=[Rectangle(0, 0, 1, 1)], reason="x")
    copy = artefact_redact(artefact=_original(captured[0]), user=alice, rectangles=[Rectangle(0, 0, 1, 1)], reason="x")
    with pytest.raises(EvidenceNoteRefused, match="not a copy"):
        artefact_redact(artefact=copy, user=alice, rectangles=[Rectangle(0, 0, 1, 1)], reason="x")


def test_an_altered_original_is_not_worked_from(captured, alice):
    original = _original(captured[0])
    path = artefact_path(original)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b"tampered")

    response = client_for(alice).post(_redact_url(original), {"rectangles": "0,0,5,5", "reason": "x"})

    assert response.status_code == 200 and "no longer matches the SHA-256" in response.content.decode()
    assert not Artefact.objects.filter(kind="redaction").exists()


def test_an_uploaded_jpeg_is_redacted_into_a_png_copy(captured, alice):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, "JPEG")
    upload = artefact_store(
        item=captured[0], kind="upload", content=buffer.getvalue(), media_type="image/jpeg", tool="upload", actor=alice
    )
    copy = artefact_redact(artefact=upload, user=alice, rectangles=[Rectangle(10, 10, 20, 20)], reason="face")
    with Image.open(artefact_path(copy)) as image:
        assert image.format == "PNG" and image.size == (60, 40)
        assert image.convert("RGB").getpixel((15, 15)) == (0, 0, 0)
    assert artefact_path(upload).read_bytes() == buffer.getvalue()


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("url_for", [_note_url, _redact_url])
def test_comms_get_403_outsiders_404_and_anonymous_sign_in(captured, carol, charlie, url_for):
    url = url_for(_original(captured[0]))
    data = {"note": "n", "rectangles": "0,0,5,5", "reason": "r"}
    assert client_for(carol).get(url).status_code == 403
    assert client_for(carol).post(url, data).status_code == 403
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(charlie).post(url, data).status_code == 404
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    assert client_for(captured[0].account.owner, csrf=True).post(url, data).status_code == 403
    assert not Artefact.objects.filter(derived_from__isnull=False).exists()


def test_an_unknown_artefact_is_404(alice, media):
    import uuid

    url = reverse("evidence:artefact_note", kwargs={"code": uuid.uuid4()})
    assert client_for(alice).get(url).status_code == 404


# --- In packs -------------------------------------------------------------------------------


@pytest.fixture
def worked(captured, alice, bob):
    """The first reply's post picture with a note and a redacted copy (and a note on the copy)."""
    original = _original(captured[0])
    note = artefact_annotate(artefact=original, user=alice, note=HOSTILE_NOTE, reason="context")
    copy = artefact_redact(artefact=original, user=bob, rectangles=[Rectangle(0, 0, 50, 20)], reason="home address")
    copy_note = artefact_annotate(artefact=copy, user=bob, note="Redacted before sending to the platform")
    return original, note, copy, copy_note


def test_a_pack_carries_notes_and_redacted_copies_beside_the_originals(account, worked, captured, tmp_path):
    original, note, copy, copy_note = worked

    result = evidence_pack_build(account=account, out_path=tmp_path / "pack.zip")

    archive = zipfile.ZipFile(result.path)
    folder = folder_name(1, captured[0])
    names = set(archive.namelist())
    assert {f"{folder}/post.png", f"{folder}/post_redacted_1.png"} <= names
    assert {f"{folder}/annotation_1.txt", f"{folder}/annotation_2.txt"} <= names
    assert archive.read(f"{folder}/post.png") == artefact_path(original).read_bytes()
    assert archive.read(f"{folder}/post_redacted_1.png") == artefact_path(copy).read_bytes()
    assert archive.read(f"{folder}/annotation_1.txt") == artefact_path(note).read_bytes()
    manifest = {entry["code"]: entry for entry in json.loads(archive.read("manifest.json"))["artefacts"]}
    assert manifest[str(copy.code)]["derived_from"] == {
        "code": str(original.code),
        "kind": "post_png",
        "sha256": original.sha256,
        "file": f"{folder}/post.png",
    }
    assert manifest[str(copy.code)]["redacted_areas"] == [{"x": 0, "y": 0, "width": 50, "height": 20}]
    assert manifest[str(note.code)]["derived_from"]["file"] == f"{folder}/post.png"
    assert manifest[str(copy_note.code)]["derived_from"]["file"] == f"{folder}/post_redacted_1.png"
    assert manifest[str(note.code)]["made_by"] == "alice"
    custody = archive.read("custody_log.jsonl").decode("utf-8")
    assert '"action":"annotate"' in custody and '"action":"redact"' in custody
    verify_sums(archive, tmp_path / "unpacked")
    call_command("verify_evidence", stdout=io.StringIO())  # the derived files are checked like any other


def test_hostile_note_text_prints_as_text_in_the_report(account, worked, tmp_path, monkeypatch):
    monkeypatch.setattr(pack, "PDF_PAGE_COMPRESSION", 0)
    result = evidence_pack_build(account=account, out_path=tmp_path / "pack.zip")
    text = _pdf_text(zipfile.ZipFile(result.path).read("report.pdf"))
    assert '<script>alert("note")</script> =HYPERLINK("x") he posted this twice' in text
    assert "Notes by the team" in text and "annotation_1.txt on post.png" in text
    assert "Redacted copy of post.png" in text


def test_with_redacted_copies_the_copy_replaces_the_original(account, worked, captured, tmp_path, monkeypatch):
    original, note, _, _ = worked
    second = artefact_redact(
        artefact=original, user=worked[2].item.account.owner, rectangles=[Rectangle(0, 0, 9, 9)], reason="more"
    )
    monkeypatch.setattr(pack, "PDF_PAGE_COMPRESSION", 0)

    result = evidence_pack_build(account=account, redacted=True, out_path=tmp_path / "pack.zip")

    archive = zipfile.ZipFile(result.path)
    folder = folder_name(1, captured[0])
    names = set(archive.namelist())
    assert f"{folder}/post.png" not in names
    assert f"{folder}/post_redacted_1.png" not in names  # only the newest copy stands in
    assert archive.read(f"{folder}/post_redacted_2.png") == artefact_path(second).read_bytes()
    assert f"{folder}/profile.png" in names  # pictures with no redacted copy go in as they are
    entry = next(e for e in json.loads(archive.read("manifest.json"))["artefacts"] if e["code"] == str(second.code))
    assert entry["in_place_of_original"] is True
    assert entry["derived_from"] == {
        "code": str(original.code),
        "kind": "post_png",
        "sha256": original.sha256,
        "file": None,
    }
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["case"]["redacted"] is True
    assert original.sha256 not in archive.read("SHA256SUMS").decode()
    # The original's capture is still in the custody extract: its SHA-256 can be checked there.
    assert f'"object_code":"{original.code}"' in archive.read("custody_log.jsonl").decode("utf-8")
    text = _pdf_text(archive.read("report.pdf"))
    assert "A redacted copy was used" in text and original.sha256 in text
    assert "redacted copies where one was made" in archive.read("README.txt").decode("utf-8")
    # The note about the original points at the copy used in its place.
    note_entry = next(e for e in manifest["artefacts"] if e["code"] == str(note.code))
    assert note_entry["derived_from"]["file"] == f"{folder}/post_redacted_2.png"
    verify_sums(archive, tmp_path / "unpacked")


def test_the_pack_form_and_the_command_take_redacted(account, worked, captured, alice, tmp_path):
    response = client_for(alice).post(reverse("evidence:pack_new"), {"account": str(account.code), "redacted": "1"})
    assert response.status_code == 302
    made = Pack.objects.get()
    assert made.redacted and made.status == "done"
    folder = folder_name(1, captured[0])
    names = zipfile.ZipFile(artefact_path(made.file_name)).namelist()
    assert f"{folder}/post_redacted_1.png" in names and f"{folder}/post.png" not in names

    call_command(
        "evidence_pack",
        "--account",
        account.handle,
        "--redacted",
        "--output",
        str(tmp_path / "c.zip"),
        stdout=io.StringIO(),
    )
    names = zipfile.ZipFile(tmp_path / "c.zip").namelist()
    assert f"{folder}/post_redacted_1.png" in names and f"{folder}/post.png" not in names
    assert CustodyEvent.objects.filter(action="export").last().detail["filters"]["redacted"] is True
