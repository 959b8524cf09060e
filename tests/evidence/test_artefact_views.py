"""An item's stored files from the dashboard: the Evidence panel, viewing a file, revealing a picture,
and the custody log page. Alice owns the account, Bob co-moderates, Carol is comms, Charlie is outside."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import Artefact, CustodyEvent
from evidence.services import artefact_path, artefact_record_failure, custody_append
from tests.factories import RACIST, THREAT

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def captured(ingest, media, django_capture_on_commit_callbacks):
    """Two flagged replies on Alice's account, each with its payloads and pictures captured."""
    with django_capture_on_commit_callbacks(execute=True):
        items = ingest(THREAT, RACIST)
    assert Artefact.objects.filter(item=items[0], status="captured").count() == 4
    return items


def _artefact(item, kind: str) -> Artefact:
    return item.artefacts.get(kind=kind, derived_from__isnull=True)


def _url(artefact: Artefact) -> str:
    return reverse("evidence:artefact", kwargs={"code": artefact.code})


def _reveal_url(artefact: Artefact) -> str:
    return reverse("evidence:artefact_reveal", kwargs={"code": artefact.code})


def _item_url(item) -> str:
    return reverse("moderation:item", kwargs={"code": item.code})


# --- Viewing a stored file ------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "carol"])
def test_every_member_sees_a_picture_inline_and_the_view_is_in_the_custody_log(captured, persona, request):
    user = request.getfixturevalue(persona)
    picture = _artefact(captured[0], "post_png")

    response = client_for(user).get(_url(picture))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == artefact_path(picture).read_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert "post.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    event = CustodyEvent.objects.order_by("id").last()
    assert (event.action, event.object_type, event.object_code) == ("view", "artefact", str(picture.code))
    assert event.actor == user and event.actor_label == persona
    assert event.reason == "viewed from the dashboard"
    assert event.detail["item"] == str(captured[0].code) and event.detail["sha256"] == picture.sha256


def test_every_view_is_logged_again(captured, alice):
    picture = _artefact(captured[0], "profile_png")
    client = client_for(alice)
    client.get(_url(picture))
    client.get(_url(picture))
    assert CustodyEvent.objects.filter(action="view", object_code=str(picture.code)).count() == 2


def test_a_json_payload_is_a_plain_text_download(captured, carol):
    payload = _artefact(captured[0], "post_json")

    response = client_for(carol).get(_url(payload))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "post.json" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == artefact_path(payload).read_bytes()
    assert CustodyEvent.objects.filter(action="view", object_code=str(payload.code)).exists()


def test_an_outsider_gets_404_and_nothing_is_logged(captured, charlie):
    picture = _artefact(captured[0], "post_png")
    events = CustodyEvent.objects.count()

    assert client_for(charlie).get(_url(picture)).status_code == 404
    assert client_for(charlie).post(_reveal_url(picture)).status_code == 404
    assert CustodyEvent.objects.count() == events


def test_anonymous_is_sent_to_sign_in(captured):
    response = Client().get(_url(_artefact(captured[0], "post_png")))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_failed_capture_has_no_file_to_view(captured, alice):
    failed = artefact_record_failure(item=captured[0], kind="post_screenshot", tool="test", error="Timeout: page")
    assert client_for(alice).get(_url(failed)).status_code == 404


def test_an_altered_file_is_not_served_and_says_why(captured, alice):
    picture = _artefact(captured[0], "post_png")
    path = artefact_path(picture)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b"tampered")
    events = CustodyEvent.objects.count()

    response = client_for(alice).get(_url(picture))

    assert response.status_code == 409
    assert "no longer matches the SHA-256" in response.content.decode()
    assert CustodyEvent.objects.count() == events


def test_a_missing_file_is_404(captured, alice):
    picture = _artefact(captured[0], "post_png")
    path = artefact_path(picture)
    path.chmod(0o644)
    path.unlink()
    assert client_for(alice).get(_url(picture)).status_code == 404


# --- The Evidence panel and revealing a picture ---------------------------------------------


def test_the_item_page_lists_every_file_with_its_hash_and_keeps_pictures_hidden(captured, alice):
    item = captured[0]
    failed = artefact_record_failure(item=item, kind="post_screenshot", tool="test", error="Timeout <b>x</b>")

    page = client_for(alice).get(_item_url(item)).content.decode()

    assert 'id="evidence"' in page
    for artefact in item.artefacts.filter(status="captured"):
        assert artefact.sha256 in page
        assert _url(artefact) in page  # the link to open it
        assert artefact.get_kind_display() in page
    assert " UTC" in page
    assert "Failed after 1 attempt: Timeout &lt;b&gt;x&lt;/b&gt;" in page
    assert _url(failed) not in page
    # Hidden by default: no picture is loaded until someone presses Show.
    assert "<img" not in page
    assert page.count("Hidden: this picture may show abuse.") == 2
    assert page.count(f'action="{_reveal_url(_artefact(item, "post_png"))}"') == 1
    assert CustodyEvent.objects.filter(action__in=["view", "reveal"]).count() == 0


