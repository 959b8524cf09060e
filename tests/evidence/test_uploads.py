"""Evidence uploaded by hand: screenshots (checked to the last byte) and WhatsApp chat imports.

Alice owns the account, Bob is her co-moderator, Carol her comms officer, Charlie an outsider.
The chats are from a fictional ward group, "Riverside Ward Residents".
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import subprocess
import sys
import uuid
import zipfile
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from celery import current_app
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from evidence import uploads as uploads_module
from evidence.models import Artefact, CustodyEvent
from evidence.pack import evidence_pack_build
from evidence.services import artefact_path, evidence_verify
from evidence.tasks import whatsapp_import_run
from evidence.uploads import (
    MAX_SCREENSHOT_BYTES,
    ManualItem,
    UploadRefused,
    import_progress,
    item_code_from,
    screenshot_check,
    screenshot_upload,
    whatsapp_import,
    whatsapp_messages_ingest,
    whatsapp_upload,
)
from moderation import selectors
from moderation.models import AuditEvent, Author, Item
from moderation.services import item_ingest_page
from platforms.base import ActionError, Capability, FetchPage
from platforms.registry import connector_for
from platforms.whatsapp import ChatParseError
from tests.factories import CIVIL, RACIST, THREAT, fetched_author, fetched_item

pytestmark = pytest.mark.django_db

LRM = "\u200e"


# --- Files ------------------------------------------------------------------------------------


def png_bytes(size=(40, 30), mode="RGB", color="white") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(40, 30), **options) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size)
    image.putdata([(x * 7 % 256, y * 11 % 256, (x * y) % 256) for y in range(size[1]) for x in range(size[0])])
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    position, chunks = 8, []
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        chunks.append((data[position + 4 : position + 8], data[position + 8 : position + 8 + length]))
        position += 12 + length
    return chunks


def png_from_chunks(chunks: list[tuple[bytes, bytes]]) -> bytes:
    body = b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data)) for kind, data in chunks
    )
    return b"\x89PNG\r\n\x1a\n" + body


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def stored_files(media) -> list[str]:
    if not os.path.isdir(media):
        return []
    return sorted(
        os.path.relpath(os.path.join(folder, name), media) for folder, _, names in os.walk(media) for name in names
    )


def everything(media) -> tuple:
    """What an upload could create; a refused one must leave all of it unchanged."""
    return (
        Item.objects.count(),
        Author.objects.count(),
        Artefact.objects.count(),
        CustodyEvent.objects.count(),
        AuditEvent.objects.exclude(verb__in=["login", "logout"]).count(),  # signing in is audited too
        stored_files(media),
    )


# --- Screenshots: the file checks -------------------------------------------------------------


def test_a_real_png_is_accepted():
    checked = screenshot_check(png_bytes((40, 30)), file_name="shot.png", content_type="image/png")

    assert (checked.media_type, checked.width, checked.height) == ("image/png", 40, 30)


@pytest.mark.parametrize("options", [{}, {"progressive": True, "optimize": True}, {"quality": 30}])
def test_a_real_jpeg_is_accepted(options):
    checked = screenshot_check(jpeg_bytes((64, 48), **options), file_name="IMG_0001.JPG", content_type="image/jpeg")

    assert (checked.media_type, checked.width, checked.height) == ("image/jpeg", 64, 48)


def test_a_browser_that_sends_no_type_is_judged_by_the_name():
    checked = screenshot_check(png_bytes(), file_name="shot.png", content_type="application/octet-stream")

    assert checked.media_type == "image/png"


def test_zero_padding_after_a_jpeg_is_tolerated():
    assert screenshot_check(jpeg_bytes() + b"\x00" * 64, file_name="a.jpg", content_type="image/jpeg")


@pytest.mark.parametrize(
    ("data", "name", "content_type", "message"),
    [
        (b"", "empty.png", "image/png", "The file is empty"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "invoice.png", "image/png", "it is a Windows program"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "report.png", "image/png", "it is a PDF document"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "a.png", "image/png", "SVG"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "a.gif", "image/gif", "must end .png, .jpg or .jpeg"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "IMG_1234.png", "image/png", "HEIC photo"),
        (b"just some text", "notes.png", "image/png", "is not a PNG or JPEG image."),
    ],
    ids=["empty", "exe", "pdf", "svg", "gif", "heic", "text"],
)
def test_files_that_are_not_png_or_jpeg_are_refused(data, name, content_type, message):
    with pytest.raises(UploadRefused, match=message):
        screenshot_check(data, file_name=name, content_type=content_type)


def test_a_program_without_an_image_name_is_refused_by_its_name():
    with pytest.raises(UploadRefused, match=r"must end \.png, \.jpg or \.jpeg \(setup\.exe doesn't\)"):
        screenshot_check(b"MZ\x90\x00", file_name="C:\\Users\\jo\\setup.exe", content_type="application/x-msdownload")


def test_a_type_that_contradicts_the_name_is_refused():
    with pytest.raises(UploadRefused, match="was sent as application/pdf, which doesn't match its name"):
        screenshot_check(png_bytes(), file_name="shot.png", content_type="application/pdf")


def test_a_png_named_as_a_jpeg_is_refused():
    with pytest.raises(UploadRefused, match="named as a JPEG image but is a PNG image"):
        screenshot_check(png_bytes(), file_name="shot.jpg", content_type="image/jpeg")


def test_a_file_over_the_size_limit_is_refused_before_it_is_decoded():
    data = png_bytes() + b"\x00" * MAX_SCREENSHOT_BYTES

    with pytest.raises(UploadRefused, match="larger than 10 MB"):
        screenshot_check(data, file_name="big.png", content_type="image/png")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_png_is_refused(keep):
    data = png_bytes((200, 200), color=(10, 20, 30))
    cut = data[: int(len(data) * keep)]

    with pytest.raises(UploadRefused, match=r"incomplete|damaged"):
        screenshot_check(cut, file_name="cut.png", content_type="image/png")


def test_a_truncated_jpeg_is_refused():
    data = jpeg_bytes((120, 90))

    with pytest.raises(UploadRefused, match=r"incomplete|damaged"):
        screenshot_check(data[: len(data) // 2], file_name="cut.jpg", content_type="image/jpeg")


def test_a_png_with_a_damaged_checksum_is_refused():
    chunks = png_chunks(png_bytes((50, 50), color="blue"))
    data = bytearray(png_from_chunks(chunks))
    data[-20] ^= 0xFF  # inside the image data: the CRC no longer matches

    with pytest.raises(UploadRefused, match="damaged or incomplete"):
        screenshot_check(bytes(data), file_name="bad.png", content_type="image/png")


def test_a_png_with_a_zip_appended_is_refused():
    polyglot = png_bytes() + zip_bytes({"payload.js": b"alert(1)"})

    with pytest.raises(UploadRefused, match="bytes after the end of the image"):
        screenshot_check(polyglot, file_name="shot.png", content_type="image/png")


def test_a_jpeg_with_a_zip_appended_is_refused():
    polyglot = jpeg_bytes() + zip_bytes({"payload.js": b"alert(1)"})

    with pytest.raises(UploadRefused, match="bytes after the end of the image"):
        screenshot_check(polyglot, file_name="shot.jpg", content_type="image/jpeg")


def test_a_png_that_is_also_a_zip_inside_its_last_chunk_is_refused():
    """A zip hidden in a private chunk whose comment swallows the PNG's end: a valid PNG and a valid zip."""
    chunks = png_chunks(png_bytes())
    hidden = bytearray(zip_bytes({"payload.js": b"alert(1)"}))
    hidden[-2:] = struct.pack("<H", 16)  # the zip comment covers the chunk's CRC and IEND
    polyglot = png_from_chunks([*chunks[:-1], (b"zIPp", bytes(hidden)), chunks[-1]])
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    Image.open(io.BytesIO(polyglot)).load()  # Pillow alone would accept it

    with pytest.raises(UploadRefused, match="also a zip archive"):
        screenshot_check(polyglot, file_name="shot.png", content_type="image/png")


