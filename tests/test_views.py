"""The queue, the item page, decisions from both, and the audit log, over HTTP."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moderation.models import AuditEvent, Decision, Item
from tests.factories import CIVIL, PASSWORD, RACIST, RUDE, THREAT, fetched_item

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> "quoted" & ampersand'


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def items(ingest):
    threat, racist, rude, civil = ingest(THREAT, RACIST, RUDE, CIVIL)
    return {"threat": threat, "racist": racist, "rude": rude, "civil": civil}


def item_url(item: Item, name: str = "item") -> str:
    return reverse(f"moderation:{name}", kwargs={"code": item.code})


# --- Queue -------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in():
    response = Client().get(reverse("moderation:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_queue_lists_flagged_items_most_severe_first_and_leaves_out_clear_ones(items, alice):
    response = client_for(alice).get(reverse("moderation:queue"))
    assert response.status_code == 200
    rows = [row.record for row in response.context["table"].paginated_rows]
    assert rows[0] == items["threat"]
    assert items["civil"] not in rows
    assert [r.severity for r in rows] == sorted((r.severity for r in rows), reverse=True)
    assert b"Rule 2" in response.content and b"threat" in response.content


def test_queue_shows_the_toolkit_suggestion(items, alice):
    response = client_for(alice).get(reverse("moderation:queue"))
    assert b"call 999 if anyone is in immediate danger, otherwise 101" in response.content


def test_queue_is_scoped_to_the_accounts_a_person_belongs_to(items, charlie, charlies_account, ingest):
    [own] = ingest(THREAT, target=charlies_account)
    response = client_for(charlie).get(reverse("moderation:queue"))
    rows = [row.record for row in response.context["table"].paginated_rows]
    assert rows == [own]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"rule": "3"}, {"racist"}),
        ({"severity": "4"}, {"threat"}),
        ({"status": "all"}, {"threat", "racist", "rude", "civil"}),
        ({"status": "clear"}, {"civil"}),
        ({"platform": "demo", "rule": "2"}, {"threat"}),
        ({"since": "2000-01-01", "until": "2999-01-01", "rule": "1"}, {"rude"}),
        ({"since": "2999-01-01"}, set()),
    ],
)
def test_queue_filters(items, alice, params, expected):
    response = client_for(alice).get(reverse("moderation:queue"), params)
    names = {
        name for name, item in items.items() if item in [r.record for r in response.context["table"].paginated_rows]
    }
    assert names == expected


def test_account_filter_uses_the_accounts_code(items, alice, account):
    response = client_for(alice).get(reverse("moderation:queue"), {"account": str(account.code)})
    assert len(list(response.context["table"].paginated_rows)) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"rule": "9"},
        {"rule": "x"},
        {"severity": "bad"},
        {"status": "nope"},
        {"since": "31/31/2020"},
        {"page": "-4"},
        {"page": "abc"},
        {"per_page": "1e9"},
        {"account": "not-a-uuid"},
    ],
)
def test_bad_filter_values_never_500(items, alice, params):
    response = client_for(alice).get(reverse("moderation:queue"), params)
    assert response.status_code == 200


def test_queue_never_counts_every_row(items, alice):
    with CaptureQueriesContext(connection) as queries:
        client_for(alice).get(reverse("moderation:queue"))
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def test_queue_with_htmx_returns_only_the_results_partial(items, alice):
    response = client_for(alice).get(reverse("moderation:queue"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content and b'id="queue-table"' in response.content


def test_hostile_platform_text_is_escaped_on_every_page(ingest, alice):
    hostile_author = fetched_item("unused").author.__class__(
        external_id="evil",
        handle="evil<b>",
        display_name=HOSTILE,
        bio=HOSTILE,
        profile_url="javascript:alert(1)",
    )
    [item] = ingest(fetched_item(f"{THREAT} {HOSTILE}", author=hostile_author))
    client = client_for(alice)
    for url in (reverse("moderation:queue"), item_url(item)):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body
        assert "onerror=alert" not in body.replace("onerror=alert(1)&gt;", "")
        assert "&lt;script&gt;" in body
        assert 'href="javascript:' not in body and "href='javascript:" not in body


# --- Item page ---------------------------------------------------------------------------


def test_item_page_shows_reasons_context_and_the_authors_history(ingest, alice):
    from platforms.base import FetchedPost

    earlier, item = ingest(
        fetched_item(RUDE),
        fetched_item(THREAT, in_reply_to="p1"),
        posts=[FetchedPost(external_id="p1", text="New cycle lane on Station Road opens today.")],
    )
    client = client_for(alice)
    client.post(item_url(earlier, "item_decide"), {"action": "mute"})
    body = client.get(item_url(item)).content.decode()
    assert "New cycle lane on Station Road opens today." in body
    assert "Why it was flagged" in body and "Rule 2" in body
    assert "Shut up you absolute clown" in body
    assert "Mute author by alice" in body


def test_item_page_explains_actions_the_platform_cannot_do(items, alice):
    body = client_for(alice).get(item_url(items["threat"])).content.decode()
    assert "Enterprise access" in body


def test_outsider_gets_404_for_an_item(items, charlie):
    assert client_for(charlie).get(item_url(items["threat"])).status_code == 404


def test_comms_officer_can_read_but_sees_no_decision_form(items, carol):
    response = client_for(carol).get(item_url(items["threat"]))
    assert response.status_code == 200
    assert b'name="action"' not in response.content


# --- Deciding on one item ----------------------------------------------------------------


def test_decide_records_and_redirects_back_to_the_item(items, alice):
    response = client_for(alice).post(item_url(items["threat"], "item_decide"), {"action": "hide", "note": "n"})
    assert response.status_code == 302 and response["Location"] == item_url(items["threat"])
    assert Decision.objects.get().kind == "hide"


def test_decide_with_next_returns_to_the_filtered_queue(items, alice):
    target = reverse("moderation:queue") + "?rule=2"
    response = client_for(alice).post(item_url(items["threat"], "item_decide"), {"action": "hide", "next": target})
    assert response["Location"] == target


def test_decide_ignores_an_offsite_next(items, alice):
    response = client_for(alice).post(
        item_url(items["threat"], "item_decide"), {"action": "hide", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("moderation:queue")


def test_decide_rejects_get(items, alice):
    assert client_for(alice).get(item_url(items["threat"], "item_decide")).status_code == 405


def test_decide_outsider_gets_404(items, charlie):
    response = client_for(charlie).post(item_url(items["threat"], "item_decide"), {"action": "hide"})
    assert response.status_code == 404
    assert not Decision.objects.exists()


def test_decide_comms_officer_gets_403(items, carol):
    response = client_for(carol).post(item_url(items["threat"], "item_decide"), {"action": "hide"})
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_decide_without_csrf_token_is_refused(items, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(item_url(items["threat"], "item_decide"), {"action": "hide"})
    assert response.status_code == 403
    assert not Decision.objects.exists()


@pytest.mark.parametrize("action", ["nuke", "", "HIDE"])
def test_decide_unknown_action_is_a_clear_error_not_a_500(items, alice, action):
    client = client_for(alice)
    response = client.post(item_url(items["threat"], "item_decide"), {"action": action}, follow=True)
    assert response.status_code == 200
    assert not Decision.objects.exists()
    assert (
        b"choose hide, mute, block, report, dismiss or escalate" in response.content or b"required" in response.content
    )


def test_decide_impossible_action_says_why(items, alice):
    response = client_for(alice).post(item_url(items["threat"], "item_decide"), {"action": "block"}, follow=True)
    assert b"Enterprise access" in response.content
    assert not Decision.objects.exists()


def test_decide_with_htmx_returns_the_decision_panel(items, alice):
    response = client_for(alice).post(
        item_url(items["threat"], "item_decide"), {"action": "escalate"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="decision-panel"' in body and "<html" not in body
    assert "<strong>Escalate</strong> by alice" in body


def test_decide_with_htmx_and_an_impossible_action_returns_400_with_the_reason(items, alice):
    response = client_for(alice).post(
        item_url(items["threat"], "item_decide"), {"action": "block"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and b"Enterprise access" in response.content


# --- Deciding on many --------------------------------------------------------------------


def test_bulk_decide_applies_to_every_selected_item(items, alice):
    codes = [str(items["racist"].code), str(items["rude"].code)]
    response = client_for(alice).post(reverse("moderation:queue_decide"), {"action": "hide", "items": codes})
    assert response.status_code == 302
    assert Decision.objects.filter(kind="hide").count() == 2


def test_bulk_decide_reports_items_that_cannot_be_done_and_does_the_rest(items, alice, account):
    response = client_for(alice).post(
        reverse("moderation:queue_decide"),
        {"action": "block", "items": [str(items["racist"].code)]},
        follow=True,
    )
    assert b"Enterprise access" in response.content
    assert not Decision.objects.exists()


def test_bulk_decide_skips_items_of_other_accounts_as_not_found(items, charlie, charlies_account, ingest):
    response = client_for(charlie).post(
        reverse("moderation:queue_decide"), {"action": "hide", "items": [str(items["threat"].code)]}, follow=True
    )
    assert response.status_code == 200
    assert b"could not be found" in response.content
    assert not Decision.objects.exists()


def test_bulk_decide_by_comms_officer_decides_nothing(items, carol):
    client_for(carol).post(reverse("moderation:queue_decide"), {"action": "hide", "items": [str(items["threat"].code)]})
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    "payload", [{"action": "hide"}, {"action": "hide", "items": ["nonsense"]}, {"action": "zap", "items": []}]
)
def test_bulk_decide_bad_input_is_a_message_not_a_500(items, alice, payload):
    response = client_for(alice).post(reverse("moderation:queue_decide"), payload, follow=True)
    assert response.status_code == 200
    assert not Decision.objects.exists()
    assert b'class="msg error"' in response.content


def test_bulk_decide_rejects_get(alice):
    assert client_for(alice).get(reverse("moderation:queue_decide")).status_code == 405


def test_bulk_decide_without_csrf_token_is_refused(items, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("moderation:queue_decide"), {"action": "hide", "items": [str(items["threat"].code)]})
    assert response.status_code == 403


def test_bulk_decide_with_htmx_returns_refreshed_results(items, alice):
    response = client_for(alice).post(
        reverse("moderation:queue_decide"),
        {"action": "dismiss", "items": [str(items["rude"].code)], "next": reverse("moderation:queue")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    rows = [row.record for row in response.context["table"].paginated_rows]
    assert items["rude"] not in rows and items["threat"] in rows
    assert b"recorded for 1 item" in response.content


# --- Audit log and sign-in ---------------------------------------------------------------


def test_audit_log_shows_decisions_action_outcomes_and_sign_ins(items, alice, django_capture_on_commit_callbacks):
    client = Client()
    assert client.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(item_url(items["threat"], "item_decide"), {"action": "hide"})
    body = client.get(reverse("moderation:audit")).content.decode()
    assert "alice signed in" in body
    assert "Hide reply on" in body
    assert "Hide reply done on demo" in body


def test_failed_sign_in_is_audited_and_shown_to_that_user(alice):
    Client().post(reverse("login"), {"username": "alice", "password": "wrong"})
    event = AuditEvent.objects.get(verb="login_failed")
    assert event.detail["username"] == "alice"
    assert b"Failed sign-in for" in client_for(alice).get(reverse("moderation:audit")).content


def test_audit_log_is_scoped_to_the_persons_accounts(items, alice, charlie):
    client_for(alice).post(item_url(items["threat"], "item_decide"), {"action": "hide"})
    body = client_for(charlie).get(reverse("moderation:audit")).content.decode()
    assert "Hide reply" not in body


def test_healthz_answers(client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_page_size_is_capped_and_a_page_past_the_end_falls_back_to_the_first(ingest, alice):
    ingest(*[f"{RUDE} number {n}" for n in range(110)])
    client = client_for(alice)
    big = client.get(reverse("moderation:queue"), {"per_page": "100000"})
    assert len(list(big.context["table"].paginated_rows)) == 100
    far = client.get(reverse("moderation:queue"), {"page": "999"})
    assert far.context["table"].page.number == 1
    second = client.get(reverse("moderation:queue"), {"page": "2", "per_page": "100"})
    assert len(list(second.context["table"].paginated_rows)) == 10


def test_accounts_page_lists_only_the_persons_accounts_with_what_each_allows(account, charlies_account, alice):
    body = client_for(alice).get(reverse("moderation:accounts")).content.decode()
    assert "@AliceForMillbrook" in body and "CharlieForEastfield" not in body
    assert "Enterprise access" in body and "Guided manual step" in body


def test_item_page_links_to_the_next_reply_needing_a_decision(items, alice):
    response = client_for(alice).get(item_url(items["threat"]))
    assert response.context["next_item"] == items["racist"]
    assert item_url(items["racist"]) in response.content.decode()


def test_author_join_date_is_shown_as_a_date(ingest, alice):
    [item] = ingest(THREAT)
    assert "1 Apr 2015" in client_for(alice).get(item_url(item)).content.decode()


def test_recording_a_report_reference_from_the_item_page(items, alice):
    client = client_for(alice)
    client.post(item_url(items["racist"], "item_decide"), {"action": "report"})
    action = Decision.objects.get().action
    page = client.get(item_url(items["racist"])).content.decode()
    assert "The platform&#x27;s reference number" in page or "The platform's reference number" in page
    url = reverse("moderation:action_reference", kwargs={"code": action.code})
    response = client.post(url, {"reference": "<b>X-99</b>"}, follow=True)
    assert "reference &lt;b&gt;X-99&lt;/b&gt;" in response.content.decode()


def test_undo_is_offered_only_once_there_is_something_to_undo(items, alice, django_capture_on_commit_callbacks):
    client = client_for(alice)
    assert 'value="unhide"' not in client.get(item_url(items["threat"])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(item_url(items["threat"], "item_decide"), {"action": "hide"})
    assert 'value="unhide"' in client.get(item_url(items["threat"])).content.decode()
    assert 'value="unhide"' not in client.get(reverse("moderation:queue")).content.decode()