def test_show_is_a_reveal_in_the_custody_log_then_the_picture_appears_until_hidden(captured, bob):
    item = captured[0]
    picture = _artefact(item, "post_png")
    client = client_for(bob)

    response = client.post(_reveal_url(picture))

    assert response.status_code == 302 and response["Location"] == _item_url(item) + "#evidence"
    event = CustodyEvent.objects.order_by("id").last()
    assert (event.action, event.object_code, event.actor) == ("reveal", str(picture.code), bob)
    assert event.reason == "revealed on the item page"
    page = client.get(_item_url(item)).content.decode()
    assert f'<img class="evidence-picture" src="{_url(picture)}"' in page
    assert page.count("Hidden: this picture may show abuse.") == 1  # the profile picture stays hidden

    events = CustodyEvent.objects.count()
    client.post(_reveal_url(picture), {"hide": "1"})
    assert "<img" not in client.get(_item_url(item)).content.decode()
    assert CustodyEvent.objects.count() == events  # hiding again is not access


def test_a_reveal_is_only_for_the_person_who_asked(captured, alice, bob):
    picture = _artefact(captured[0], "post_png")
    client_for(alice).post(_reveal_url(picture))
    assert "<img" not in client_for(bob).get(_item_url(captured[0])).content.decode()


def test_a_payload_cannot_be_revealed_on_the_page(captured, alice):
    payload = _artefact(captured[0], "post_json")
    response = client_for(alice).post(_reveal_url(payload), follow=True)
    assert "Only a captured picture can be shown" in response.content.decode()
    assert not CustodyEvent.objects.filter(action="reveal").exists()


def test_reveal_needs_post(captured, alice):
    assert client_for(alice).get(_reveal_url(_artefact(captured[0], "post_png"))).status_code == 405


def test_comms_officer_can_reveal_but_is_not_offered_an_incident(captured, carol):
    item = captured[0]
    page = client_for(carol).get(_item_url(item)).content.decode()
    assert "Open an incident" not in page
    assert client_for(carol).post(_reveal_url(_artefact(item, "post_png"))).status_code == 302
    assert CustodyEvent.objects.filter(action="reveal", actor=carol).count() == 1


def test_owner_is_offered_an_incident_prefilled_from_the_item(captured, alice):
    page = client_for(alice).get(_item_url(captured[0])).content.decode()
    assert f'href="{reverse("evidence:incident_new")}?item={captured[0].code}">Open an incident' in page


# --- The custody log page -------------------------------------------------------------------


def test_custody_log_for_an_item_shows_only_its_events_newest_first(captured, carol, alice):
    first, second = captured
    picture = _artefact(first, "post_png")
    client_for(alice).get(_url(picture))

    response = client_for(carol).get(reverse("evidence:custody"), {"item": str(first.code)})

    assert response.status_code == 200
    rows = response.context["table"].paginated_rows
    shown = [row.record for row in rows]
    assert shown[0].action == "view" and shown[0].object_code == str(picture.code)
    assert [event.id for event in shown] == sorted((event.id for event in shown), reverse=True)
    first_codes = {str(code) for code in first.artefacts.values_list("code", flat=True)}
    assert {event.object_code for event in shown} == first_codes
    assert not {str(code) for code in second.artefacts.values_list("code", flat=True)} & {e.object_code for e in shown}


def test_custody_log_for_all_accounts_is_scoped_to_the_persons_accounts(
    captured, alice, charlie, charlies_account, ingest
):
    (theirs,) = ingest(THREAT, target=charlies_account)
    custody_append(action="annotate", obj=theirs, actor=charlie, reason="charlie's own note")

    mine = {
        row.record.object_code
        for row in client_for(alice).get(reverse("evidence:custody")).context["table"].page.object_list
    }
    assert {str(code) for code in Artefact.objects.filter(item__in=captured).values_list("code", flat=True)} <= mine
    assert str(theirs.code) not in mine

    response = client_for(charlie).get(reverse("evidence:custody"))
    shown = {row.record.object_code for row in response.context["table"].page.object_list}
    assert shown == {str(theirs.code)}


def test_custody_log_of_someone_elses_item_or_account_is_404(captured, account, charlie):
    client = client_for(charlie)
    assert client.get(reverse("evidence:custody"), {"item": str(captured[0].code)}).status_code == 404
    assert client.get(reverse("evidence:custody"), {"account": str(account.code)}).status_code == 404
    assert client.get(reverse("evidence:custody"), {"item": "not-a-code"}).status_code == 404


def test_custody_log_for_an_account_includes_its_exports(captured, account, carol):
    from evidence.pack import pack_create

    pack_create(user=carol, account=account)
    response = client_for(carol).get(reverse("evidence:custody"), {"account": str(account.code)})
    events = [row.record for row in response.context["table"].page.object_list]
    assert events[0].action == "export" and events[0].object_code == str(account.code)
    assert "Exported" in response.content.decode()


def test_custody_log_is_paged(captured, alice):
    picture = _artefact(captured[0], "post_png")
    for _ in range(55):
        custody_append(action="view", obj=picture, actor=alice, reason="viewed from the dashboard")
    client = client_for(alice)

    first = client.get(reverse("evidence:custody"))
    second = client.get(reverse("evidence:custody"), {"page": "2"})

    assert len(first.context["table"].page.object_list) == 50
    assert first.context["table"].page.has_next()
    assert len(second.context["table"].page.object_list) == 55 + 8 - 50  # 8 captures of the two items
    assert client.get(reverse("evidence:custody"), {"page": "nonsense"}).status_code == 200
