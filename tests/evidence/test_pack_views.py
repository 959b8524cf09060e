"""Evidence packs from the dashboard.

Alice owns the account, Bob co-moderates, Carol is her comms officer and Charlie is an outsider.
"""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
import zipfile

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from evidence.models import CustodyEvent, Pack
from evidence.pack import pack_expire
from evidence.services import evidence_verify
from moderation.models import AuditEvent
from tests.factories import CIVIL, THREAT

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def flagged(ingest, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        return ingest(THREAT, CIVIL)


def test_a_comms_officer_builds_a_pack_and_sees_its_sha256(flagged, account, carol):
    client = client_for(carol)
    response = client.post(reverse("evidence:pack_new"), {"account": str(account.code)}, follow=True)
    pack = Pack.objects.get()
    assert pack.exporter == carol and pack.items == 1
    assert f"SHA-256 {pack.sha256}" in response.content.decode()
    download = client.get(reverse("evidence:pack_download", kwargs={"code": pack.code}))
    data = b"".join(download.streaming_content)
    assert hashlib.sha256(data).hexdigest() == pack.sha256
    assert "SHA256SUMS" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert download["Content-Disposition"].startswith("attachment;")


def test_someone_elses_pack_is_404(flagged, account, carol, alice):
    client_for(carol).post(reverse("evidence:pack_new"), {"account": str(account.code)})
    pack = Pack.objects.get()
    assert client_for(alice).get(reverse("evidence:pack_download", kwargs={"code": pack.code})).status_code == 404


def test_an_account_the_person_is_not_on_is_404(flagged, account, charlie):
    response = client_for(charlie).post(reverse("evidence:pack_new"), {"account": str(account.code)})
    assert response.status_code == 404
    assert not Pack.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"account": "nonsense"}, "Choose one of your accounts."),
        ({"author": "nobody_here"}, "No author @nobody_here"),
        ({"since": "2999-01-01"}, "Nothing to pack"),
    ],
)
def test_bad_requests_say_why_and_build_nothing(flagged, account, alice, data, message):
    payload = {"account": str(account.code), **data}
    response = client_for(alice).post(reverse("evidence:pack_new"), payload, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Pack.objects.exists()


def test_unknown_pack_code_is_404(alice):
    url = reverse("evidence:pack_download", kwargs={"code": uuid.uuid4()})
    assert client_for(alice).get(url).status_code == 404


# --- Every download is logged -----------------------------------------------------------------


@pytest.fixture
def media_root(flagged, settings):
    return settings.MEDIA_ROOT


@pytest.fixture
def carols_pack(flagged, account, carol) -> Pack:
    client_for(carol).post(reverse("evidence:pack_new"), {"account": str(account.code)})
    return Pack.objects.get()


def downloads() -> tuple[list[CustodyEvent], list[AuditEvent]]:
    return (
        list(CustodyEvent.objects.filter(action=CustodyEvent.Action.DOWNLOAD)),
        list(AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT_DOWNLOAD)),
    )


def download(user, pack: Pack, **extra):
    response = client_for(user).get(reverse("evidence:pack_download", kwargs={"code": pack.code}), **extra)
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, as a browser would
    return response


def test_a_download_is_one_custody_event_and_one_audit_event(carols_pack, account, carol):
    assert download(carol, carols_pack).status_code == 200

    (custody,), (audit,) = downloads()
    assert custody.actor == carol and custody.actor_label == "carol"
    assert (custody.object_type, custody.object_code) == ("pack", str(carols_pack.code))
    assert custody.detail == {
        "pack": str(carols_pack.code),
        "file": f"{carols_pack.code}.zip",
        "sha256": carols_pack.sha256,
        "bytes": carols_pack.bytes,
        "items": carols_pack.items,
        "ip_address": "127.0.0.1",
    }
    assert audit.actor == carol and audit.account == account
    assert (audit.object_type, audit.object_code) == ("pack", str(carols_pack.code))
    assert audit.ip_address == "127.0.0.1" and audit.detail["sha256"] == carols_pack.sha256
    assert audit.detail["format"] == "evidence_pack"


