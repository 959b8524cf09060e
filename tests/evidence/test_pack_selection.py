"""Evidence packs of picked replies, uploads in packs, several uploads per item, and large packs
built in the background.

Alice owns the account, Bob is her co-moderator, Carol her comms officer, Charlie an outsider.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from PIL import Image

from evidence import pack
from evidence.models import Artefact, CustodyEvent, Pack
from evidence.pack import PackError, evidence_pack_build, folder_name, pack_create, pack_run
from evidence.pack_tasks import pack_build
from evidence.services import artefact_path, artefact_store, evidence_verify
from moderation.models import Membership, Role
from tests.evidence.test_pack import _pdf_text
from tests.factories import RACIST, RUDE, THREAT, fetched_item

pytestmark = pytest.mark.django_db

NOW = datetime.now(UTC).replace(microsecond=0)
CHAT = "12/01/2026, 21:04 - Dave: I know where you live and I will kill you\n"


def verify_sums(archive: zipfile.ZipFile, where: Path) -> list[str]:
    """Unzip and check every line of SHA256SUMS, as `sha256sum -c` does (and with it, where installed).

    Returns the files listed; every file in the ZIP but SHA256SUMS must be listed.
    """
    archive.extractall(where)
    listed = []
    for line in (where / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((where / name).read_bytes()).hexdigest() == digest, name
        listed.append(name)
    assert sorted(listed) == sorted(n for n in archive.namelist() if n != "SHA256SUMS")
    if shutil.which("sha256sum"):
        checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=where, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    return listed


def client_for(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def png_bytes(size=(80, 50), color="white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(70, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def items(ingest, media, django_capture_on_commit_callbacks):
    """Three flagged replies on Alice's account, oldest first, with their captures."""
    with django_capture_on_commit_callbacks(execute=True):
        stored = ingest(
            fetched_item(THREAT, posted_at=NOW - timedelta(days=3)),
            fetched_item(RACIST, posted_at=NOW - timedelta(days=2)),
            fetched_item(RUDE, posted_at=NOW - timedelta(days=1)),
        )
    assert all(item.status != "clear" for item in stored)
    return stored


def _upload(item, content: bytes, media_type: str, user) -> Artefact:
    return artefact_store(
        item=item, kind="upload", content=content, media_type=media_type, tool="upload", actor=user, reason="uploaded"
    )


# --- Several uploads per item ---------------------------------------------------------------


def test_two_screenshots_on_one_item_are_both_stored_and_both_logged(items, alice, bob):
    first = _upload(items[0], png_bytes(), "image/png", alice)
    second = _upload(items[0], jpeg_bytes(), "image/jpeg", bob)

    assert first.pk != second.pk and first.file_name != second.file_name
    assert set(items[0].artefacts.filter(kind="upload").values_list("sha256", flat=True)) == {
        hashlib.sha256(png_bytes()).hexdigest(),
        hashlib.sha256(jpeg_bytes()).hexdigest(),
    }
    assert artefact_path(first).read_bytes() == png_bytes()
    assert artefact_path(second).read_bytes() == jpeg_bytes()
    logged = CustodyEvent.objects.filter(action="capture", object_code__in=[str(first.code), str(second.code)])
    assert {(event.object_code, event.actor_label) for event in logged} == {
        (str(first.code), "alice"),
        (str(second.code), "bob"),
    }
    assert evidence_verify() == []


def test_captured_kinds_still_keep_one_original(items):
    existing = items[0].artefacts.get(kind="post_png")
    again = artefact_store(item=items[0], kind="post_png", content=b"other", media_type="image/png", tool="t")
    assert again.pk == existing.pk and again.sha256 == existing.sha256
    with pytest.raises(IntegrityError), transaction.atomic():
        Artefact.objects.create(item=items[0], kind="post_json", file_name="x", sha256="0" * 64)


# --- Uploads in packs -----------------------------------------------------------------------