def test_a_png_that_carries_a_pdf_header_is_refused():
    chunks = png_chunks(png_bytes())
    polyglot = png_from_chunks([chunks[0], (b"tEXt", b"Comment\x00%PDF-1.7 1 0 obj"), *chunks[1:]])
    Image.open(io.BytesIO(polyglot)).load()

    with pytest.raises(UploadRefused, match="also a PDF document"):
        screenshot_check(polyglot, file_name="shot.png", content_type="image/png")


def test_a_decompression_bomb_at_pillows_own_limit_is_refused():
    bomb = png_bytes((10_000, 10_000), mode="1", color=1)  # 100 million pixels
    assert len(bomb) < 100_000  # a small file that would need far more memory to decode

    with pytest.raises(UploadRefused, match="decompression bomb"):
        screenshot_check(bomb, file_name="bomb.png", content_type="image/png")


@pytest.mark.parametrize("size", [(40, 30), (100, 100)])  # over the limit (Pillow warns), over twice it (Pillow errs)
def test_pillows_pixel_limit_is_what_refuses(monkeypatch, size):
    data = png_bytes(size)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    with pytest.raises(UploadRefused, match=r"over 1,000\).*decompression bomb"):
        screenshot_check(data, file_name="a.png", content_type="image/png")


# --- Screenshots: storing them ----------------------------------------------------------------


def manual(text: str = THREAT, **overrides) -> ManualItem:
    values = {
        "platform": "whatsapp",
        "channel": "WhatsApp",
        "author_handle": "@Gary Pike",
        "author_name": "Gary",
        "text": text,
        "posted_at": datetime(2025, 3, 15, 23, 58, tzinfo=UTC),
        "url": "",
        "kind": "message",
    }
    values.update(overrides)
    return ManualItem(**values)


