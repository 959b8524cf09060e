"""Decisions on X items reach the stand-in through the outbox, and refusals say why."""

from __future__ import annotations

import pytest
from django.utils import timezone

from moderation.models import Action, CampaignAccount, DecisionKind, Item
from moderation.services import DecisionNotPossible, account_poll, action_run, item_decide
from platforms.base import ActionError
from platforms.x import BLOCK_REASON, DELETE_REASON, REPORT_URL
from platforms.x_standin import reset_in
from tests.x.conftest import TOKEN


@pytest.fixture
def x_item(x_account, standin) -> Item:
    post = standin.add_post(x_account.external_id, "Bins update")
    troll = standin.add_user("troll_99")
    tweet = standin.add_mention(x_account.external_id, troll["id"], "I know where you live", in_reply_to=post["id"])
    account_poll(account=x_account)
    return Item.objects.get(platform="x", external_id=tweet["id"])


def run(item: Item, user, kind: str) -> Action:
    decision = item_decide(item=item, user=user, kind=kind)
    action = Action.objects.get(decision=decision)
    return action_run(action_id=action.pk)


def test_hide_reaches_x(x_item, bob, standin):
    action = run(x_item, bob, DecisionKind.HIDE)

    assert action.status == Action.Status.DONE
    assert standin.hidden == {x_item.external_id}
    [request] = standin.requests_to(f"/2/tweets/{x_item.external_id}/hidden")
    assert (request.method, request.body, request.bearer) == ("PUT", {"hidden": True}, TOKEN)


def test_mute_reaches_x_without_an_extra_lookup(x_item, bob, standin, x_account):
    lookups_before = len(standin.requests_to("/2/users/me"))

    action = run(x_item, bob, DecisionKind.MUTE)

    assert action.status == Action.Status.DONE
    assert standin.muted_by(x_account.external_id) == {x_item.author.external_id}
    [request] = standin.requests_to(f"/2/users/{x_account.external_id}/muting", "POST")
    assert request.body == {"target_user_id": x_item.author.external_id}
    assert len(standin.requests_to("/2/users/me")) == lookups_before


def test_unhide_and_unmute_undo_on_x(x_item, bob, standin, x_account):
    from platforms.x import XConnector

    run(x_item, bob, DecisionKind.HIDE)
    run(x_item, bob, DecisionKind.MUTE)
    XConnector().unhide(x_account, x_item)
    XConnector().unmute(x_account, x_item.author)

    assert standin.hidden == set()
    assert standin.muted_by(x_account.external_id) == set()


def test_block_is_refused_with_the_enterprise_reason(x_item, bob, standin):
    with pytest.raises(DecisionNotPossible, match="needs Enterprise access: mute and report instead"):
        item_decide(item=x_item, user=bob, kind=DecisionKind.BLOCK)
    assert BLOCK_REASON.startswith("Blocking through X's API needs Enterprise access")
    assert not standin.requests_to("/2/users/", "POST")


def test_block_reaches_x_when_the_account_has_enterprise_access(x_item, bob, standin, x_account):
    x_account.settings = {"x_enterprise": True}
    x_account.save()
    x_item.refresh_from_db()

    action = run(x_item, bob, DecisionKind.BLOCK)

    assert action.status == Action.Status.DONE
    assert standin.blocked[x_account.external_id] == {x_item.author.external_id}


def test_delete_is_refused_with_the_reason(x_item, bob):
    with pytest.raises(DecisionNotPossible, match=DELETE_REASON):
        item_decide(item=x_item, user=bob, kind=DecisionKind.DELETE)


def test_report_is_a_manual_step_with_the_official_page(x_item, bob, standin):
    decision = item_decide(item=x_item, user=bob, kind=DecisionKind.REPORT)

    action = Action.objects.get(decision=decision)
    assert action.status == Action.Status.MANUAL and REPORT_URL in action.guidance


def test_rate_limited_hide_is_retried_later_without_calling_x_before_the_reset(x_item, bob, standin, x_account):
    path = f"/2/tweets/{x_item.external_id}/hidden"
    reset = reset_in(600)
    standin.rate_limit(path, reset_at=reset)
    decision = item_decide(item=x_item, user=bob, kind=DecisionKind.HIDE)
    action = Action.objects.get(decision=decision)

    with pytest.raises(ActionError) as raised:
        action_run(action_id=action.pk)
    assert raised.value.retryable and "rate limit" in str(raised.value)
    action.refresh_from_db()
    assert action.status == Action.Status.PENDING and action.attempts == 1
    x_account.refresh_from_db()
    assert "actions_rate_limited_until" in x_account.settings
    assert "rate_limited_until" not in x_account.settings  # reads have their own limit at X

    with pytest.raises(ActionError):
        action_run(action_id=action.pk)
    assert len(standin.requests_to(path)) == 1

    x_account.settings["actions_rate_limited_until"] = timezone.now().isoformat()
    x_account.save(update_fields=["settings"])
    assert action_run(action_id=action.pk).status == Action.Status.DONE
    assert standin.hidden == {x_item.external_id}


def test_server_error_on_mute_is_retried(x_item, bob, standin, x_account):
    standin.fail(f"/2/users/{x_account.external_id}/muting", 503)
    decision = item_decide(item=x_item, user=bob, kind=DecisionKind.MUTE)
    action = Action.objects.get(decision=decision)

    with pytest.raises(ActionError) as raised:
        action_run(action_id=action.pk)
    assert raised.value.retryable

    assert action_run(action_id=action.pk).status == Action.Status.DONE


def test_unauthorized_action_fails_and_marks_the_account_for_reconnection(x_item, bob, standin, x_account):
    standin.fail(f"/2/tweets/{x_item.external_id}/hidden", 401)
    decision = item_decide(item=x_item, user=bob, kind=DecisionKind.HIDE)

    action = action_run(action_id=Action.objects.get(decision=decision).pk)

    assert action.status == Action.Status.FAILED and "reconnect" in action.last_error
    x_account.refresh_from_db()
    assert x_account.status == CampaignAccount.Status.RECONNECT


def test_forbidden_hide_fails_with_xs_reason(x_item, bob, standin):
    standin.fail(f"/2/tweets/{x_item.external_id}/hidden", 403)
    decision = item_decide(item=x_item, user=bob, kind=DecisionKind.HIDE)

    action = action_run(action_id=Action.objects.get(decision=decision).pk)

    assert action.status == Action.Status.FAILED
    assert "403" in action.last_error and "not permitted" in action.last_error


def test_x_hides_beyond_fifty_in_fifteen_minutes_wait_in_the_outbox(x_account, standin, alice):
    post = standin.add_post(x_account.external_id, "Cycle lane consultation")
    troll = standin.add_user("pile_on")
    tweets = [
        standin.add_mention(x_account.external_id, troll["id"], f"I know where you live ({n})", in_reply_to=post["id"])
        for n in range(52)
    ]
    account_poll(account=x_account)
    items = Item.objects.filter(platform="x", external_id__in=[t["id"] for t in tweets])
    actions = [item_decide(item=item, user=alice, kind="hide").action for item in items]
    for action in actions:
        action_run(action_id=action.pk)
    statuses = [Action.objects.get(pk=a.pk).status for a in actions]
    assert statuses.count(Action.Status.DONE) == 50
    assert statuses.count(Action.Status.PENDING) == 2
    assert len(standin.hidden) == 50  # the two over the limit never reached X