def test_uploaded_files_go_into_the_pack_listed_hashed_and_shown(account, items, alice, bob, tmp_path, monkeypatch):
    png, jpeg = _upload(items[0], png_bytes(), "image/png", alice), _upload(items[0], jpeg_bytes(), "image/jpeg", bob)
    chat = _upload(items[1], CHAT.encode(), "text/plain", alice)
    chat_zip = io.BytesIO()
    with zipfile.ZipFile(chat_zip, "w") as archive:
        archive.writestr("_chat.txt", CHAT)
    zipped = _upload(items[2], chat_zip.getvalue(), "application/zip", bob)
    monkeypatch.setattr(pack, "PDF_PAGE_COMPRESSION", 0)

    result = evidence_pack_build(account=account, out_path=tmp_path / "pack.zip")

    archive = zipfile.ZipFile(result.path)
    first, second, third = (folder_name(n, item) for n, item in enumerate(items, start=1))
    assert archive.read(f"{first}/upload_1.png") == png_bytes()
    assert archive.read(f"{first}/upload_2.jpg") == jpeg_bytes()
    assert archive.read(f"{second}/upload_1.txt") == CHAT.encode()
    assert archive.read(f"{third}/upload_1.zip") == chat_zip.getvalue()
    listed = verify_sums(archive, tmp_path / "unpacked")
    assert {f"{first}/upload_1.png", f"{first}/upload_2.jpg", f"{second}/upload_1.txt", f"{third}/upload_1.zip"} <= set(
        listed
    )
    manifest = {entry["code"]: entry for entry in json.loads(archive.read("manifest.json"))["artefacts"]}
    for artefact, name, who in ((png, f"{first}/upload_1.png", "alice"), (jpeg, f"{first}/upload_2.jpg", "bob")):
        entry = manifest[str(artefact.code)]
        assert (entry["file"], entry["sha256"], entry["kind"], entry["made_by"]) == (
            name,
            artefact.sha256,
            "upload",
            who,
        )
    assert manifest[str(chat.code)]["media_type"] == "text/plain"
    assert manifest[str(zipped.code)]["file"] == f"{third}/upload_1.zip"
    metadata = json.loads(archive.read(f"{first}/metadata.json"))
    assert {entry["file"] for entry in metadata["artefacts"]} >= {f"{first}/upload_1.png", f"{first}/upload_2.jpg"}

    rows = list(csv.DictReader(io.StringIO(archive.read("evidence_log.csv").decode("utf-8-sig"))))
    assert (
        f"upload_1.png uploaded by alice at {png.captured_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
        in (rows[0]["uploaded_files"])
    )
    assert "upload_2.jpg uploaded by bob" in rows[0]["uploaded_files"] and jpeg.sha256 in rows[0]["uploaded_files"]
    assert "upload_1.txt" in rows[1]["uploaded_files"] and "post.png SHA-256 " in rows[1]["files"]

    pdf = archive.read("report.pdf")
    text = _pdf_text(pdf)
    assert f"Uploaded by alice at {png.captured_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC, SHA-256 {png.sha256}" in text
    assert "Uploaded by bob at" in text and jpeg.sha256 in text
    assert "upload_1.txt" in text  # the chat file is named in the report, not drawn
    assert pdf.count(b"/Subtype /Image") >= 6 + 2


# --- Picking replies from the dashboard -----------------------------------------------------


def _pick(client, *items, **extra):
    return client.post(reverse("evidence:pack_select"), {"items": [str(i.code) for i in items], **extra})


def _build(client, *items, **extra):
    return client.post(reverse("evidence:pack_selection_build"), {"items": [str(i.code) for i in items], **extra})


@pytest.mark.parametrize("persona", ["alice", "bob", "carol"])
def test_a_member_picks_replies_and_builds_a_pack_of_exactly_those(account, items, persona, request, tmp_path):
    user = request.getfixturevalue(persona)
    client = client_for(user)

    assert _pick(client, items[2]).status_code == 302
    response = _pick(client, items[0], items[2])  # picking one twice keeps it once
    assert response.status_code == 302 and response["Location"].endswith("#selection")
    page = client.get(reverse("evidence:packs")).content.decode()
    assert "Picked replies" in page and "2 replies to @AliceForMillbrook" in page
    assert str(items[1].code) not in page

    response = _build(client, items[2], items[0])

    assert response.status_code == 302
    made = Pack.objects.get()
    assert made.exporter == user and made.status == "done" and made.items == 2
    assert set(made.selected_items.all()) == {items[0], items[2]}
    archive = zipfile.ZipFile(artefact_path(made.file_name))
    manifest = json.loads(archive.read("manifest.json"))
    assert [entry["code"] for entry in manifest["items"]] == [str(items[0].code), str(items[2].code)]  # oldest first
    assert manifest["case"]["selection"] == [str(items[0].code), str(items[2].code)]
    readme = archive.read("README.txt").decode("utf-8")
    assert "Made from:           a selection: 2 items picked one by one" in readme
    assert "Author filter" not in readme
    verify_sums(archive, tmp_path / "unpacked")
    page = client.get(reverse("evidence:packs")).content.decode()
    assert "picked replies" in page and f"SHA-256 {made.sha256}" in page
    assert "None picked." in page  # the pick is emptied once packed
    export = CustodyEvent.objects.filter(action="export").get()
    assert export.actor == user and export.detail["filters"]["selection"] == manifest["case"]["selection"]


