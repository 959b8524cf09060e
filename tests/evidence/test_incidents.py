"""The incident log: who may read and write it, the audit and custody trail of every change, escaping,
and incidents carried into the evidence pack. Alice owns the account, Bob co-moderates, Carol is
comms, Charlie is an outsider with an account of his own."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from evidence import pack
from evidence.incidents import incident_create, incident_record
from evidence.models import CustodyEvent, Incident
from evidence.pack import evidence_pack_build
from moderation.models import AuditEvent
from tests.evidence.test_pack import _pdf_text
from tests.factories import RACIST, THREAT, fetched_author, fetched_item

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)> "quoted" & =HYPERLINK("x")'
NOW = datetime.now(UTC).replace(microsecond=0)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def items(ingest, media, django_capture_on_commit_callbacks):
    """Two flagged replies by @millbrook_mum and one by @other_guy, oldest first, with their captures."""
    with django_capture_on_commit_callbacks(execute=True):
        return ingest(
            fetched_item(THREAT, posted_at=NOW - timedelta(days=3)),
            fetched_item(f"{THREAT} again", posted_at=NOW - timedelta(days=2)),
            fetched_item(
                RACIST,
                author=fetched_author(external_id="author-2", handle="other_guy"),
                posted_at=NOW - timedelta(hours=1),
            ),
        )


def _form(**overrides) -> dict:
    values = {
        "title": "",
        "author": "millbrook_mum",
        "occurred_at": "2026-03-01T21:15",
        "what_happened": "Two replies threatening to kill me after the budget debate.",
        "evidence_held": "Screenshots in SaferPol.",
        "suspect": "@millbrook_mum: same wording as her earlier posts.",
        "evidence_needed": "Whether she has posted elsewhere.",
        "impact": "I stopped canvassing alone.",
        "platform_references": "X report 1234",
        "police_references": "CAD 5678/01MAR26",
        "status": "open",
        "reason": "",
    }
    values.update(overrides)
    return values


def _open(user, account, **fields) -> Incident:
    data = {"what_happened": "Threats after the debate", **fields}
    return incident_create(account=account, user=user, data=data)


# --- Opening and changing incidents ---------------------------------------------------------


def test_the_form_is_prefilled_from_a_reply(items, alice):
    response = client_for(alice).get(reverse("evidence:incident_new"), {"item": str(items[0].code)})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="millbrook_mum"' in page
    assert f'value="{items[0].code}" checked' in page
    assert f'value="{items[1].code}"' in page  # the author's other flagged reply is offered, not ticked
    assert f'value="{items[1].code}" checked' not in page
    assert str(items[2].code) not in page  # another author's reply is not offered


def test_the_owner_opens_an_incident_and_it_is_audited_and_in_the_custody_log(items, account, alice):
    data = _form(items=[str(items[0].code), str(items[1].code)], reason="reported to 101 tonight")

    response = client_for(alice).post(reverse("evidence:incident_new"), {"account": str(account.code), **data})

    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("evidence:incident", args=[incident.code])
    assert incident.account == account and incident.author.handle == "millbrook_mum"
    assert set(incident.items.all()) == {items[0], items[1]}
    assert incident.police_references == "CAD 5678/01MAR26" and incident.impact == "I stopped canvassing alone."
    assert incident.occurred_at == datetime(2026, 3, 1, 21, 15, tzinfo=UTC)  # UK time, GMT in March
    assert incident.created_by == alice and incident.updated_by == alice and incident.status == "open"

    event = CustodyEvent.objects.order_by("id").last()
    assert (event.action, event.object_type, event.object_code) == ("incident_open", "incident", str(incident.code))
    assert event.actor == alice and event.reason == "reported to 101 tonight"
    assert event.detail["changes"]["what_happened"] == data["what_happened"]
    assert event.detail["changes"]["items"] == sorted([str(items[0].code), str(items[1].code)])
    record = json.dumps(incident_record(incident), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert event.detail["record_sha256"] == hashlib.sha256(record.encode("utf-8")).hexdigest()

    audit = AuditEvent.objects.get(verb="incident")
    assert audit.actor == alice and audit.account == account and audit.object_code == str(incident.code)
    assert "Incident opened" in audit.summary and "reported to 101 tonight" in audit.summary


def test_a_case_needs_no_author_but_a_title(items, account, bob):
    data = _form(author="", title="Pile-on after the budget debate", items=[str(items[2].code)])
    response = client_for(bob).post(reverse("evidence:incident_new"), {"account": str(account.code), **data})
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.author is None and incident.label == "Pile-on after the budget debate"
    assert CustodyEvent.objects.get(action="incident_open").reason == "incident opened from the dashboard"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"author": "", "title": ""}, "Give the incident a title, or name the author it is about."),
        ({"author": "@ghost"}, "No author @ghost has replies on @AliceForMillbrook"),
        ({"what_happened": "  "}, "This field is required."),
        ({"status": "lost"}, "Select a valid choice."),
        ({"occurred_at": "yesterday"}, "Enter a valid date/time."),
        ({"items": ["not-a-code"]}, "Select a valid choice."),
    ],
)
def test_bad_input_is_a_clear_error_and_saves_nothing(items, account, alice, overrides, message):
    payload = {"account": str(account.code), **_form(**overrides)}
    response = client_for(alice).post(reverse("evidence:incident_new"), payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (
        "Two replies threatening" in response.content.decode() or "what_happened" in overrides
    )  # nothing typed is lost
    assert not Incident.objects.exists()
    assert not CustodyEvent.objects.filter(object_type="incident").exists()


def test_a_reply_of_another_account_cannot_be_added(items, account, alice, charlie, charlies_account, ingest):
    (theirs,) = ingest(THREAT, target=charlies_account)
    payload = {"account": str(account.code), **_form(items=[str(theirs.code)])}
    response = client_for(alice).post(reverse("evidence:incident_new"), payload)
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Incident.objects.exists()


def test_a_co_moderator_changes_an_incident_with_a_reason_and_only_the_change_is_recorded(items, account, alice, bob):
    incident = _open(alice, account, author=items[0].author)
    data = _form(
        what_happened="Threats after the debate",
        author="millbrook_mum",
        police_references="CAD 5678/01MAR26, crime 42/1234/26",
        status="closed",
        reason="police gave a crime number",
        occurred_at="",
        evidence_held="",
        suspect="",
        evidence_needed="",
        impact="",
        platform_references="",
    )

    response = client_for(bob).post(reverse("evidence:incident_edit", args=[incident.code]), data)

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.updated_by == bob and incident.created_by == alice
    event = CustodyEvent.objects.order_by("id").last()
    assert (event.action, event.actor, event.reason) == ("incident_update", bob, "police gave a crime number")
    assert event.detail["changes"] == {"police_references": "CAD 5678/01MAR26, crime 42/1234/26", "status": "closed"}
    audit = AuditEvent.objects.filter(verb="incident").order_by("-id").first()
    assert audit.actor == bob and audit.summary.startswith("Incident closed")


def test_a_change_needs_a_reason(items, account, alice):
    incident = _open(alice, account, title="Case")
    events = CustodyEvent.objects.count()
    data = _form(author="", title="Case", what_happened="Changed text", reason="")

    response = client_for(alice).post(reverse("evidence:incident_edit", args=[incident.code]), data)

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert "Changed text" in response.content.decode()  # the typed text is kept on the page
    incident.refresh_from_db()
    assert incident.what_happened == "Threats after the debate"
    assert CustodyEvent.objects.count() == events


def test_saving_without_a_change_records_nothing(items, account, alice):
    incident = _open(alice, account, title="Case")
    client = client_for(alice)  # signing in is audited too
    events, audits = CustodyEvent.objects.count(), AuditEvent.objects.count()
    data = {"title": "Case", "what_happened": "Threats after the debate", "status": "open", "reason": "checking"}

    response = client.post(reverse("evidence:incident_edit", args=[incident.code]), data, follow=True)

    assert "Nothing changed" in response.content.decode()
    assert (CustodyEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)


# --- Who may see what -----------------------------------------------------------------------


def test_the_comms_officer_reads_but_cannot_write(items, account, alice, carol):
    incident = _open(alice, account, title="Case")
    client = client_for(carol)

    detail = client.get(reverse("evidence:incident", args=[incident.code]))
    assert detail.status_code == 200 and "Change it" not in detail.content.decode()
    assert "Case" in client.get(reverse("evidence:incidents")).content.decode()
    assert client.get(reverse("evidence:incident_edit", args=[incident.code])).status_code == 403
    assert client.post(reverse("evidence:incident_edit", args=[incident.code]), _form(reason="x")).status_code == 403
    assert client.get(reverse("evidence:incident_new")).status_code == 403
    assert client.get(reverse("evidence:incident_new"), {"account": str(account.code)}).status_code == 403
    assert client.post(reverse("evidence:incident_new"), {"account": str(account.code), **_form()}).status_code == 403
    assert Incident.objects.count() == 1


def test_an_outsider_gets_404_everywhere_and_sees_none_in_the_list(items, account, alice, charlie, charlies_account):
    incident = _open(alice, account, title="Alice's case")
    client = client_for(charlie)

    assert client.get(reverse("evidence:incident", args=[incident.code])).status_code == 404
    assert client.get(reverse("evidence:incident_edit", args=[incident.code])).status_code == 404
    assert client.get(reverse("evidence:incident_new"), {"item": str(items[0].code)}).status_code == 404
    assert client.get(reverse("evidence:incident_new"), {"account": str(account.code)}).status_code == 404
    assert client.get(reverse("evidence:incident_new"), {"account": "nonsense"}).status_code == 404
    assert client.post(reverse("evidence:incident_new"), {"account": str(account.code), **_form()}).status_code == 404
    assert "Alice&#x27;s case" not in client.get(reverse("evidence:incidents")).content.decode()
    # His own account is the only one offered, so he goes straight to its form.
    own = client.get(reverse("evidence:incident_new"))
    assert own.status_code == 200 and str(charlies_account.code) in own.content.decode()


def test_someone_with_several_accounts_chooses_one_first(items, account, alice, charlies_account):
    from moderation.models import Membership

    Membership.objects.create(account=charlies_account, user=alice, role="moderator")
    page = client_for(alice).get(reverse("evidence:incident_new")).content.decode()
    assert "Which account is it about?" in page
    assert str(account.code) in page and str(charlies_account.code) in page


def test_the_list_filters_by_status_and_account(items, account, alice):
    _open(alice, account, title="Still open")
    _open(alice, account, title="Done with", status="closed")
    client = client_for(alice)

    closed = client.get(reverse("evidence:incidents"), {"status": "closed"}).content.decode()
    assert "Done with" in closed and "Still open" not in closed
    both = client.get(reverse("evidence:incidents"), {"account": str(account.code)}).content.decode()
    assert "Done with" in both and "Still open" in both
    assert "Still open" not in client.get(reverse("evidence:incidents"), {"account": "nonsense"}).content.decode()


# --- Hostile text ---------------------------------------------------------------------------


def test_hostile_incident_text_is_escaped_everywhere(items, account, alice):
    data = _form(
        title=HOSTILE,
        what_happened=HOSTILE,
        police_references=HOSTILE,
        items=[str(items[0].code)],
        reason=HOSTILE,
    )
    client = client_for(alice)
    client.post(reverse("evidence:incident_new"), {"account": str(account.code), **data})
    incident = Incident.objects.get()
    assert incident.title == HOSTILE and incident.what_happened == HOSTILE  # stored exactly as typed

    pages = {
        "detail": reverse("evidence:incident", args=[incident.code]),
        "edit": reverse("evidence:incident_edit", args=[incident.code]),
        "list": reverse("evidence:incidents"),
        "item": reverse("moderation:item", args=[items[0].code]),
        "custody": reverse("evidence:custody") + f"?item={items[0].code}",
        "audit": reverse("moderation:audit"),
    }
    for name, url in pages.items():
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page, name
        assert "<img src=x" not in page, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, name


# --- The evidence pack ----------------------------------------------------------------------


def _build(account, tmp_path, name="pack.zip", **kwargs):
    return evidence_pack_build(account=account, out_path=tmp_path / name, **kwargs)


def test_the_pack_carries_the_incidents_in_json_pdf_readme_manifest_and_custody_log(
    items, account, alice, tmp_path, monkeypatch
):
    incident = _open(
        alice,
        account,
        author=items[0].author,
        what_happened=HOSTILE,
        police_references="crime 42/1234/26",
        impact="I stopped canvassing alone.",
        items=[items[1]],
    )
    monkeypatch.setattr(pack, "PDF_PAGE_COMPRESSION", 0)

    result = _build(account, tmp_path)
    archive = zipfile.ZipFile(result.path)

    content = archive.read("incidents.json")
    (entry,) = json.loads(content)["incidents"]
    assert entry["code"] == str(incident.code)
    assert entry["what_happened"] == HOSTILE and entry["police_references"] == "crime 42/1234/26"
    assert entry["author"] == {"handle": "millbrook_mum", "external_id": "author-1"}
    assert entry["items"][0]["code"] == str(items[1].code)
    assert entry["items"][0]["folder"] == pack.folder_name(2, items[1])
    assert entry["created_by"] == "alice" and entry["status"] == "open"

    sums = dict(reversed(line.split("  ", 1)) for line in archive.read("SHA256SUMS").decode().splitlines())
    assert sums["incidents.json"] == hashlib.sha256(content).hexdigest()
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["incidents"]["file"] == "incidents.json"
    assert manifest["incidents"]["sha256"] == sums["incidents.json"]
    assert manifest["incidents"]["entries"] == [{"code": str(incident.code), "title": "", "status": "open"}]

    custody = [json.loads(line) for line in archive.read("custody_log.jsonl").decode().splitlines()]
    assert [line["action"] for line in custody if line["object_code"] == str(incident.code)] == ["incident_open"]

    readme = archive.read("README.txt").decode()
    assert "incidents.json" in readme and "Incidents:           1 incident log entry" in readme

    text = _pdf_text(archive.read("report.pdf"))
    assert "Incident log" in text and "Incident: @millbrook_mum" in text
    assert '<script>alert(1)</script><img src=x onerror=alert(2)> "quoted" &' in text  # printed as text
    assert "crime 42/1234/26" in text and "I stopped canvassing alone." in text
    assert "Items in this pack: 0002" in text


def test_sha256sum_accepts_a_pack_with_incidents(items, account, alice, tmp_path):
    if shutil.which("sha256sum") is None:
        pytest.skip("coreutils sha256sum not installed")
    _open(alice, account, title=HOSTILE, items=[items[0]])
    result = _build(account, tmp_path)
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(result.path).extractall(unpacked)

    checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=unpacked, capture_output=True, text=True)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "incidents.json: OK" in checked.stdout


def test_an_authors_pack_carries_only_the_incidents_about_them(items, account, alice, tmp_path):
    about_her = _open(alice, account, author=items[0].author)
    about_him = _open(alice, account, author=items[2].author)
    case_with_his_reply = _open(alice, account, title="Pile-on", items=[items[2]])
    _open(alice, account, title="Unrelated case")

    archive = zipfile.ZipFile(_build(account, tmp_path, author_handle="other_guy").path)

    codes = {entry["code"] for entry in json.loads(archive.read("incidents.json"))["incidents"]}
    assert codes == {str(about_him.code), str(case_with_his_reply.code)}
    assert str(about_her.code) not in archive.read("custody_log.jsonl").decode()


def test_a_pack_from_a_date_carries_incidents_with_its_items_or_from_that_date(items, account, alice, tmp_path):
    since = (NOW - timedelta(days=1)).date()
    with_recent_item = _open(alice, account, title="Recent", items=[items[2]])
    old = _open(alice, account, title="Old", items=[items[0]], occurred_at=NOW - timedelta(days=5))
    recent_no_items = _open(alice, account, title="Recent, no replies", occurred_at=NOW)

    archive = zipfile.ZipFile(_build(account, tmp_path, since=since).path)

    codes = {entry["code"] for entry in json.loads(archive.read("incidents.json"))["incidents"]}
    assert codes == {str(with_recent_item.code), str(recent_no_items.code)}
    assert str(old.code) not in codes


def test_a_pack_without_incidents_says_so(items, account, tmp_path, monkeypatch):
    monkeypatch.setattr(pack, "PDF_PAGE_COMPRESSION", 0)
    archive = zipfile.ZipFile(_build(account, tmp_path).path)
    assert json.loads(archive.read("incidents.json")) == {"account": account.handle, "incidents": []}
    assert "No incidents were recorded for this selection." in _pdf_text(archive.read("report.pdf"))