def test_each_download_is_logged_again(carols_pack, carol):
    download(carol, carols_pack)
    download(carol, carols_pack)
    custody, audit = downloads()
    assert len(custody) == len(audit) == 2


def test_the_custody_chain_still_verifies_after_downloads(carols_pack, carol, capsys):
    download(carol, carols_pack)
    download(carol, carols_pack)
    assert evidence_verify() == []
    call_command("verify_evidence")  # raises CommandError on any problem
    assert "custody events verified" in capsys.readouterr().out


def test_the_address_recorded_is_the_one_the_trusted_proxy_vouches_for(carols_pack, carol, settings):
    settings.SAFERPOL_TRUSTED_PROXIES = 1
    download(carol, carols_pack, headers={"X-Forwarded-For": "203.0.113.7"})
    (custody,), (audit,) = downloads()
    assert custody.detail["ip_address"] == audit.ip_address == "203.0.113.7"


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie"])
def test_anyone_but_the_exporter_gets_404_and_nothing_is_logged(carols_pack, persona, request):
    assert download(request.getfixturevalue(persona), carols_pack).status_code == 404
    assert downloads() == ([], [])


def test_an_expired_pack_answers_410_and_nothing_is_logged(carols_pack, carol):
    pack_expire(pack=carols_pack, days=30, by="the daily clean-up")
    assert download(carol, carols_pack).status_code == 410
    assert downloads() == ([], [])


def test_downloads_show_in_the_accounts_custody_log_to_every_member(carols_pack, account, carol, alice, charlie):
    download(carol, carols_pack)
    response = client_for(alice).get(reverse("evidence:custody"), {"account": str(account.code)})
    latest = response.context["table"].page.object_list[0].record
    assert latest.action == "download" and latest.object_code == str(carols_pack.code)
    assert "Downloaded" in response.content.decode()
    outsider = client_for(charlie).get(reverse("evidence:custody"))
    assert str(carols_pack.code) not in {row.record.object_code for row in outsider.context["table"].page.object_list}


# --- A ready pack whose file has gone -----------------------------------------------------------


def test_a_pack_whose_file_is_missing_answers_410_saying_what_it_was_and_to_build_it_again(
    carols_pack, media_root, carol, caplog
):
    (media_root / carols_pack.file_name).unlink()
    with caplog.at_level(logging.WARNING, logger="evidence.views"):
        response = download(carol, carols_pack)
    assert response.status_code == 410
    body = response.content.decode()
    assert "This evidence pack's file is missing" in body and "no longer on the server" in body
    assert "An evidence pack of 1 item from @AliceForMillbrook, made" in body
    assert carols_pack.sha256 in body
    assert "Build a new pack" in body and reverse("evidence:packs") in body
    assert "has expired" not in body
    # The operators are told: nothing but retention should ever delete a ready pack's ZIP.
    (record,) = [r for r in caplog.records if r.name == "evidence.views"]
    assert record.levelno == logging.WARNING and str(carols_pack.code) in record.getMessage()
    assert downloads() == ([], [])


def test_someone_elses_pack_with_a_missing_file_is_still_404(carols_pack, media_root, alice):
    (media_root / carols_pack.file_name).unlink()
    assert download(alice, carols_pack).status_code == 404


@pytest.mark.parametrize("file_name", ["../evidence/secret.png", "exports/other.csv", "packs/../../settings.py"])
def test_a_pack_row_naming_a_file_outside_packs_is_refused_and_nothing_is_served(
    carols_pack, media_root, carol, file_name
):
    # Only the pack builder's own ZIPs are ever served, whatever an edited row says.
    target = media_root / file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"not a pack")
    Pack.objects.filter(pk=carols_pack.pk).update(file_name=file_name)
    response = download(carol, carols_pack)
    assert response.status_code == 404
    assert b"not a pack" not in b"".join(getattr(response, "streaming_content", [response.content]))
    assert downloads() == ([], [])