def test_the_queue_offers_add_to_evidence_pack_to_every_member(account, items, carol):
    page = client_for(carol).get(reverse("moderation:queue")).content.decode()
    assert f'formaction="{reverse("evidence:pack_select")}"' in page
    assert f'name="items" value="{items[0].code}"' in page  # comms officers can tick replies to pack


def test_adding_from_the_queue_with_htmx_sends_the_browser_to_the_packs_page(account, items, carol):
    response = client_for(carol).post(
        reverse("evidence:pack_select"), {"items": [str(items[0].code)], "next": "/queue/"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("evidence:packs") + "#selection"


def test_the_item_page_adds_its_reply_to_the_pick(account, items, carol):
    client = client_for(carol)
    page = client.get(reverse("moderation:item", kwargs={"code": items[1].code})).content.decode()
    assert f'action="{reverse("evidence:pack_select")}"' in page and "Add to evidence pack" in page
    _pick(client, items[1])
    assert client.session["evidence_pack_selection"] == [str(items[1].code)]


def test_removing_and_clearing_the_pick(account, items, alice):
    client = client_for(alice)
    _pick(client, *items)
    _pick(client, items[1], remove="1")
    assert client.session["evidence_pack_selection"] == [str(items[0].code), str(items[2].code)]
    _pick(client, items[0], items[2], remove="1")
    assert client.session["evidence_pack_selection"] == []


@pytest.fixture
def second_account(charlies_account, alice, ingest, django_capture_on_commit_callbacks):
    """Charlie's account, with Alice as his co-moderator, and one flagged reply on it."""
    Membership.objects.create(account=charlies_account, user=alice, role=Role.MODERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        (item,) = ingest(THREAT, target=charlies_account)
    return item


def test_replies_of_two_accounts_are_refused_and_nothing_is_added_or_built(account, items, second_account, alice):
    client = client_for(alice)
    _pick(client, items[0])

    response = _pick(client, second_account)
    assert client.session["evidence_pack_selection"] == [str(items[0].code)]
    page = client.get(response["Location"]).content.decode()
    assert "An evidence pack holds one account&#x27;s replies" in page and "Nothing was added" in page

    response = _build(client, items[0], second_account)
    assert response.status_code == 302 and not Pack.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was built" in page and "@CharlieForEastfield" in page
    assert not CustodyEvent.objects.filter(action="export").exists()


def test_the_service_refuses_another_accounts_item_and_builds_nothing(account, items, second_account, alice, tmp_path):
    with pytest.raises(PackError, match="not on @AliceForMillbrook"):
        pack_create(user=alice, account=account, item_codes=[items[0].code, second_account.code])
    with pytest.raises(PackError, match="not an item code"):
        pack_create(user=alice, account=account, item_codes=["nonsense"])
    with pytest.raises(PackError, match="narrowed by author or date"):
        evidence_pack_build(
            account=account, item_codes=[items[0].code], author_handle="millbrook_mum", out_path=tmp_path / "x.zip"
        )
    assert not Pack.objects.exists() and not (tmp_path / "x.zip").exists()


def test_outsiders_get_404_and_nothing_changes(account, items, charlie):
    client = client_for(charlie)
    assert _pick(client, items[0]).status_code == 404
    assert "evidence_pack_selection" not in client.session
    assert _build(client, items[0]).status_code == 404
    assert not Pack.objects.exists()


def test_a_mix_of_own_and_unknown_replies_is_404(account, items, alice):
    client = client_for(alice)
    assert (
        client.post(reverse("evidence:pack_select"), {"items": [str(items[0].code), str(uuid.uuid4())]}).status_code
        == 404
    )
    assert client.post(reverse("evidence:pack_select"), {"items": ["not-a-code"]}).status_code == 404
    assert "evidence_pack_selection" not in client.session


def test_anonymous_is_sent_to_sign_in_and_a_missing_csrf_token_is_refused(account, items, alice):
    for name in ("evidence:pack_select", "evidence:pack_selection_build"):
        response = Client().post(reverse(name), {"items": [str(items[0].code)]})
        assert response.status_code == 302 and reverse("login") in response["Location"]
        response = client_for(alice, csrf=True).post(reverse(name), {"items": [str(items[0].code)]})
        assert response.status_code == 403
        assert client_for(alice).get(reverse(name)).status_code == 405
    assert not Pack.objects.exists()


def test_building_with_nothing_picked_says_why(account, items, alice):
    response = client_for(alice).post(reverse("evidence:pack_selection_build"), {}, follow=True)
    assert "Pick the replies to pack first" in response.content.decode()
    assert not Pack.objects.exists()


# --- The command ----------------------------------------------------------------------------


def test_the_command_packs_the_items_given(account, items, tmp_path):
    out = io.StringIO()
    call_command(
        "evidence_pack",
        "--item",
        str(items[2].code),
        "--item",
        str(items[0].code),
        "--output",
        str(tmp_path / "picked.zip"),
        stdout=out,
    )
    archive = zipfile.ZipFile(tmp_path / "picked.zip")
    manifest = json.loads(archive.read("manifest.json"))
    assert [entry["code"] for entry in manifest["items"]] == [str(items[0].code), str(items[2].code)]
    assert out.getvalue().split()[-1] == hashlib.sha256((tmp_path / "picked.zip").read_bytes()).hexdigest()
    verify_sums(archive, tmp_path / "unpacked")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--item", "nonsense"], "not an item code"),
        (["--item", str(uuid.UUID(int=7))], "None of the --item codes names an item"),
        (["--item", "{first}", "--author", "millbrook_mum"], "leave out --author and --since"),
        (["--item", "{first}", "--account", "CharlieForEastfield"], "not on @CharlieForEastfield"),
        (["--item", "{first}", "--item", "{other}"], "on 2 accounts"),
        ([], "Give --account"),
    ],
)
def test_command_item_errors_are_clear(account, items, second_account, tmp_path, arguments, message):
    values = {"first": str(items[0].code), "other": str(second_account.code)}
    argv = [part.format(**values) for part in arguments]
    with pytest.raises(CommandError, match=message):
        call_command("evidence_pack", *argv, "--output", str(tmp_path / "x.zip"), stdout=io.StringIO())
    assert not (tmp_path / "x.zip").exists()


# --- Large packs in the background ----------------------------------------------------------


def test_a_large_pack_is_queued_then_built_on_the_exports_queue(
    account, items, carol, monkeypatch, django_capture_on_commit_callbacks, tmp_path
):
    monkeypatch.setattr(pack, "PACK_BACKGROUND_ITEMS", 2)
    client = client_for(carol)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("evidence:pack_new"), {"account": str(account.code)}, follow=True)
    made = Pack.objects.get()
    assert made.status == "pending" and made.items == 3 and not made.file_name
    assert "being built in the background" in response.content.decode()
    assert "Waiting" in client.get(reverse("evidence:packs")).content.decode()
    assert client.get(reverse("evidence:pack_download", kwargs={"code": made.code})).status_code == 404
    assert len(callbacks) == 1 and pack_build.queue == "exports"

    callbacks[0]()  # what the broker's worker (or, without one, the commit) runs

    made.refresh_from_db()
    assert made.status == "done" and made.items == 3 and made.sha256 and made.finished_at
    download = client.get(reverse("evidence:pack_download", kwargs={"code": made.code}))
    data = b"".join(download.streaming_content)
    assert hashlib.sha256(data).hexdigest() == made.sha256
    verify_sums(zipfile.ZipFile(io.BytesIO(data)), tmp_path / "unpacked")
    assert "Ready" in client.get(reverse("evidence:packs")).content.decode()
    assert pack_run(pack_id=made.pk).sha256 == made.sha256  # a redelivered task leaves a finished pack alone


