from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from moderation.models import Action, AuditEvent, Decision, Item
from moderation.services import DecisionNotPossible, action_run, item_decide
from platforms.base import ActionError
from tests.factories import RACIST, RUDE, THREAT

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def threat(ingest):
    return ingest(THREAT)[0]


def test_hide_runs_on_the_platform_and_is_audited(threat, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decision = item_decide(item=threat, user=alice, kind="hide", note="threatening")
    action = Action.objects.get(decision=decision)
    assert action.status == Action.Status.DONE
    assert action.attempts == 1
    assert action.external_reference == f"demo-hide-{threat.external_id}"
    threat.refresh_from_db()
    assert threat.status == Item.Status.ACTIONED
    verbs = list(AuditEvent.objects.filter(object_code=str(threat.code)).values_list("verb", flat=True))
    assert set(verbs) == {"decision", "action_done"}


def test_co_moderator_can_decide(threat, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(item=threat, user=bob, kind="mute")
    assert Action.objects.get().status == Action.Status.DONE


def test_comms_officer_cannot_decide(threat, carol):
    with pytest.raises(PermissionDenied):
        item_decide(item=threat, user=carol, kind="hide")
    assert not Decision.objects.exists()


def test_outsider_cannot_decide(threat, charlie):
    with pytest.raises(PermissionDenied):
        item_decide(item=threat, user=charlie, kind="dismiss")


def test_block_without_enterprise_access_is_refused_with_the_reason(threat, alice):
    with pytest.raises(DecisionNotPossible, match="Enterprise"):
        item_decide(item=threat, user=alice, kind="block")
    assert not Decision.objects.exists()
    threat.refresh_from_db()
    assert threat.status == Item.Status.OPEN


def test_block_works_where_the_account_has_access(threat, alice, django_capture_on_commit_callbacks):
    threat.account.settings["block_access"] = True
    threat.account.save()
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(item=threat, user=alice, kind="block")
    assert Action.objects.get().status == Action.Status.DONE


def test_unknown_action_is_refused_clearly(threat, alice):
    with pytest.raises(DecisionNotPossible, match="Unknown action 'nuke'"):
        item_decide(item=threat, user=alice, kind="nuke")


def test_report_becomes_a_guided_manual_step_with_the_report_page(ingest, alice):
    [item] = ingest(RACIST)
    decision = item_decide(item=item, user=alice, kind="report")
    action = decision.action
    assert action.status == Action.Status.MANUAL
    assert "https://help.twitter.com/" in action.guidance
    assert AuditEvent.objects.filter(verb="action_manual").exists()


def test_escalate_gives_police_guidance_and_keeps_the_item_escalated(threat, alice):
    decision = item_decide(item=threat, user=alice, kind="escalate")
    assert "999" in decision.action.guidance and "101" in decision.action.guidance
    threat.refresh_from_db()
    assert threat.status == Item.Status.ESCALATED
    assert threat.needs_decision


def test_dismiss_records_a_decision_without_an_action(ingest, alice):
    [item] = ingest(RUDE)
    decision = item_decide(item=item, user=alice, kind="dismiss", note="fair criticism, just blunt")
    assert not Action.objects.filter(decision=decision).exists()
    item.refresh_from_db()
    assert item.status == Item.Status.DISMISSED


def test_permanent_platform_failure_is_recorded_and_audited(threat, alice, django_capture_on_commit_callbacks):
    threat.account.settings["fail_actions"] = "account suspended"
    threat.account.save()
    with django_capture_on_commit_callbacks(execute=True):
        decision = item_decide(item=threat, user=alice, kind="hide")
    action = Action.objects.get(decision=decision)
    assert action.status == Action.Status.FAILED
    assert "account suspended" in action.last_error
    assert AuditEvent.objects.filter(verb="action_failed").exists()


def test_temporary_failure_stays_pending_and_counts_attempts_until_the_limit(threat, alice):
    threat.account.settings["fail_actions"] = "temporary"
    threat.account.save()
    decision = item_decide(item=threat, user=alice, kind="hide")
    action = decision.action
    for attempt in range(1, 5):
        with pytest.raises(ActionError):
            action_run(action_id=action.pk)
        action.refresh_from_db()
        assert (action.status, action.attempts) == (Action.Status.PENDING, attempt)
    action_run(action_id=action.pk)
    action.refresh_from_db()
    assert action.status == Action.Status.FAILED and action.attempts == 5


def test_running_a_finished_action_again_does_nothing(threat, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decision = item_decide(item=threat, user=alice, kind="hide")
    action_run(action_id=decision.action.pk)
    decision.action.refresh_from_db()
    assert decision.action.attempts == 1


def test_bulk_actions_beyond_the_platform_limit_wait_instead_of_failing(
    ingest, alice, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from moderation.services import actions_due

    items = ingest(*[f"{RUDE} ({n})" for n in range(52)])
    with django_capture_on_commit_callbacks(execute=True):
        for item in items:
            item_decide(item=item, user=alice, kind="mute")
    done = Action.objects.filter(status=Action.Status.DONE)
    waiting = Action.objects.filter(status=Action.Status.PENDING)
    assert done.count() == 50
    assert waiting.count() == 2
    assert all(a.not_before > timezone.now() + timedelta(minutes=14) for a in waiting)
    assert actions_due() == []  # nothing runs before a slot frees up

    # Fifteen minutes later the oldest mutes fall out of the window.
    Action.objects.filter(pk__in=list(done.values_list("pk", flat=True))).update(
        completed_at=timezone.now() - timedelta(minutes=16)
    )
    Action.objects.filter(pk__in=list(waiting.values_list("pk", flat=True))).update(not_before=timezone.now())
    for action_id in actions_due():
        action_run(action_id=action_id)
    assert Action.objects.filter(status=Action.Status.DONE).count() == 52


def test_a_lost_task_is_picked_up_by_the_outbox_sweep(threat, alice):
    from datetime import timedelta

    from django.utils import timezone

    from moderation.services import actions_due

    decision = item_decide(item=threat, user=alice, kind="hide")  # its task never ran (no commit here)
    assert actions_due() == []
    Action.objects.filter(pk=decision.action.pk).update(updated_at=timezone.now() - timedelta(minutes=11))
    assert actions_due() == [decision.action.pk]


def test_a_report_is_closed_with_the_platforms_reference(ingest, alice, carol):
    from moderation.services import action_record_reference

    [item] = ingest(RACIST)
    action = item_decide(item=item, user=alice, kind="report").action
    with pytest.raises(PermissionDenied):
        action_record_reference(action=action, user=carol, reference="X-1")
    with pytest.raises(DecisionNotPossible, match="reference number"):
        action_record_reference(action=action, user=alice, reference="  ")
    action = action_record_reference(action=action, user=alice, reference="X-2026-0042")
    assert (action.status, action.external_reference) == (Action.Status.DONE, "X-2026-0042")
    assert AuditEvent.objects.filter(verb="action_done", summary__contains="X-2026-0042").exists()
    with pytest.raises(DecisionNotPossible):
        action_record_reference(action=action, user=alice, reference="again")


def test_hide_and_mute_can_be_undone_through_the_outbox(threat, alice, django_capture_on_commit_callbacks):
    with pytest.raises(DecisionNotPossible, match="no hide reply on this reply to undo"):
        item_decide(item=threat, user=alice, kind="unhide")
    with django_capture_on_commit_callbacks(execute=True):
        item_decide(item=threat, user=alice, kind="hide")
        item_decide(item=threat, user=alice, kind="mute")
    with django_capture_on_commit_callbacks(execute=True):
        unhide = item_decide(item=threat, user=alice, kind="unhide")
        unmute = item_decide(item=threat, user=alice, kind="unmute")
    unhide.action.refresh_from_db()
    unmute.action.refresh_from_db()
    assert unhide.action.external_reference == f"demo-unhide-{threat.external_id}"
    assert unmute.action.status == Action.Status.DONE
    threat.refresh_from_db()
    assert threat.status == Item.Status.OPEN  # back for a fresh decision


@pytest.mark.parametrize("kind", ["hide", "mute", "block"])
def test_an_imported_message_is_never_sent_to_the_accounts_platform(threat, alice, kind):
    # A WhatsApp message kept on a demo (or X) account: the platform API can't act on it.
    Item.objects.filter(pk=threat.pk).update(platform="whatsapp")
    threat.refresh_from_db()
    with pytest.raises(DecisionNotPossible):
        item_decide(item=threat, user=alice, kind=kind)
    assert not Action.objects.filter(decision__item=threat).exists()


def test_an_imported_message_can_still_be_reported_and_dismissed(threat, alice):
    Item.objects.filter(pk=threat.pk).update(platform="whatsapp")
    threat.refresh_from_db()
    assert item_decide(item=threat, user=alice, kind="dismiss").kind == "dismiss"
