"""Evidence packs from the dashboard."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import Pack
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
