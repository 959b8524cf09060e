"""Reads. Every query here is scoped to the accounts a person is a member of."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from moderation.models import Action, AuditEvent, CampaignAccount, Decision, Item, Membership, Role, RuleHit


def accounts_for_user(user) -> QuerySet[CampaignAccount]:
    return CampaignAccount.objects.filter(memberships__user=user)


def items_for_user(user) -> QuerySet[Item]:
    """Items of the person's accounts, most severe and newest first, ready for a table."""
    # A list, not a subquery: with one account the planner reads the queue index in order.
    account_ids = list(Membership.objects.filter(user=user).values_list("account_id", flat=True))
    return (
        Item.objects.filter(account_id__in=account_ids)
        .select_related("account", "author")
        .prefetch_related(Prefetch("hits", queryset=RuleHit.objects.order_by("-severity", "rule")))
        .order_by("-severity", "-posted_at", "-id")
    )


def account_for_user(user, code, *, owners_only_to: str = "") -> tuple[CampaignAccount, Membership]:
    """The account and the person's membership; 404 to outsiders.

    With `owners_only_to` (what only owners may do, e.g. "manage its members"), 403 to the others.
    """
    membership = Membership.objects.select_related("account").filter(user=user, account__code=code).first()
    if membership is None:
        raise Http404("No such account")
    if owners_only_to and membership.role != Role.OWNER:
        raise PermissionDenied(f"Only the account's owners can {owners_only_to}.")
    return membership.account, membership


def item_for_user(user, code: str, *, to_decide: bool = False) -> tuple[Item, Membership]:
    """The item, or 404 to anyone outside its account; 403 to members who may not decide."""
    try:
        item = Item.objects.select_related("account", "author", "in_reply_to").get(code=code)
    except (Item.DoesNotExist, ValueError, TypeError):
        raise Http404("No such item") from None
    membership = Membership.objects.filter(user=user, account=item.account).first()
    if membership is None:
        raise Http404("No such item")
    if to_decide and not membership.can_decide:
        raise PermissionDenied("Your role on this account can read the queue but not decide.")
    return item, membership


def item_decisions(item: Item) -> QuerySet[Decision]:
    return item.decisions.select_related("decided_by").prefetch_related(
        Prefetch("action", queryset=Action.objects.all())
    )


def author_recent_items(item: Item, *, limit: int = 10) -> QuerySet[Item]:
    """The same author's other items on the accounts this item belongs to."""
    return (
        Item.objects.filter(author=item.author, account=item.account)
        .exclude(pk=item.pk)
        .prefetch_related("hits", "decisions")
        .order_by("-posted_at")[:limit]
    )


def author_earlier_decisions(item: Item, *, limit: int = 10) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(item__author=item.author, item__account=item.account)
        .exclude(item=item)
        .select_related("decided_by", "item")
        .order_by("-decided_at")[:limit]
    )


def audit_events_for_user(user) -> QuerySet[AuditEvent]:
    """Events on the person's accounts, plus their own sign-ins."""
    from django.db.models import Q

    account_ids = Membership.objects.filter(user=user).values("account_id")
    return (
        AuditEvent.objects.filter(
            Q(account_id__in=account_ids)
            | Q(account__isnull=True, actor=user)
            | Q(verb=AuditEvent.Verb.LOGIN_FAILED, detail__username=user.username)
        )
        .select_related("actor", "account")
        .order_by("-at", "-id")
    )


def next_item_for_user(user, item: Item) -> Item | None:
    """The next reply in the person's queue that still needs a decision, after this one."""
    return (
        items_for_user(user)
        .filter(status__in=[Item.Status.OPEN, Item.Status.ESCALATED])
        .exclude(pk=item.pk)
        .prefetch_related(None)
        .first()
    )