def test_a_screenshot_with_a_new_item_is_stored_write_once_and_the_text_is_checked(
    account, alice, media, django_capture_on_commit_callbacks
):
    data = png_bytes((60, 40), color="white")
    with django_capture_on_commit_callbacks(execute=True):
        result = screenshot_upload(
            user=alice,
            data=data,
            file_name="Screenshot_2025-03-15.png",
            content_type="image/png",
            account=account,
            new_item=manual(),
            note="threat in the ward group",
        )

    item = result.item
    assert result.item_created and result.flagged
    assert (item.account, item.platform, item.kind, item.text) == (account, "whatsapp", "message", THREAT)
    assert item.status == "open" and item.severity >= 3
    assert {hit.rule for hit in item.hits.all()} >= {2}
    assert item.author.handle == "Gary Pike" and item.author.display_name == "Gary"
    assert item.posted_at == datetime(2025, 3, 15, 23, 58, tzinfo=UTC)
    assert item.raw["screenshot"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert item.raw["entered_by"] == "alice" and item.raw["channel"] == "WhatsApp"

    upload = result.artefact
    assert (upload.item, upload.kind, upload.media_type, upload.bytes) == (item, "upload", "image/png", len(data))
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert upload.tool == "upload" and upload.captured_at is not None
    assert artefact_path(upload).read_bytes() == data
    assert stat.S_IMODE(os.stat(artefact_path(upload)).st_mode) == 0o444  # read-only

    events = CustodyEvent.objects.filter(object_code=str(upload.code)).order_by("id")
    assert [event.action for event in events] == ["capture", "upload"]
    uploaded = events[1]
    assert uploaded.actor == alice and "threat in the ward group" in uploaded.reason
    assert uploaded.detail["file_name"] == "Screenshot_2025-03-15.png"
    assert uploaded.detail["sha256"] == upload.sha256 and uploaded.detail["new_item"] is True
    audit = AuditEvent.objects.get(verb="evidence_upload")
    assert audit.actor == alice and audit.account == account
    # The flagged item was captured like any other, and every file still matches its record.
    assert {"post_json", "author_json", "post_png", "profile_png"} <= set(item.artefacts.values_list("kind", flat=True))
    assert evidence_verify() == []


def test_a_civil_manual_item_is_not_flagged_but_waits_in_the_queue(
    account, bob, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = screenshot_upload(
            user=bob,
            data=jpeg_bytes(),
            file_name="text.jpg",
            content_type="image/jpeg",
            account=account,
            new_item=manual(CIVIL, platform="manual", channel="Text message", kind="message"),
        )

    item = result.item
    # No rule caught it, but someone uploaded it as evidence: a person decides on it.
    assert not result.flagged and result.for_review
    assert item.status == "open" and item.severity == 0 and not item.hits.exists()
    assert item.platform == "manual" and result.artefact.media_type == "image/jpeg"
    assert list(selectors.items_for_user(bob).filter(status="open")) == [item]
    audit = AuditEvent.objects.get(verb="evidence_upload")
    assert audit.detail["for_review"] is True and "in the queue for a decision" in audit.summary
    # Its evidence is captured like a flagged item's.
    assert {"post_json", "author_json"} <= set(item.artefacts.values_list("kind", flat=True))


def test_a_manual_item_keeps_its_channel_and_the_account_its_own(account, alice, media):
    result = screenshot_upload(
        user=alice,
        data=png_bytes(),
        file_name="a.png",
        content_type="image/png",
        account=account,
        new_item=manual(RACIST),
    )

    account.refresh_from_db()
    assert account.platform == "demo"  # the account is on its own platform still
    assert result.item.platform == "whatsapp" and result.item.author.platform == "whatsapp"
    assert result.flagged and not result.for_review


def test_a_screenshot_attaches_to_an_item_already_held(account, alice, ingest, media):
    (item,) = ingest(RACIST)
    data = png_bytes()

    result = screenshot_upload(user=alice, data=data, file_name="x.png", content_type="image/png", item=item)

    assert result.item == item and not result.item_created
    assert item.artefacts.get(kind="upload").sha256 == hashlib.sha256(data).hexdigest()
    assert Item.objects.count() == 1


def test_a_second_screenshot_of_the_same_item_is_kept_beside_the_first(account, alice, ingest, media):
    (item,) = ingest(RACIST)
    first, second = png_bytes(), png_bytes(color="black")
    screenshot_upload(user=alice, data=first, file_name="x.png", content_type="image/png", item=item)
    screenshot_upload(user=alice, data=second, file_name="y.png", content_type="image/png", item=item)

    stored = {a.sha256 for a in item.artefacts.filter(kind="upload")}
    assert stored == {hashlib.sha256(first).hexdigest(), hashlib.sha256(second).hexdigest()}
    assert CustodyEvent.objects.filter(action="upload").count() == 2


def test_the_same_file_twice_on_one_item_is_refused_and_stores_nothing(account, alice, ingest, media):
    (item,) = ingest(RACIST)
    data = png_bytes()
    screenshot_upload(user=alice, data=data, file_name="x.png", content_type="image/png", item=item)
    before = everything(media)

    with pytest.raises(UploadRefused, match="already attached"):
        screenshot_upload(user=alice, data=data, file_name="again.png", content_type="image/png", item=item)

    assert everything(media) == before


def test_the_same_new_item_typed_twice_is_recorded_once(account, alice, bob, media):
    screenshot_upload(
        user=alice, data=png_bytes(), file_name="a.png", content_type="image/png", account=account, new_item=manual()
    )
    before = everything(media)

    with pytest.raises(UploadRefused, match="already recorded"):
        screenshot_upload(
            user=bob, data=png_bytes(), file_name="a.png", content_type="image/png", account=account, new_item=manual()
        )

    assert everything(media) == before


def test_a_refused_screenshot_creates_nothing(account, alice, media):
    before = everything(media)

    with pytest.raises(UploadRefused):
        screenshot_upload(
            user=alice,
            data=png_bytes() + b"<script>alert(1)</script>",
            file_name="a.png",
            content_type="image/png",
            account=account,
            new_item=manual(),
        )

    assert everything(media) == before


@pytest.mark.parametrize("who", ["carol", "charlie"])
def test_only_owners_and_co_moderators_may_upload(account, charlie, media, who, request):
    user = request.getfixturevalue(who)
    before = everything(media)

    with pytest.raises(PermissionDenied):
        screenshot_upload(
            user=user, data=png_bytes(), file_name="a.png", content_type="image/png", account=account, new_item=manual()
        )

    assert everything(media) == before


def test_item_codes_are_found_in_links_and_codes():
    code = "0f8fad5b-d9cb-469f-a165-70867728950e"

    assert str(item_code_from(f"https://saferpol.example/queue/items/{code}/")) == code
    assert str(item_code_from(code.upper())) == code
    assert item_code_from("the one from yesterday") is None


# --- WhatsApp chats ---------------------------------------------------------------------------

E2E = "Messages and calls are end-to-end encrypted. No one outside of this chat can read them."
ANDROID = f"""\
14/03/2025, 08:02 - {E2E}
14/03/2025, 08:05 - Cllr Priya Shah added Dave Mercer
14/03/2025, 09:17 - Cllr Priya Shah: Morning all. The bin collection on Mill Lane moves to Thursdays.
14/03/2025, 09:20 - Dave Mercer: Typical. Nobody asked us.
Third time this year they've changed it.
15/07/2025, 23:58 - Gary Pike: {THREAT}
15/07/2025, 23:59 - Gary Pike: <Media omitted>
16/07/2025, 07:30 - Cllr Priya Shah: Reported to the police. Please keep this group civil.
"""
IPHONE = (
    f"{LRM}[14/03/2025, 08:02:11] Riverside Ward Residents: {LRM}{E2E}\n"
    "[14/03/2025, 09:17:03] Cllr Priya Shah: Potholes on Station Road are booked for repair.\n"
    f"[15/03/2025, 23:58:30] Gary Pike: {RACIST}\n"
    f"{LRM}[15/03/2025, 23:59:00] Gary Pike: {LRM}image omitted\n"
)


def import_chat(account, user, data: bytes, name: str = "WhatsApp Chat with Riverside Ward Residents.txt", **kw):
    return whatsapp_import(user=user, account=account, data=data, file_name=name, **kw)


def test_an_android_chat_becomes_items_checked_by_the_rules(account, alice, media):
    data = ANDROID.encode()

    result = import_chat(account, alice, data)

    assert (result.chat_format, result.messages, result.notices) == ("android", 5, 2)
    assert (result.created, result.flagged, result.duplicates) == (5, 1, 0)
    items = list(Item.objects.filter(platform="whatsapp").order_by("posted_at"))
    assert [item.author.handle for item in items] == [
        "Cllr Priya Shah",
        "Dave Mercer",
        "Gary Pike",
        "Gary Pike",
        "Cllr Priya Shah",
    ]
    assert all(item.account == account and item.kind == "message" for item in items)
    assert items[1].text == "Typical. Nobody asked us.\nThird time this year they've changed it."
    # Exports carry no zone: read as UK time, so winter is UTC and summer is an hour ahead of it.
    assert items[0].posted_at == datetime(2025, 3, 14, 9, 17, tzinfo=UTC)
    assert items[2].posted_at == datetime(2025, 7, 15, 22, 58, tzinfo=UTC)
    threat = items[2]
    assert threat.text == THREAT and threat.status == "open"
    assert 2 in {hit.rule for hit in threat.hits.all()}
    assert {item.status for item in items if item != threat} == {"clear"}
    assert threat.raw["line"] == 6 and threat.raw["chat_file"]["sha256"] == hashlib.sha256(data).hexdigest()

    chat = result.artefact
    assert chat.item == items[0] == result.anchor  # kept with the first message imported
    assert (chat.kind, chat.media_type, chat.bytes, chat.tool) == ("upload", "text/plain", len(data), "upload")
    assert chat.sha256 == hashlib.sha256(data).hexdigest()
    assert artefact_path(chat).read_bytes() == data
    upload = CustodyEvent.objects.get(action="upload", object_code=str(chat.code))
    assert upload.actor == alice
    assert (upload.detail["messages"], upload.detail["new"], upload.detail["already_imported"]) == (5, 5, 0)
    assert upload.detail["upload"] == "whatsapp_chat" and upload.detail["format"] == "android"
    assert upload.detail["job"] == result.job
    imported = AuditEvent.objects.get(verb="evidence_upload", detail__state="done")
    assert (imported.detail["created"], imported.detail["flagged"], imported.detail["duplicates"]) == (5, 1, 0)
    assert imported.actor == alice and imported.object_code == str(result.anchor.code)
    assert "5 messages read, 5 imported, 1 flagged, 0 already imported" in result.summary()
    assert evidence_verify() == []


def test_an_iphone_zip_is_imported_and_kept_as_a_zip(account, bob, media):
    data = zip_bytes({"_chat.txt": IPHONE.encode(), "00000012-PHOTO-2025-03-15-23-58-00.jpg": jpeg_bytes()})

    result = import_chat(account, bob, data, name="WhatsApp Chat - Riverside Ward Residents.zip")

    assert (result.chat_format, result.messages, result.notices, result.created) == ("iphone", 3, 1, 3)
    assert result.flagged == 1
    racist = Item.objects.get(platform="whatsapp", text=RACIST)
    assert racist.status == "open" and 3 in {hit.rule for hit in racist.hits.all()}
    assert racist.posted_at == datetime(2025, 3, 15, 23, 58, 30, tzinfo=UTC)
    assert result.artefact.media_type == "application/zip" and artefact_path(result.artefact).read_bytes() == data


def test_importing_the_same_chat_again_creates_nothing(account, alice, bob, media):
    import_chat(account, alice, ANDROID.encode())
    before = everything(media)

    again = import_chat(account, bob, ANDROID.encode())

    assert (again.created, again.duplicates, again.flagged, again.artefact) == (0, 5, 0, None)
    assert "nothing new was stored" in again.summary()
    assert everything(media) == before


def test_a_later_export_adds_only_the_new_messages(account, alice, media):
    first = import_chat(account, alice, ANDROID.encode())
    later = ANDROID + "17/07/2025, 10:00 - Dave Mercer: Shut up you absolute clown\n"

    second = import_chat(account, alice, later.encode())

    assert (second.created, second.duplicates, second.flagged) == (1, 5, 1)
    assert Item.objects.filter(platform="whatsapp").count() == 6
    assert second.artefact.item.text == "Shut up you absolute clown"
    assert second.artefact.sha256 != first.artefact.sha256


def test_the_same_export_from_android_carriage_returns_is_still_the_same_messages(account, alice, media):
    import_chat(account, alice, ANDROID.encode())

    again = import_chat(account, alice, ANDROID.replace("\n", "\r\n").encode())

    assert (again.created, again.duplicates) == (0, 5)


def test_identical_messages_in_the_same_minute_are_two_items(account, alice, media):
    chat = "14/03/2025, 10:00 - Dave Mercer: ok\n14/03/2025, 10:00 - Dave Mercer: ok\n"

    result = import_chat(account, alice, chat.encode())

    assert result.created == 2
    assert import_chat(account, alice, chat.encode()).created == 0


def test_the_same_chat_on_two_accounts_is_imported_for_each(account, charlies_account, alice, charlie, media):
    import_chat(account, alice, ANDROID.encode())

    other = import_chat(charlies_account, charlie, ANDROID.encode())

    assert other.created == 5
    assert Item.objects.filter(account=charlies_account, platform="whatsapp").count() == 5
    # A name in one councillor's chat is not assumed to be the same person in another's.
    assert Author.objects.filter(platform="whatsapp", handle="Gary Pike").count() == 2


def test_the_phones_time_zone_is_used(account, alice, media):
    import_chat(account, alice, b"14/03/2025, 10:00 - Dave Mercer: hello\n", time_zone="America/New_York")

    assert Item.objects.get(platform="whatsapp").posted_at == datetime(2025, 3, 14, 14, 0, tzinfo=UTC)


def test_ambiguous_dates_follow_the_chosen_order(account, alice, media):
    chat = "31/12/2025, 10:00 - A: one\n12/31/2025, 10:00 - B: two\n"
    with pytest.raises(UploadRefused, match="contradict"):
        import_chat(account, alice, chat.encode())

    result = import_chat(account, alice, chat.encode(), date_order="MDY")

    assert result.created == 1 and result.warnings


def _bomb() -> bytes:
    huge = b"14/03/2025, 10:00 - Gary Pike: " + b"a" * (101 * 1024 * 1024)
    data = zip_bytes({"_chat.txt": huge})
    assert len(data) < 200 * 1024
    return data


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "chat.txt", "empty"),
        (b"Dear Councillor,\nPlease fix the streetlights.\n", "chat.txt", "doesn't look like an exported WhatsApp"),
        (b"14/03/2025, 10:00 - Dave Mercer: caf\xc3\x28\n", "chat.txt", "isn't valid text"),
        (b"MZ\x90\x00\x03" + b"\x00" * 100, "WhatsApp Chat.txt", "is a Windows program, not an exported"),
        (png_bytes(), "WhatsApp Chat.txt", "is a PNG image, not an exported"),
        (b"%PDF-1.7\n", "chat.zip", "is a PDF document"),
        (b"14/03/2025, 10:00 - Dave Mercer: hello\n", "chat.exe", "isn't a WhatsApp export"),
        (zip_bytes({"photo.jpg": jpeg_bytes()}), "chat.zip", "single chat text"),
        (zip_bytes({"_chat.txt": b"shopping list: milk, eggs"}), "chat.zip", "doesn't look like an exported"),
        (zip_bytes({"_chat.txt": IPHONE.encode(), "../../etc/cron.d/x": b"x"}), "chat.zip", "outside"),
        (zip_bytes({"_chat.txt": IPHONE.encode()})[:80], "chat.zip", "damaged"),
        (f"14/03/2025, 08:02 - {E2E}\n".encode(), "chat.txt", "only WhatsApp's own notices"),
    ],
    ids=[
        "empty",
        "not-a-chat",
        "bad-utf8",
        "exe-renamed",
        "png-renamed",
        "pdf-renamed",
        "wrong-extension",
        "zip-without-chat",
        "zip-not-a-chat",
        "traversal",
        "damaged-zip",
        "only-notices",
    ],
)
def test_bad_chats_are_refused_and_nothing_is_stored(account, alice, media, data, name, message):
    before = everything(media)

    with pytest.raises(UploadRefused, match=message):
        import_chat(account, alice, data, name=name)

    assert everything(media) == before


