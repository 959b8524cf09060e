"""Thin Celery tasks: they take ids and call a service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from moderation import services
from moderation.models import CampaignAccount
from platforms.base import ActionError


@shared_task(
    bind=True,
    autoretry_for=(ActionError,),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=services.MAX_ACTION_ATTEMPTS,
)
def action_execute(self, action_id: int) -> str:
    action = services.action_run(action_id=action_id)
    if action.status == action.Status.PENDING and action.not_before and not settings.CELERY_TASK_ALWAYS_EAGER:
        # Held back by the platform's limit: come back when a slot is free. (In-process mode
        # leaves it to the outbox sweep, which `poll --loop` and beat both run.)
        action_execute.apply_async(args=[action_id], eta=action.not_before)
    return action.status


@shared_task
def actions_run_due() -> int:
    """The outbox sweep: run actions whose wait is over, or whose task never arrived."""
    due = services.actions_due()
    for action_id in due:
        action_execute.delay(action_id)
    return len(due)


@shared_task
def poll_account(account_id: int) -> dict:
    account = CampaignAccount.objects.get(pk=account_id)
    result = services.account_poll(account=account)
    return {"created": result.ingest.created, "flagged": result.ingest.flagged, "completed": result.completed}


@shared_task
def poll_due_accounts() -> int:
    """Beat's tick: queue a poll for every connected account whose wait is over.

    The wait is the account's interval, doubled per failure in a row, and never before a
    platform's rate-limit reset.
    """
    now = timezone.now()
    accounts = CampaignAccount.objects.filter(status=CampaignAccount.Status.CONNECTED).only(
        "pk", "last_polled_at", "poll_interval_seconds", "poll_failures", "settings"
    )
    ids = [account.pk for account in accounts if account.next_poll_at() <= now]
    for account_id in ids:
        poll_account.delay(account_id)
    return len(ids)