def test_a_large_pick_is_queued_with_its_selection(
    account, items, alice, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pack, "PACK_BACKGROUND_ITEMS", 1)
    with django_capture_on_commit_callbacks(execute=True):
        _build(client_for(alice), items[0], items[1], redacted="1")
    made = Pack.objects.get()
    assert made.status == "done" and made.redacted and set(made.selected_items.all()) == {items[0], items[1]}
    manifest = json.loads(zipfile.ZipFile(artefact_path(made.file_name)).read("manifest.json"))
    assert [entry["code"] for entry in manifest["items"]] == [str(items[0].code), str(items[1].code)]


def test_a_background_pack_that_fails_says_why_on_the_packs_page(
    account, items, carol, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pack, "PACK_BACKGROUND_ITEMS", 2)
    altered = items[1].artefacts.get(kind="post_png")
    path = artefact_path(altered)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b"tampered")

    with django_capture_on_commit_callbacks(execute=True):
        client_for(carol).post(reverse("evidence:pack_new"), {"account": str(account.code)})

    made = Pack.objects.get()
    assert made.status == "failed" and "Evidence file altered" in made.error and str(altered.code) in made.error
    page = client_for(carol).get(reverse("evidence:packs")).content.decode()
    assert "Failed: Evidence file altered" in page
    assert client_for(carol).get(reverse("evidence:pack_download", kwargs={"code": made.code})).status_code == 404
    assert not CustodyEvent.objects.filter(action="export").exists()
    assert not list((Path(artefact_path("packs"))).glob("*.zip"))


def test_small_packs_stay_synchronous_and_filters_still_work(account, items, alice):
    made = pack_create(
        user=alice, account=account, author_handle="millbrook_mum", since=(NOW - timedelta(days=2)).date()
    )
    assert made.status == "done" and made.items == 2 and not made.selected_items.exists()