def test_a_zip_bomb_is_refused_and_nothing_is_stored(account, alice, media):
    before = everything(media)

    with pytest.raises(UploadRefused, match="more than we accept"):
        import_chat(account, alice, _bomb(), name="chat.zip")

    assert everything(media) == before


def test_an_unknown_time_zone_is_refused(account, alice, media):
    with pytest.raises(UploadRefused, match="Unknown time zone"):
        import_chat(account, alice, ANDROID.encode(), time_zone="../../etc/passwd")
    assert not Item.objects.exists()


def test_a_comms_officer_cannot_import(account, carol, media):
    with pytest.raises(PermissionDenied):
        import_chat(account, carol, ANDROID.encode())
    assert not Item.objects.exists()


# --- Pages ------------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def screenshot_post(account, data=None, name="shot.png", content_type="image/png", **fields):
    values = {
        "mode": "new",
        "account": str(account.code),
        "screenshot": SimpleUploadedFile(name, png_bytes() if data is None else data, content_type=content_type),
        "channel": "facebook",
        "kind": "comment",
        "author_handle": "@millbrook_watch",
        "author_name": "Millbrook Watch",
        "text": THREAT,
        "posted_at": "2025-07-15T23:58",
        "url": "https://www.facebook.com/groups/1/posts/2",
        "note": "posted in a residents' group",
    }
    values.update(fields)
    return values


