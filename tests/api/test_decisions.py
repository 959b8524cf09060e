"""POST /api/items/<code>/decisions/: who may decide, what it answers, and bad input."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from api.tokens import api_token_revoke
from moderation.models import Action, AuditEvent, Decision, Item
from moderation.services import POLICE_GUIDANCE
from tests.factories import RACIST, RUDE, THREAT, make_account

pytestmark = pytest.mark.django_db
DECISION_FIELDS = {"code", "action", "by", "at", "note", "outcome"}


def decisions_url(item: Item) -> str:
    return f"/api/items/{item.code}/decisions/"


@pytest.fixture
def threat(ingest):
    return ingest(THREAT)[0]


# --- Outcomes: the action has run by the time the answer is written (no request transaction) ---


@pytest.mark.django_db(transaction=True)
def test_owner_hides_and_gets_the_decision_with_its_done_outcome(api_as, alice, threat):
    response = api_as(alice).post(decisions_url(threat), {"action": "hide", "note": "threatening"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"decision", "item"}
    decision = body["decision"]
    assert set(decision) == DECISION_FIELDS
    stored = Decision.objects.get()
    assert decision["code"] == str(stored.code)
    assert decision["action"] == "hide" and decision["by"] == "alice" and decision["note"] == "threatening"
    assert decision["outcome"] == {"status": "done", "error": None, "guidance": None}
    assert body["item"]["code"] == str(threat.code)
    assert body["item"]["status"] == "actioned"
    assert body["item"]["decisions"] == [{k: v for k, v in decision.items() if k != "code"}]
    assert Action.objects.get().status == Action.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_platform_failure_is_reported_as_a_failed_outcome_with_the_error(api_as, bob, threat):
    threat.account.settings["fail_actions"] = "account suspended"
    threat.account.save()
    response = api_as(bob).post(decisions_url(threat), {"action": "mute"})
    assert response.status_code == 201
    outcome = response.json()["decision"]["outcome"]
    assert outcome["status"] == "failed"
    assert outcome["error"] == "The platform refused to mute: account suspended"


def test_action_still_queued_shows_as_pending(api_as, alice, threat, django_capture_on_commit_callbacks):
    # Inside the test's transaction the action waits for commit, as it would for a busy worker.
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(alice).post(decisions_url(threat), {"action": "hide"})
    assert response.status_code == 201
    assert response.json()["decision"]["outcome"]["status"] == "pending"
    assert Action.objects.get().status == Action.Status.DONE  # and it ran once committed


def test_report_is_a_manual_step_with_guidance(api_as, alice, ingest):
    [racist] = ingest(RACIST)
    response = api_as(alice).post(decisions_url(racist), {"action": "report"})
    assert response.status_code == 201
    outcome = response.json()["decision"]["outcome"]
    assert outcome["status"] == "manual"
    assert "https://help.twitter.com/" in outcome["guidance"]
    assert outcome["error"] is None


def test_escalate_gives_police_guidance(api_as, alice, threat):
    response = api_as(alice).post(decisions_url(threat), {"action": "escalate"})
    assert response.status_code == 201
    body = response.json()
    assert body["decision"]["outcome"] == {"status": "manual", "error": None, "guidance": POLICE_GUIDANCE}
    assert body["item"]["status"] == "escalated"


def test_dismiss_causes_no_action(api_as, alice, ingest):
    [rude] = ingest(RUDE)
    response = api_as(alice).post(decisions_url(rude), {"action": "dismiss", "note": "fair criticism"})
    assert response.status_code == 201
    body = response.json()
    assert body["decision"]["outcome"] is None
    assert body["item"]["status"] == "dismissed"
    assert not Action.objects.exists()


def test_note_may_be_left_out_or_null(api_as, alice, ingest):
    first, second = ingest(RUDE, RUDE)
    api = api_as(alice)
    assert api.post(decisions_url(first), {"action": "dismiss"}).json()["decision"]["note"] == ""
    assert api.post(decisions_url(second), {"action": "dismiss", "note": None}).json()["decision"]["note"] == ""


def test_decision_is_audited_with_the_callers_address(api_as, alice, threat):
    api_as(alice).post(decisions_url(threat), {"action": "escalate", "note": "call 101"})
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DECISION)
    assert event.actor == alice
    assert event.ip_address == "127.0.0.1"
    assert event.detail["note"] == "call 101"


def test_bearer_token_needs_no_csrf_token(alice, token_for, threat):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        decisions_url(threat),
        {"action": "escalate"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(alice)}"},
    )
    assert response.status_code == 201


def test_a_signed_in_session_cannot_decide_through_the_api(alice, threat):
    # No cookie-based auth on the API at all, so a cross-site form post can never act as anyone.
    client = Client()
    client.force_login(alice)
    response = client.post(decisions_url(threat), {"action": "dismiss"}, content_type="application/json")
    assert response.status_code == 401
    assert not Decision.objects.exists()


# --- Refusals ------------------------------------------------------------------------------


def test_block_without_enterprise_access_is_refused_with_the_reason(api_as, alice, threat):
    response = api_as(alice).post(decisions_url(threat), {"action": "block"})
    assert response.status_code == 422
    assert "Enterprise access" in response.json()["detail"]
    assert not Decision.objects.exists()
    threat.refresh_from_db()
    assert threat.status == Item.Status.OPEN


def test_delete_is_accepted_where_the_platform_allows_it(api_as, alice, ingest):
    page = make_account(alice, handle="AlicePage", profile="page")
    [comment] = ingest(THREAT, target=page)
    response = api_as(alice).post(decisions_url(comment), {"action": "delete"})
    assert response.status_code == 201
    assert response.json()["decision"]["action"] == "delete"


def test_delete_is_refused_where_the_platform_does_not_allow_it(api_as, alice, threat):
    response = api_as(alice).post(decisions_url(threat), {"action": "delete"})
    assert response.status_code == 422
    assert "hide it instead" in response.json()["detail"]


def test_unknown_action_is_refused_with_a_readable_reason(api_as, alice, threat):
    response = api_as(alice).post(decisions_url(threat), {"action": "nuke"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("action: ")
    assert "'hide'" in detail and "'escalate'" in detail


def test_comms_officer_gets_403(api_as, carol, threat):
    response = api_as(carol).post(decisions_url(threat), {"action": "hide"})
    assert response.status_code == 403
    assert "decide" in response.json()["detail"]
    assert not Decision.objects.exists()


def test_comms_officer_gets_403_even_for_an_action_the_platform_refuses(api_as, carol, threat):
    assert api_as(carol).post(decisions_url(threat), {"action": "block"}).status_code == 403


def test_outsider_gets_the_same_404_as_an_unknown_item(api_as, charlie, charlies_account, threat):
    api = api_as(charlie)
    outsider = api.post(decisions_url(threat), {"action": "hide"})
    unknown = api.post(f"/api/items/{uuid.uuid4()}/decisions/", {"action": "hide"})
    malformed = api.post("/api/items/12345/decisions/", {"action": "hide"})
    assert outsider.status_code == unknown.status_code == malformed.status_code == 404
    assert outsider.json() == unknown.json() == malformed.json() == {"detail": "Not found."}
    assert not Decision.objects.exists()


def test_anonymous_gets_401(anonymous, threat):
    response = anonymous.post(decisions_url(threat), {"action": "hide"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert not Decision.objects.exists()


def test_revoked_token_gets_401(alice, token_for, threat, client):
    raw = token_for(alice)
    api_token_revoke(token=alice.api_tokens.get(), by=alice)
    response = client.post(
        decisions_url(threat),
        {"action": "hide"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 401
    assert not Decision.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_wrong_method_gets_405(api_as, alice, threat, method):
    assert api_as(alice).request(method, decisions_url(threat)).status_code == 405


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        '{"action": "hide",}',
        b"\xff\xfe\x00",
        "[]",
        '"hide"',
        "null",
        "42",
        "{}",
        '{"action": 5}',
        '{"action": ["hide"]}',
        '{"action": "hide", "note": 7}',
        '{"action": "hide", "note": {"a": 1}}',
        '{"action": "hide", "note": "nul \\u0000 inside"}',
        '{"action": "hide", "note": "lone \\ud800 surrogate"}',
        '{"action": null}',
    ],
)
def test_malformed_bodies_get_a_4xx_never_a_500(api_as, alice, threat, raw):
    response = api_as(alice).post(decisions_url(threat), raw=raw)
    assert response.status_code in (400, 422)
    assert isinstance(response.json()["detail"], str)
    assert not Decision.objects.exists()


def test_malformed_json_says_the_body_must_be_json(api_as, alice, threat):
    response = api_as(alice).post(decisions_url(threat), raw="{oops")
    assert response.status_code == 400
    assert "must be JSON" in response.json()["detail"]


def test_empty_body_gets_422(api_as, alice, threat):
    response = api_as(alice).post(decisions_url(threat), raw="")
    assert response.status_code == 422


def test_form_encoded_body_gets_a_4xx(api_as, alice, threat):
    response = api_as(alice).post(
        decisions_url(threat), raw="action=hide", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (400, 422)


def test_note_over_5000_characters_gets_422(api_as, alice, threat):
    response = api_as(alice).post(decisions_url(threat), {"action": "hide", "note": "x" * 5001})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("note: ")
    assert not Decision.objects.exists()


def test_note_of_exactly_5000_characters_is_kept_whole(api_as, alice, threat):
    response = api_as(alice).post(decisions_url(threat), {"action": "escalate", "note": "x" * 5000})
    assert response.status_code == 201
    assert len(Decision.objects.get().note) == 5000
