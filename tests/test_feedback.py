"""The team correcting the engine: dismissals and "missed" flags as feedback, the evaluation-set
export, suggested thresholds and per-account thresholds at ingest.

Alice owns the account, Bob is her co-moderator, Carol her comms officer, Charlie an outsider.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from api.tokens import api_token_create
from moderation import feedback
from moderation.models import Action, AuditEvent, Decision, Feedback, Item, RuleHit, ScoreThreshold, Severity
from moderation.rules import Engine
from moderation.services import (
    DecisionNotPossible,
    ThresholdRefused,
    account_threshold_remove,
    account_threshold_set,
    item_decide,
)
from tests.factories import CIVIL, RUDE, THREAT, fetched_author, fetched_item

pytestmark = pytest.mark.django_db

INSULT = "You are a moron"  # one rule-1 incivility hit from the word lists
_numbers = itertools.count(1)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='test')[1]}"})


def incivility(item: Item) -> RuleHit:
    return item.hits.get(rule=1, category="incivility")


# --- "Not a violation": a dismissal records the hits it overruled -------------------------


def test_dismissing_a_flag_records_the_overruled_hits_as_feedback(ingest, alice):
    [item] = ingest(RUDE)
    hits = list(item.hits.all())
    assert hits and item.status == Item.Status.OPEN

    decision = item_decide(item=item, user=alice, kind="dismiss", note="blunt, not abuse")

    record = Feedback.objects.get()
    assert record.kind == Feedback.Kind.NOT_A_VIOLATION
    assert (record.account, record.item, record.decision) == (item.account, item, decision)
    assert record.rules == []
    assert record.engine_version == Engine.VERSION
    assert {(h["rule"], h["category"], h["score"], h["reason"]) for h in record.hits} == {
        (h.rule, h.category, h.score, h.reason) for h in hits
    }


def test_dismissing_a_clear_reply_or_dismissing_twice_records_nothing_new(ingest, alice):
    clear, rude = ingest(CIVIL, RUDE)
    item_decide(item=clear, user=alice, kind="dismiss")
    assert not Feedback.objects.exists()  # the engine agreed: nothing to correct
    item_decide(item=rude, user=alice, kind="dismiss")
    item_decide(item=rude, user=alice, kind="dismiss")
    assert Feedback.objects.count() == 1


def test_bulk_dismiss_from_the_queue_records_feedback_too(ingest, alice):
    items = ingest(RUDE, INSULT)
    response = signed_in(alice).post(
        reverse("moderation:queue_decide"), {"action": "dismiss", "items": [str(i.code) for i in items]}
    )
    assert response.status_code == 302
    assert set(Feedback.objects.values_list("item_id", flat=True)) == {i.pk for i in items}


# --- "Missed this": a person flags a reply the engine let through -------------------------


def test_missed_puts_a_clear_reply_in_the_queue_with_a_human_hit(
    ingest, alice, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    [item] = ingest(CIVIL)
    assert item.status == Item.Status.CLEAR and not item.hits.exists()

    with django_capture_on_commit_callbacks(execute=True):
        decision = item_decide(item=item, user=alice, kind="missed", rule=2, note="veiled threat")

    item.refresh_from_db()
    assert item.status == Item.Status.OPEN and item.needs_decision
    assert item.severity == Severity.HIGH
    [hit] = item.hits.all()
    assert (hit.rule, hit.category, hit.score) == (2, "moderator", 1.0)
    assert hit.reason == "flagged by alice: veiled threat"
    assert hit.below_threshold is None
    assert decision.kind == "missed" and not Action.objects.filter(decision=decision).exists()
    record = Feedback.objects.get()
    assert (record.kind, record.rules, record.hits) == (Feedback.Kind.MISSED, [2], [])
    event = AuditEvent.objects.get(verb="decision", object_code=str(item.code))
    assert event.detail["action"] == "missed" and event.detail["rule"] == 2 and event.actor == alice
    assert item.artefacts.exists()  # evidence kept, as for any flagged reply


def test_missed_keeps_the_engines_own_hits_below_threshold_in_the_feedback(ingest, account, alice, bob):
    account_threshold_set(account=account, user=alice, rule=1, category="incivility", min_score=1.0)
    [item] = ingest(INSULT)
    assert item.status == Item.Status.CLEAR
    item_decide(item=item, user=bob, kind="missed", rule=1)
    record = Feedback.objects.get(kind="missed")
    assert [(h["rule"], h["category"], h["below_threshold"]) for h in record.hits] == [(1, "incivility", 1.0)]


@pytest.mark.parametrize("rule", [None, 0, 6, "2", True])
def test_missed_needs_a_rule_from_1_to_5(ingest, alice, rule):
    [item] = ingest(CIVIL)
    with pytest.raises(DecisionNotPossible, match="Choose the rule"):
        item_decide(item=item, user=alice, kind="missed", rule=rule)
    item.refresh_from_db()
    assert item.status == Item.Status.CLEAR and not item.hits.exists() and not Decision.objects.exists()


def test_missed_is_only_for_replies_the_rules_let_through(ingest, alice):
    [item] = ingest(RUDE)
    with pytest.raises(DecisionNotPossible, match="let through"):
        item_decide(item=item, user=alice, kind="missed", rule=1)
    assert not Feedback.objects.exists()


def test_a_rule_goes_with_missed_only(ingest, alice):
    [item] = ingest(RUDE)
    with pytest.raises(DecisionNotPossible, match="missed"):
        item_decide(item=item, user=alice, kind="hide", rule=1)
    assert not Decision.objects.exists()


def test_comms_and_outsiders_cannot_flag_missed(ingest, carol, charlie):
    [item] = ingest(CIVIL)
    for person in (carol, charlie):
        with pytest.raises(PermissionDenied):
            item_decide(item=item, user=person, kind="missed", rule=1)
    assert not Decision.objects.exists()


def test_the_item_page_offers_missed_on_clear_replies_to_deciders_only(ingest, alice, bob, carol):
    clear, flagged = ingest(CIVIL, RUDE)
    url = reverse("moderation:item_missed", kwargs={"code": clear.code})
    for person in (alice, bob):
        page = signed_in(person).get(reverse("moderation:item", kwargs={"code": clear.code})).content.decode()
        assert f'action="{url}"' in page and "Missed this?" in page
    assert (
        "Missed this?"
        not in signed_in(carol).get(reverse("moderation:item", kwargs={"code": clear.code})).content.decode()
    )
    assert (
        "Missed this?"
        not in signed_in(alice).get(reverse("moderation:item", kwargs={"code": flagged.code})).content.decode()
    )


def test_missed_form_flags_the_reply_and_bad_input_loses_nothing(ingest, bob):
    [item] = ingest(CIVIL)
    url = reverse("moderation:item_missed", kwargs={"code": item.code})
    client = signed_in(bob)

    response = client.post(url, {"rule": "nine", "note": "x"}, follow=True)
    assert "Choose the rule (1 to 5)" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Item.Status.CLEAR

    response = client.post(url, {"rule": "3", "note": "<b>dog whistle</b>"}, follow=True)
    page = response.content.decode()
    item.refresh_from_db()
    assert item.status == Item.Status.OPEN
    assert "flagged by bob: &lt;b&gt;dog whistle&lt;/b&gt;" in page  # escaped
    assert "Missed by the rules (flagged by hand)" in page


# --- The API: "missed" is a new action; the others are unchanged -------------------------


def test_api_missed_flags_a_clear_item(ingest, alice):
    [item] = ingest(CIVIL)
    response = api_client(alice).post(
        f"/api/items/{item.code}/decisions/", {"action": "missed", "rule": 4, "note": "fake stat"}, "application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body["decision"]) == {"code", "action", "by", "at", "note", "outcome"}
    assert body["decision"]["action"] == "missed" and body["decision"]["outcome"] is None
    assert body["item"]["status"] == "open"
    assert body["item"]["hits"] == [
        {
            "rule": 4,
            "category": "moderator",
            "score": 1.0,
            "severity": "medium",
            "reason": "flagged by alice: fake stat",
        }
    ]
    assert Feedback.objects.get().kind == "missed"


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ({"action": "missed"}, "Choose the rule"),
        ({"action": "missed", "rule": 7}, "rule"),
        ({"action": "hide", "rule": 2}, "only with the missed action"),
    ],
)
def test_api_missed_bad_input_is_refused_clearly(ingest, alice, payload, detail):
    [item] = ingest(CIVIL)
    response = api_client(alice).post(f"/api/items/{item.code}/decisions/", payload, "application/json")
    assert response.status_code == 422
    assert detail in response.json()["detail"]
    assert not Decision.objects.exists()


def test_api_missed_on_a_flagged_item_is_refused_and_comms_gets_403(ingest, alice, carol):
    clear, flagged = ingest(CIVIL, RUDE)
    response = api_client(alice).post(
        f"/api/items/{flagged.code}/decisions/", {"action": "missed", "rule": 1}, "application/json"
    )
    assert response.status_code == 422 and "let through" in response.json()["detail"]
    response = api_client(carol).post(
        f"/api/items/{clear.code}/decisions/", {"action": "missed", "rule": 1}, "application/json"
    )
    assert response.status_code == 403


def test_api_existing_actions_answer_as_before_and_dismiss_records_feedback(ingest, alice):
    [item] = ingest(RUDE)
    response = api_client(alice).post(f"/api/items/{item.code}/decisions/", {"action": "dismiss"}, "application/json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"decision", "item"}
    assert body["decision"]["action"] == "dismiss" and body["decision"]["outcome"] is None
    assert all(set(hit) == {"rule", "category", "score", "severity", "reason"} for hit in body["item"]["hits"])
    assert Feedback.objects.get().kind == "not_a_violation"


# --- export_feedback: the evaluation set -------------------------------------------------


def _anonymous_author():
    return fetched_author(
        external_id="anon-77",
        handle="patriot83749201",
        display_name="",
        created_at=datetime.now(UTC) - timedelta(days=2),
        followers_count=0,
        following_count=500,
        default_avatar=True,
        bio="",
    )


def test_export_feedback_writes_one_text_only_line_per_event(ingest, alice, charlie, charlies_account, tmp_path):
    rude, anon, clear = ingest(RUDE, fetched_item(INSULT, author=_anonymous_author()), CIVIL)
    [charlies] = ingest(RUDE, target=charlies_account)
    item_decide(item=rude, user=alice, kind="dismiss", note="Priya is a regular")
    item_decide(item=anon, user=alice, kind="dismiss")
    item_decide(item=clear, user=alice, kind="missed", rule=1, note="sarcasm about Priya S")
    item_decide(item=charlies, user=charlie, kind="dismiss")

    output = tmp_path / "feedback.jsonl"
    call_command("export_feedback", "--account", "AliceForMillbrook", "--output", str(output))
    raw = output.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in raw.splitlines()]

    assert len(lines) == 3  # Charlie's account left out
    for line in lines:
        assert set(line) == {"text", "expected", "engine", "kind", "account", "decided_at"}
        assert set(line["engine"]) == {"version", "hits"} and set(line["expected"]) == {"rules"}
        assert line["account"] == "AliceForMillbrook"
        assert datetime.fromisoformat(line["decided_at"])
    by_text = {line["text"]: line for line in lines}
    assert by_text[RUDE]["kind"] == "not_a_violation" and by_text[RUDE]["expected"] == {"rules": []}
    assert by_text[RUDE]["engine"]["version"] == Engine.VERSION
    assert {(h["rule"], h["category"]) for h in by_text[RUDE]["engine"]["hits"]} == {
        (h.rule, h.category) for h in rude.hits.all()
    }
    assert by_text[CIVIL] == {**by_text[CIVIL], "kind": "missed", "expected": {"rules": [1]}}
    assert by_text[CIVIL]["engine"]["hits"] == []  # the person's own hit is not the engine's
    [rule5] = [h for h in by_text[INSULT]["engine"]["hits"] if h["rule"] == 5]
    assert rule5["reason"] == feedback.WITHHELD_REASON
    # No author data and nothing a moderator wrote: handles, names, ids, bios, notes, usernames.
    for personal in (
        "millbrook_mum",
        "Priya",
        "author-1",
        "patriot83749201",
        "anon-77",
        "Mum of two",
        "alice",
        "sarcasm",
    ):
        assert personal not in raw

    event = AuditEvent.objects.get(verb="export", account=rude.account)
    assert event.detail["what"] == "feedback" and event.detail["count"] == 3
    assert len(event.detail["sha256"]) == 64


def test_export_feedback_of_every_account_audits_each_and_refuses_unknown_handles(
    ingest, alice, charlie, charlies_account, capsys
):
    [rude] = ingest(RUDE)
    [charlies] = ingest(RUDE, target=charlies_account)
    item_decide(item=rude, user=alice, kind="dismiss")
    item_decide(item=charlies, user=charlie, kind="dismiss")
    call_command("export_feedback", "--output", "-")
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2 and "Exported 2 feedback events" in err
    assert AuditEvent.objects.filter(verb="export", detail__what="feedback").count() == 2
    with pytest.raises(CommandError, match="No campaign account"):
        call_command("export_feedback", "--account", "nobody", "--output", "-")


# --- Suggested thresholds ----------------------------------------------------------------


def _decided(ingest, user, *, rule: int, category: str, scores: list[float], kind: str) -> None:
    """Replies with one synthetic hit each, flagged, then decided on by `user`."""
    items = ingest(*[f"{CIVIL} ({next(_numbers)})" for _ in scores])
    for item, score in zip(items, scores, strict=True):
        RuleHit.objects.create(
            item=item, rule=rule, category=category, score=score, severity=Severity.LOW, reason="synthetic"
        )
        Item.objects.filter(pk=item.pk).update(status=Item.Status.OPEN, severity=Severity.LOW)
        item.refresh_from_db()
        item_decide(item=item, user=user, kind=kind)


def test_suggestion_is_the_score_below_which_most_hits_were_dismissed(ingest, account, alice):
    dismissed = [round(0.50 + n / 100, 2) for n in range(12)]  # 0.50 ... 0.61
    _decided(ingest, alice, rule=1, category="incivility", scores=dismissed, kind="dismiss")
    _decided(ingest, alice, rule=1, category="incivility", scores=[0.55, 0.80], kind="hide")
    # Too few dismissed in one category, and too many confirmed in another: no suggestion.
    _decided(ingest, alice, rule=4, category="unreliable_source", scores=[0.9] * 9, kind="dismiss")
    _decided(ingest, alice, rule=2, category="harassment", scores=[0.6] * 10, kind="dismiss")
    _decided(ingest, alice, rule=2, category="harassment", scores=[0.5] * 5, kind="hide")
    # Threats are never suggested, however many were dismissed.
    _decided(ingest, alice, rule=2, category="threat", scores=[0.4] * 12, kind="dismiss")

    [suggestion] = feedback.threshold_suggestions(account)
    assert (suggestion.rule, suggestion.category, suggestion.min_score) == (1, "incivility", 0.62)
    assert (suggestion.dismissed_below, suggestion.confirmed_below) == (12, 1)
    assert (suggestion.dismissed_total, suggestion.confirmed_total) == (12, 2)
    assert suggestion.percent == 92


def test_a_dismissal_later_reversed_counts_as_confirmed(ingest, account, alice):
    _decided(ingest, alice, rule=1, category="incivility", scores=[0.5] * 10, kind="dismiss")
    assert feedback.threshold_suggestions(account)[0].min_score == 0.51
    changed_mind = Feedback.objects.first().item
    item_decide(item=changed_mind, user=alice, kind="hide")
    assert feedback.threshold_suggestions(account) == []  # nine dismissed left, below ten


def test_suggested_minimum_picks_the_highest_score_that_keeps_the_share():
    minimum = feedback._suggested_minimum([0.3] * 10 + [0.7] * 2, [0.5, 0.6, 0.65], min_dismissed=10, share=0.8)
    # Up to 0.31: 10 of 10 dismissed. Up to 0.71: 12 of 15 (80%), the highest that still holds.
    assert minimum == (0.71, 12, 3)
    assert feedback._suggested_minimum([0.3] * 9, [], min_dismissed=10, share=0.8) is None


# --- Thresholds at ingest ----------------------------------------------------------------


def test_hits_below_the_accounts_threshold_are_kept_but_do_not_flag(ingest, account, alice):
    [first] = ingest(INSULT)
    score = incivility(first).score
    assert first.status == Item.Status.OPEN and score < 1
    minimum = min(1.0, round(score + 0.01, 2))
    account_threshold_set(account=account, user=alice, rule=1, category="incivility", min_score=minimum)

    [quiet, threat] = ingest(f"{INSULT}.", THREAT)
    assert quiet.status == Item.Status.CLEAR and quiet.severity == Severity.NONE
    hit = incivility(quiet)
    assert hit.score == score and hit.below_threshold == minimum
    assert threat.status == Item.Status.OPEN  # other rules are untouched

    page = signed_in(alice).get(reverse("moderation:item", kwargs={"code": quiet.code})).content.decode()
    assert f"below this account's threshold {minimum:.2f}" in page
    assert "What the rules found (not flagged)" in page
    assert "Missed this?" in page  # a person can still flag it


def test_a_category_threshold_wins_over_its_rules_and_others_accounts_are_untouched(
    ingest, account, alice, charlie, charlies_account
):
    account_threshold_set(account=account, user=alice, rule=1, min_score=1.0)
    account_threshold_set(account=account, user=alice, rule=1, category="incivility", min_score=0.05)
    [item] = ingest(INSULT)
    assert item.status == Item.Status.OPEN and incivility(item).below_threshold is None

    account_threshold_remove(account=account, user=alice, rule=1, category="incivility")
    [item] = ingest(f"{INSULT}!")
    assert item.status == Item.Status.CLEAR and incivility(item).below_threshold == 1.0
    [charlies] = ingest(INSULT, target=charlies_account)
    assert charlies.status == Item.Status.OPEN


def test_threats_always_flag_whatever_thresholds_say():
    thresholds = {(2, "threat"): 1.0, (2, ""): 1.0, (1, ""): 0.9}
    assert feedback.below_threshold(thresholds, 2, "threat", 0.3) is None
    assert feedback.below_threshold(thresholds, 2, "abuse", 0.3) == 1.0  # the rule's covers its other categories
    assert feedback.below_threshold(thresholds, 1, "incivility", 0.95) is None


# --- Setting thresholds: refusals, permissions, audit ------------------------------------


@pytest.mark.parametrize(
    ("rule", "category", "message"),
    [
        (2, "threat", "Threats can never be thresholded away"),
        (2, "", "Rule 2 includes threats"),
        ("2", "Threat ", "Threats can never be thresholded away"),
        (1, "racism", "Rule 1 has no category 'racism'"),
        (6, "", "Rule must be 1 to 5"),
        ("one", "", "Rule must be a number"),
        (1, "moderator", "Rule 1 has no category"),
    ],
)
def test_refused_thresholds_say_why_and_store_nothing(account, alice, rule, category, message):
    with pytest.raises(ThresholdRefused, match=message):
        account_threshold_set(account=account, user=alice, rule=rule, category=category, min_score=0.5)
    assert not ScoreThreshold.objects.exists()
    assert not AuditEvent.objects.filter(verb="threshold").exists()


@pytest.mark.parametrize("value", ["", "abc", "0", "-0.2", "1.5", "nan"])
def test_minimum_score_must_be_between_0_and_1(account, alice, value):
    with pytest.raises(ThresholdRefused, match="minimum score"):
        account_threshold_set(account=account, user=alice, rule=1, category="incivility", min_score=value)
    assert not ScoreThreshold.objects.exists()


def test_the_database_refuses_a_threat_threshold_too(account):
    with pytest.raises(IntegrityError):
        ScoreThreshold.objects.create(account=account, rule=2, category="threat", min_score=0.5)


def test_only_owners_set_thresholds(account, bob, carol, charlie):
    for person in (bob, carol, charlie):
        with pytest.raises(PermissionDenied):
            account_threshold_set(account=account, user=person, rule=1, category="incivility", min_score=0.5)
    assert not ScoreThreshold.objects.exists()


def test_owner_applies_and_edits_a_suggestion_from_the_page_and_it_is_audited(ingest, account, alice):
    _decided(ingest, alice, rule=1, category="incivility", scores=[0.5] * 10, kind="dismiss")
    client = signed_in(alice)
    url = reverse("moderation:thresholds", kwargs={"code": account.code})
    page = client.get(url).content.decode()
    assert "Suggested from your team" in page and 'value="0.51"' in page and "Apply" in page

    set_url = reverse("moderation:threshold_set", kwargs={"code": account.code})
    response = client.post(set_url, {"target": "1:incivility", "min_score": "0.51", "source": "suggestion"})
    assert response.status_code == 302
    assert ScoreThreshold.objects.get().min_score == 0.51
    client.post(set_url, {"target": "1:incivility", "min_score": "0.55"})
    threshold = ScoreThreshold.objects.get()
    assert (threshold.min_score, threshold.set_by) == (0.55, alice)
    summaries = list(AuditEvent.objects.filter(verb="threshold").order_by("id").values_list("summary", flat=True))
    assert "set to 0.51 (suggestion applied)" in summaries[0]
    assert "set to 0.55 (by hand), was 0.51" in summaries[1]

    client.post(reverse("moderation:threshold_remove", kwargs={"code": account.code}), {"target": "1:incivility"})
    assert not ScoreThreshold.objects.exists()
    assert AuditEvent.objects.filter(verb="threshold", summary__contains="removed, was 0.55").exists()


def test_a_threat_threshold_posted_from_the_page_is_refused_with_the_reason(account, alice):
    response = signed_in(alice).post(
        reverse("moderation:threshold_set", kwargs={"code": account.code}),
        {"target": "2:threat", "min_score": "0.9"},
        follow=True,
    )
    assert "Threats can never be thresholded away" in response.content.decode()
    assert not ScoreThreshold.objects.exists()


def test_members_read_the_thresholds_page_without_forms_and_cannot_write(account, alice, bob, carol, charlie):
    account_threshold_set(account=account, user=alice, rule=1, category="incivility", min_score=0.6)
    url = reverse("moderation:thresholds", kwargs={"code": account.code})
    for person in (bob, carol):
        page = signed_in(person).get(url).content.decode()
        assert "0.60" in page and "only its owners change them" in page
        assert reverse("moderation:threshold_set", kwargs={"code": account.code}) not in page
        response = signed_in(person).post(
            reverse("moderation:threshold_set", kwargs={"code": account.code}),
            {"target": "1:incivility", "min_score": "0.9"},
        )
        assert response.status_code == 403
    assert signed_in(charlie).get(url).status_code == 404
    assert ScoreThreshold.objects.get().min_score == 0.6