def test_an_owner_uploads_a_screenshot_of_a_new_post(account, alice, media):
    response = client_for(alice).post(reverse("evidence:upload_screenshot"), screenshot_post(account), follow=True)

    item = Item.objects.get(platform="manual")
    assert response.redirect_chain[-1][0] == reverse("moderation:item", kwargs={"code": item.code})
    page = response.content.decode()
    upload = item.artefacts.get(kind="upload")
    assert f"SHA-256 {upload.sha256}" in page and "It breaks a rule" in page
    assert item.kind == "comment" and item.url == "https://www.facebook.com/groups/1/posts/2"
    assert item.raw["channel"] == "Facebook" and item.author.handle == "millbrook_watch"
    # Typed in UK time: 23:58 in July is 22:58 UTC.
    assert item.posted_at == datetime(2025, 7, 15, 22, 58, tzinfo=UTC)


def test_the_channel_can_be_named_when_it_is_not_listed(account, bob, media):
    client_for(bob).post(
        reverse("evidence:upload_screenshot"), screenshot_post(account, channel="other", channel_name="Nextdoor")
    )

    assert Item.objects.get(platform="manual").raw["channel"] == "Nextdoor"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"channel": "other", "channel_name": ""}, "Name the channel"),
        ({"text": "   "}, "Type the text exactly"),
        ({"author_handle": ""}, "Type the author&#x27;s handle"),
        ({"posted_at": ""}, "Give the date and time"),
        ({"posted_at": "2999-01-01T10:00"}, "can&#x27;t be in the future"),
        ({"url": "javascript:alert(1)"}, "Enter a valid URL"),
    ],
)
def test_missing_or_bad_details_are_explained_and_nothing_is_stored(account, alice, media, fields, message):
    before = everything(media)

    response = client_for(alice).post(reverse("evidence:upload_screenshot"), screenshot_post(account, **fields))

    assert response.status_code == 200 and message in response.content.decode()
    assert everything(media) == before


@pytest.mark.parametrize(
    ("data", "name", "content_type", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "invoice.png", "image/png", "it is a Windows program"),
        (b"%PDF-1.4\n", "report.png", "image/png", "it is a PDF document"),
        (png_bytes()[:60], "cut.png", "image/png", "incomplete"),
        (png_bytes((10_000, 10_000), mode="1", color=1), "bomb.png", "image/png", "decompression bomb"),
    ],
    ids=["exe", "pdf", "truncated", "bomb"],
)
def test_a_hostile_file_is_refused_on_the_page_and_nothing_is_stored(
    account, alice, media, data, name, content_type, message
):
    before = everything(media)

    response = client_for(alice).post(
        reverse("evidence:upload_screenshot"), screenshot_post(account, data=data, name=name, content_type=content_type)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert everything(media) == before


def test_an_empty_file_is_refused_on_the_page(account, alice, media):
    response = client_for(alice).post(reverse("evidence:upload_screenshot"), screenshot_post(account, data=b""))

    assert response.status_code == 200 and "The file is empty." in response.content.decode()
    assert not Item.objects.exists()


def test_a_screenshot_is_added_to_an_item_from_its_link(account, bob, ingest, media):
    (item,) = ingest(RACIST)
    link = "https://saferpol.example" + reverse("moderation:item", kwargs={"code": item.code})

    response = client_for(bob).post(
        reverse("evidence:upload_screenshot"),
        {"mode": "attach", "item": link, "screenshot": SimpleUploadedFile("s.jpg", jpeg_bytes(), "image/jpeg")},
    )

    assert response.status_code == 302 and response["Location"] == reverse(
        "moderation:item", kwargs={"code": item.code}
    )
    assert item.artefacts.get(kind="upload").media_type == "image/jpeg"


def test_the_upload_page_offers_to_add_a_screenshot_to_one_item(account, alice, carol, charlie, ingest, media):
    (item,) = ingest(RACIST)
    url = reverse("evidence:uploads") + f"?item={item.code}"

    page = client_for(alice).get(url).content.decode()
    assert "Add a screenshot to this item" in page and f'value="{item.code}"' in page
    read_only = client_for(carol).get(url).content.decode()
    assert "can read the evidence but not upload it" in read_only
    assert client_for(charlie).get(url).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("carol", 403), ("charlie", 404)])
def test_attaching_needs_a_decider_on_the_items_account(account, ingest, media, who, status, request):
    (item,) = ingest(RACIST)
    user = request.getfixturevalue(who)

    response = client_for(user).post(
        reverse("evidence:upload_screenshot"),
        {"mode": "attach", "item": str(item.code), "screenshot": SimpleUploadedFile("s.png", png_bytes(), "image/png")},
    )

    assert response.status_code == status
    assert not Artefact.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("carol", 403), ("charlie", 404)])
def test_uploading_needs_a_decider_on_the_account(account, charlies_account, media, who, status, request):
    user = request.getfixturevalue(who)
    before = everything(media)
    client = client_for(user)

    shot = client.post(reverse("evidence:upload_screenshot"), screenshot_post(account))
    chat = client.post(
        reverse("evidence:upload_whatsapp"),
        {"account": str(account.code), "chat": SimpleUploadedFile("chat.txt", ANDROID.encode(), "text/plain")},
    )

    assert (shot.status_code, chat.status_code) == (status, status)
    assert everything(media) == before


def test_a_moderator_imports_a_chat_and_sees_what_it_did(account, bob, media, django_capture_on_commit_callbacks):
    client = client_for(bob)
    upload = SimpleUploadedFile("WhatsApp Chat with Riverside.txt", ANDROID.encode(), "text/plain")

    with django_capture_on_commit_callbacks(execute=True):  # no broker: the import runs after the commit
        response = client.post(
            reverse("evidence:upload_whatsapp"),
            {"account": str(account.code), "chat": upload, "time_zone": "Europe/London", "date_order": ""},
        )

    chat = Artefact.objects.get(kind="upload")
    job = CustodyEvent.objects.get(action="upload").detail["job"]
    assert response.status_code == 302 and response["Location"] == reverse("evidence:whatsapp_import", args=[job])
    page = client.get(response["Location"]).content.decode()
    assert "5 messages read, 5 new. They are being imported" in page and chat.sha256 in page
    assert "Done: 5 messages read, 5 imported, 1 flagged, 0 already imported (skipped)" in page
    assert "hx-get" not in page  # finished: nothing left to poll
    listing = client.get(reverse("evidence:uploads")).content.decode()
    assert "WhatsApp Chat with Riverside.txt" in listing  # in the list of uploads, with its counts
    assert "5 messages read, 5 imported, 1 flagged, 0 already imported" in listing
    assert reverse("evidence:whatsapp_import", kwargs={"job": job}) in listing  # and in the person's imports

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            reverse("evidence:upload_whatsapp"),
            {
                "account": str(account.code),
                "chat": SimpleUploadedFile("again.txt", ANDROID.encode(), "text/plain"),
                "time_zone": "Europe/London",
            },
            follow=True,
        )
    assert again.redirect_chain[-1][0] == reverse("evidence:uploads")
    assert "all 5 messages were imported before; nothing new was stored" in again.content.decode()
    assert Item.objects.filter(platform="whatsapp").count() == 5
    assert Artefact.objects.filter(kind="upload").count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "chat.txt", "The file is empty."),
        (zip_bytes({"photo.jpg": jpeg_bytes()}), "chat.zip", "single chat text file"),
        (b"\xff\xfe\x00\xd8", "chat.txt", "isn&#x27;t valid text"),
    ],
    ids=["empty", "zip-without-chat", "bad-utf16"],
)
def test_a_refused_chat_is_explained_on_the_page(account, alice, media, data, name, message):
    before = everything(media)

    response = client_for(alice).post(
        reverse("evidence:upload_whatsapp"),
        {"account": str(account.code), "chat": SimpleUploadedFile(name, data, "application/octet-stream")},
    )

    assert response.status_code == 200 and message in response.content.decode()
    assert everything(media) == before


def test_a_bad_time_zone_is_explained_on_the_page(account, alice, media):
    response = client_for(alice).post(
        reverse("evidence:upload_whatsapp"),
        {
            "account": str(account.code),
            "chat": SimpleUploadedFile("chat.txt", ANDROID.encode(), "text/plain"),
            "time_zone": "Mars/Olympus",
        },
    )

    assert response.status_code == 200 and "Unknown time zone" in response.content.decode()
    assert not Item.objects.exists()


def test_the_list_of_uploads_is_for_the_accounts_members_only(account, alice, carol, charlie, media):
    hostile = "<script>alert(1)</script> " + THREAT
    client_for(alice).post(reverse("evidence:upload_screenshot"), screenshot_post(account, text=hostile))
    upload = Artefact.objects.get(kind="upload")

    page = client_for(carol).get(reverse("evidence:uploads")).content.decode()
    assert upload.sha256 in page and "alice" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "Only owners and co-moderators can upload" in page and 'name="screenshot"' not in page
    assert upload.sha256 not in client_for(charlie).get(reverse("evidence:uploads")).content.decode()


def test_the_item_page_works_for_an_imported_message(account, alice, carol, media):
    import_chat(account, alice, ANDROID.encode())
    threat = Item.objects.get(platform="whatsapp", text=THREAT)

    response = client_for(carol).get(reverse("moderation:item", kwargs={"code": threat.code}))

    assert response.status_code == 200 and "Gary Pike" in response.content.decode()


# --- Background imports -----------------------------------------------------------------------


def upload_chat(client, account, data: bytes = ANDROID.encode(), name: str = "chat.txt"):
    return client.post(
        reverse("evidence:upload_whatsapp"),
        {"account": str(account.code), "chat": SimpleUploadedFile(name, data, "text/plain")},
    )


def test_the_import_runs_as_a_task_once_the_upload_commits(account, alice, media, django_capture_on_commit_callbacks):
    client = client_for(alice)

    with django_capture_on_commit_callbacks() as queued:
        response = upload_chat(client, account)

    # The request has checked and kept the file, and stored the first new message with it.
    job = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    chat = Artefact.objects.get(kind="upload")
    assert chat.item.text == "Morning all. The bin collection on Mill Lane moves to Thursdays."
    assert Item.objects.filter(platform="whatsapp").count() == 1
    waiting = client.get(response["Location"]).content.decode()
    assert "Waiting to start: 5 messages in the chat, 5 of them new." in waiting
    assert f'hx-get="{reverse("evidence:whatsapp_import_progress", args=[job])}"' in waiting
    assert f'href="{reverse("evidence:whatsapp_import", args=[job])}">Refresh</a>' in waiting  # without JavaScript
    (task,) = [callback for callback in queued if "whatsapp_import_run" in repr(callback)]

    task()  # what the broker, or the commit without one, does

    assert Item.objects.filter(platform="whatsapp").count() == 5
    progress = import_progress(job)
    assert progress["state"] == "done" and progress["error"] == ""
    assert (progress["read"], progress["created"], progress["flagged"], progress["duplicates"]) == (5, 5, 1, 0)
    fragment = client.get(reverse("evidence:whatsapp_import_progress", args=[job]), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert body.startswith('<div id="import-progress"') and "<html" not in body
    assert "Done: 5 messages read, 5 imported, 1 flagged, 0 already imported" in body and "hx-get" not in body
    assert reverse("moderation:item", kwargs={"code": chat.item.code}) in body
    assert evidence_verify() == []


def test_the_import_task_is_on_the_ingest_queue():
    route = current_app.amqp.router.route(whatsapp_import_run._get_exec_options(), whatsapp_import_run.name, (), {})

    assert route["queue"].name == "ingest"


def test_progress_polled_without_htmx_sends_to_the_page(account, alice, media):
    result = whatsapp_upload(user=alice, account=account, data=ANDROID.encode(), file_name="chat.txt", queue=False)

    response = client_for(alice).get(reverse("evidence:whatsapp_import_progress", args=[result.job]))

    assert response.status_code == 302 and response["Location"] == reverse(
        "evidence:whatsapp_import", args=[result.job]
    )


def test_progress_is_for_the_accounts_members_only(account, alice, carol, charlie, media):
    result = whatsapp_upload(user=alice, account=account, data=ANDROID.encode(), file_name="chat.txt", queue=False)
    whatsapp_messages_ingest(**result.task)
    page = reverse("evidence:whatsapp_import", args=[result.job])
    fragment = reverse("evidence:whatsapp_import_progress", args=[result.job])

    seen = client_for(carol).get(page)  # a comms officer can't upload, but may follow the import
    assert seen.status_code == 200 and "5 imported, 1 flagged" in seen.content.decode()
    for url in (page, fragment):
        assert client_for(charlie).get(url, HTTP_HX_REQUEST="true").status_code == 404
        assert Client().get(url).status_code == 302  # to sign in
    assert client_for(alice).get(reverse("evidence:whatsapp_import", args=[uuid.uuid4()])).status_code == 404
    # Nor do outsiders see it among their imports.
    assert result.job not in client_for(charlie).get(reverse("evidence:uploads")).content.decode()


def test_someone_removed_from_the_account_can_no_longer_follow_its_import(account, alice, bob, media):
    result = whatsapp_upload(user=bob, account=account, data=ANDROID.encode(), file_name="chat.txt", queue=False)
    account.memberships.filter(user=bob).delete()

    assert client_for(bob).get(reverse("evidence:whatsapp_import", args=[result.job])).status_code == 404
    assert result.job not in client_for(bob).get(reverse("evidence:uploads")).content.decode()


def test_a_redelivered_import_task_changes_nothing(account, alice, media):
    result = whatsapp_upload(user=alice, account=account, data=ANDROID.encode(), file_name="chat.txt", queue=False)
    first = whatsapp_messages_ingest(**result.task)
    before = everything(media)

    again = whatsapp_messages_ingest(**result.task)

    assert again == first and everything(media) == before


class FlakyDatabase:
    """The ingest as it is, until `fail_after` more calls have gone through; then the database fails."""

    def __init__(self, monkeypatch):
        self.real = uploads_module.item_ingest_page
        self.fail_after: int | None = None
        monkeypatch.setattr(uploads_module, "item_ingest_page", self)

    def __call__(self, **kwargs):
        if self.fail_after is not None:
            if self.fail_after == 0:
                raise OperationalError("database is locked")
            self.fail_after -= 1
        return self.real(**kwargs)


def test_a_failed_import_says_why_and_uploading_again_imports_the_rest_once(account, alice, media, monkeypatch):
    monkeypatch.setattr(uploads_module, "IMPORT_BATCH", 2)
    database = FlakyDatabase(monkeypatch)
    first = whatsapp_upload(user=alice, account=account, data=ANDROID.encode(), file_name="chat.txt", queue=False)
    database.fail_after = 1  # one batch of two goes in, then the database fails

    progress = whatsapp_messages_ingest(**first.task)

    assert progress["state"] == "failed"
    assert progress["error"].startswith("The import stopped after 3 of 5 messages (OperationalError).")
    assert "Upload the same file again to import the rest" in progress["error"]
    assert (progress["created"], progress["duplicates"]) == (3, 0)
    assert Item.objects.filter(platform="whatsapp").count() == 3  # what was imported stays imported
    failed = AuditEvent.objects.get(verb="evidence_upload", detail__state="failed")
    assert failed.detail["job"] == first.job and "failed after 3 new messages" in failed.summary
    page = client_for(alice).get(reverse("evidence:whatsapp_import", args=[first.job])).content.decode()
    assert "The import stopped after 3 of 5 messages" in page and "Upload the chat again" in page

    database.fail_after = None
    again = whatsapp_import(user=alice, account=account, data=ANDROID.encode(), file_name="chat.txt")

    assert again.error == "" and (again.new, again.created, again.duplicates) == (2, 2, 3)
    assert Item.objects.filter(platform="whatsapp").count() == 5
    assert Item.objects.filter(platform="whatsapp").values("external_id").distinct().count() == 5
    # The second upload is kept with the first message the failed import never reached.
    assert again.anchor.text == "<Media omitted>" and again.anchor != first.anchor
    assert evidence_verify() == []


def test_a_task_run_again_after_it_stopped_counts_each_message_once(account, alice, media, monkeypatch):
    monkeypatch.setattr(uploads_module, "IMPORT_BATCH", 2)
    database = FlakyDatabase(monkeypatch)
    result = whatsapp_upload(user=alice, account=account, data=ANDROID.encode(), file_name="chat.txt", queue=False)
    database.fail_after = 1
    assert whatsapp_messages_ingest(**result.task)["state"] == "failed"
    database.fail_after = None

    progress = whatsapp_messages_ingest(**result.task)  # the broker delivers it again

    assert progress["state"] == "done" and progress["error"] == ""
    assert (progress["read"], progress["created"], progress["duplicates"]) == (5, 3, 2)
    assert Item.objects.filter(platform="whatsapp").count() == 5


def test_an_import_whose_progress_left_the_cache_still_runs_for_members_only(account, alice, charlie, media):
    result = whatsapp_upload(user=alice, account=account, data=ANDROID.encode(), file_name="chat.txt", queue=False)
    cache.clear()

    progress = whatsapp_messages_ingest(**result.task)

    assert progress["state"] == "done" and (progress["created"], progress["messages"]) == (5, 5)
    page = reverse("evidence:whatsapp_import", args=[result.job])
    assert "5 imported, 1 flagged" in client_for(alice).get(page).content.decode()
    assert client_for(charlie).get(page).status_code == 404


def test_a_stored_chat_that_was_altered_records_why_it_was_not_imported(account, alice, media):
    result = whatsapp_upload(user=alice, account=account, data=ANDROID.encode(), file_name="chat.txt", queue=False)
    stored = artefact_path(result.artefact)
    os.chmod(stored, 0o644)
    stored.write_bytes(ANDROID.replace("Reported to the police", "Nothing to see").encode())

    progress = whatsapp_messages_ingest(**result.task)

    assert progress["state"] == "failed"
    assert "no longer matches the SHA-256 recorded when it was uploaded" in progress["error"]
    assert Item.objects.filter(platform="whatsapp").count() == 1  # only the message kept with the upload
    page = client_for(alice).get(reverse("evidence:whatsapp_import", args=[result.job])).content.decode()
    assert "no longer matches the SHA-256" in page


def test_a_chat_that_cannot_be_read_again_records_the_reason(account, alice, media, monkeypatch):
    result = whatsapp_upload(user=alice, account=account, data=ANDROID.encode(), file_name="chat.txt", queue=False)

    def damaged(*args, **kwargs):
        raise ChatParseError("The chat text isn't valid text (UTF-8 or UTF-16), so it can't be read.")

    monkeypatch.setattr(uploads_module, "parse_chat_file", damaged)

    progress = whatsapp_messages_ingest(**result.task)

    assert progress["state"] == "failed"
    assert progress["error"].startswith("The stored chat file could not be read again: The chat text isn't valid")
    assert AuditEvent.objects.get(verb="evidence_upload", detail__state="failed").detail["error"] == progress["error"]


def test_refusals_stay_immediate_and_queue_nothing(account, alice, media, django_capture_on_commit_callbacks):
    before = everything(media)

    with django_capture_on_commit_callbacks() as queued:
        response = upload_chat(client_for(alice), account, data=b"Dear Councillor,\nPlease fix the lights.\n")

    assert (
        response.status_code == 200 and "doesn&#x27;t look like an exported WhatsApp chat" in response.content.decode()
    )
    assert queued == [] and everything(media) == before


# --- Speed: authors written once per page -----------------------------------------------------


def test_each_author_is_written_once_per_page_not_once_per_message(account, alice, media):
    chat = "".join(
        f"14/03/2025, 10:{minute:02d} - {sender}: message {minute}\n"
        for minute in range(60)
        for sender in ["Dave Mercer", "Gary Pike", "Cllr Priya Shah"][minute % 3 : minute % 3 + 1]
    )

    with CaptureQueriesContext(connection) as queries:
        result = import_chat(account, alice, chat.encode())

    author_writes = [
        query["sql"]
        for query in queries.captured_queries
        if "moderation_author" in query["sql"].split(" WHERE ")[0] and query["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert result.created == 60
    # Three new authors inserted (the first message's with the upload, the other two in the first
    # page), then one last-seen update per page: not 60 writes.
    assert len(author_writes) <= 6, author_writes
    assert Author.objects.filter(platform="whatsapp").count() == 3
    assert Item.objects.filter(platform="whatsapp").values("author").distinct().count() == 3


def test_a_page_from_another_channel_keeps_its_platform_and_the_latest_profile(account, ingest):
    first = fetched_item(CIVIL, author=fetched_author(external_id="sender-1", display_name="Dave"))
    later = fetched_item(CIVIL + " Again.", author=fetched_author(external_id="sender-1", display_name="Dave M"))

    result = item_ingest_page(account=account, page=FetchPage(items=[first, later]), platform="whatsapp")

    assert result.created == 2
    assert set(Item.objects.values_list("platform", flat=True)) == {"whatsapp"}
    author = Author.objects.get()
    assert (author.platform, author.display_name) == ("whatsapp", "Dave M")  # the later item's profile wins
    again = item_ingest_page(account=account, page=FetchPage(items=[first]), platform="whatsapp")
    assert (again.created, again.duplicates) == (0, 1)


# --- The benchmark ----------------------------------------------------------------------------


def test_the_import_benchmark_runs_and_prints_its_figures(tmp_path):
    script = Path(__file__).resolve().parents[2] / "bench" / "whatsapp_import.py"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}

    done = subprocess.run(
        [sys.executable, str(script), "--n", "60", "--database-url", f"sqlite:///{tmp_path / 'bench.sqlite3'}"],
        capture_output=True,
        text=True,
        env={**env, "MEDIA_ROOT": str(tmp_path / "media")},
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"60 messages: upload [\d.]+ s, import [\d.]+ s, [\d,]+ messages/s", done.stdout), done.stdout
    assert "60 imported" in done.stdout


# --- The evidence pack and the connector --------------------------------------------------------


def test_the_evidence_pack_still_builds_with_uploaded_evidence(
    account, alice, ingest, media, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (held,) = ingest(RACIST)
        screenshot_upload(user=alice, data=png_bytes(), file_name="a.png", content_type="image/png", item=held)
        screenshot_upload(
            user=alice,
            data=jpeg_bytes(),
            file_name="b.jpg",
            content_type="image/jpeg",
            account=account,
            new_item=manual(),
        )
        import_chat(account, alice, ANDROID.encode())
    flagged = Item.objects.filter(account=account).exclude(status="clear")
    assert flagged.count() == 3

    result = evidence_pack_build(account=account, exporter=alice, out_path=tmp_path / "pack.zip")

    assert result.items == 3
    with zipfile.ZipFile(result.path) as archive:
        sums = dict(
            reversed(line.split("  ", 1)) for line in archive.read("SHA256SUMS").decode().splitlines() if line.strip()
        )
        for name, digest in sums.items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
        names = archive.namelist()
    assert any("_whatsapp_wa-" in name for name in names)
    assert any("_whatsapp_manual-" in name for name in names)  # the typed-up item, from WhatsApp
    assert evidence_verify() == []


@pytest.mark.parametrize("platform", ["whatsapp", "manual"])
def test_channels_without_an_api_offer_only_a_manual_report(account, platform, ingest):
    connector = connector_for(platform)
    (item,) = ingest(RACIST)

    capabilities = connector.capabilities(account)

    assert capabilities[Capability.REPORT].manual and not capabilities[Capability.REPORT].automatic
    for capability in (Capability.HIDE, Capability.MUTE, Capability.BLOCK, Capability.DELETE):
        assert not capabilities[capability].available and capabilities[capability].reason
    assert [page.items for page in connector.fetch(account, "")] == [[]]
    with pytest.raises(ActionError, match="no connection to this channel"):
        connector.hide(account, item)


def test_a_post_time_in_the_future_is_refused(account, alice, media):
    with pytest.raises(UploadRefused, match="can't be in the future"):
        screenshot_upload(
            user=alice,
            data=png_bytes(),
            file_name="a.png",
            content_type="image/png",
            account=account,
            new_item=manual(posted_at=timezone.now() + timedelta(days=1)),
        )
    assert not Item.objects.exists()
