"""Writes: ingest, decisions, the action outbox and the audit log."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from evidence.services import evidence_capture_on_commit
from moderation.models import (
    AccountPost,
    Action,
    AuditEvent,
    Author,
    CampaignAccount,
    Decision,
    DecisionKind,
    FalseClaim,
    Item,
    Membership,
    RuleHit,
    Severity,
    UnreliableDomain,
)
from moderation.rules import Claim, Engine, Register, Verdict
from platforms.base import ActionError, Capability, CapabilityState, FetchedAuthor, FetchedItem, FetchPage
from platforms.registry import connector_for

logger = logging.getLogger(__name__)

MAX_ACTION_ATTEMPTS = 5
# Platform text beyond this is kept verbatim but the engine looks at the start only.
MAX_ITEM_TEXT = 100_000


# --- Audit -------------------------------------------------------------------------------


def audit_record(
    *,
    verb: str,
    summary: str,
    actor=None,
    account: CampaignAccount | None = None,
    obj: object | None = None,
    detail: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        verb=verb,
        summary=summary[:500],
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "username", "") or "system",
        account=account,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_code=str(getattr(obj, "code", "") or ""),
        detail=detail or {},
        ip_address=ip_address,
    )


# --- The rules engine, built from the team's register ------------------------------------

_engine_cache: dict[tuple, Engine] = {}


def rules_engine() -> Engine:
    """An engine for the current claims register; rebuilt only when the register changes."""
    claims = tuple(
        Claim(code=c.code, claim=c.claim, correction=c.correction, source_url=c.source_url)
        for c in FalseClaim.objects.filter(active=True).order_by("code")
    )
    domains = tuple(UnreliableDomain.objects.order_by("domain").values_list("domain", flat=True))
    key = (claims, domains)
    engine = _engine_cache.get(key)
    if engine is None:
        _engine_cache.clear()
        engine = _engine_cache[key] = Engine(Register(claims=claims, unreliable_domains=domains))
    return engine


def claims_register_import(*, claims: list[dict], domains: list[str], reason: str = "") -> None:
    """Add or update false claims and unreliable domains in the team's register."""
    for claim in claims:
        FalseClaim.objects.update_or_create(
            code=claim["code"],
            defaults={"claim": claim["claim"], "correction": claim["correction"], "source_url": claim["source_url"]},
        )
    for domain in domains:
        UnreliableDomain.objects.get_or_create(domain=domain.strip().lower(), defaults={"reason": reason})


# --- Ingest ------------------------------------------------------------------------------


@dataclass
class IngestResult:
    created: int = 0
    duplicates: int = 0
    flagged: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: IngestResult) -> None:
        self.created += other.created
        self.duplicates += other.duplicates
        self.flagged += other.flagged
        self.errors.extend(other.errors)


def _author_upsert(*, platform: str, fetched: FetchedAuthor) -> Author:
    values = {
        "handle": fetched.handle[:100],
        "display_name": fetched.display_name[:200],
        "profile_created_at": fetched.created_at,
        "followers_count": fetched.followers_count,
        "following_count": fetched.following_count,
        "posts_count": fetched.posts_count,
        "default_avatar": fetched.default_avatar,
        "bio": fetched.bio,
        "verified": fetched.verified,
        "profile_url": fetched.profile_url[:500],
    }
    author, _ = Author.objects.update_or_create(platform=platform, external_id=fetched.external_id, defaults=values)
    return author


def _snapshot(fetched: FetchedAuthor) -> dict:
    """The profile exactly as seen with this item; also what the rules engine judges."""
    return {**fetched.profile(), "seen_at": datetime.now(UTC).isoformat()}


def _apply_verdict(item: Item, verdict: Verdict, engine_version: str) -> None:
    item.severity = Severity.from_name(verdict.severity)
    item.status = Item.Status.OPEN if verdict.hits else Item.Status.CLEAR
    item.engine_version = engine_version


def _hit_rows(item: Item, verdict: Verdict) -> list[RuleHit]:
    return [
        RuleHit(
            item=item,
            rule=hit.rule,
            category=hit.category,
            score=hit.score,
            severity=Severity.from_name(hit.severity),
            reason=hit.reason,
        )
        for hit in verdict.hits
    ]


def item_ingest_page(*, account: CampaignAccount, page: FetchPage) -> IngestResult:
    """Store one page of fetched items, classify the new ones; re-ingesting never duplicates."""
    result = IngestResult()
    engine = rules_engine()
    with transaction.atomic():
        posts = {}
        for fetched_post in page.posts:
            post, _ = AccountPost.objects.update_or_create(
                account=account,
                external_id=fetched_post.external_id,
                defaults={"text": fetched_post.text, "url": fetched_post.url, "posted_at": fetched_post.posted_at},
            )
            posts[post.external_id] = post

        ids = [fetched.external_id for fetched in page.items]
        known = set(
            Item.objects.filter(platform=account.platform, external_id__in=ids).values_list("external_id", flat=True)
        )
        hits: list[RuleHit] = []
        flagged_ids: list[int] = []
        for fetched in page.items:
            if fetched.external_id in known:
                result.duplicates += 1
                continue
            known.add(fetched.external_id)  # the same id twice in one page
            try:
                item = _item_create(account=account, fetched=fetched, posts=posts, engine=engine, hits=hits)
            except IntegrityError:
                # Another poll stored it between our check and our insert.
                result.duplicates += 1
                continue
            result.created += 1
            if item.status == Item.Status.OPEN:
                result.flagged += 1
                flagged_ids.append(item.pk)
        RuleHit.objects.bulk_create(hits)
        # Capture evidence of what was flagged before anyone hides or blocks it, off the ingest path.
        evidence_capture_on_commit(flagged_ids)
    return result


def _item_create(
    *, account: CampaignAccount, fetched: FetchedItem, posts: dict, engine: Engine, hits: list[RuleHit]
) -> Item:
    author = _author_upsert(platform=account.platform, fetched=fetched.author)
    in_reply_to = posts.get(fetched.in_reply_to)
    if in_reply_to is None and fetched.in_reply_to:
        in_reply_to = AccountPost.objects.filter(account=account, external_id=fetched.in_reply_to).first()
    snapshot = _snapshot(fetched.author)
    item = Item(
        account=account,
        platform=account.platform,
        external_id=fetched.external_id,
        kind=fetched.kind,
        text=fetched.text,
        url=fetched.url[:500],
        conversation_id=fetched.conversation_id[:100],
        in_reply_to=in_reply_to,
        author=author,
        author_snapshot=snapshot,
        raw=fetched.raw,
        posted_at=fetched.posted_at,
    )
    verdict = engine.classify(
        fetched.text[:MAX_ITEM_TEXT],
        snapshot,
        account={"handle": account.handle, "display_name": account.display_name},
    )
    _apply_verdict(item, verdict, engine.VERSION)
    with transaction.atomic():  # a savepoint, so a duplicate doesn't spoil the page
        item.save()
    hits.extend(_hit_rows(item, verdict))
    return item


@dataclass
class PollResult:
    account: CampaignAccount
    ingest: IngestResult
    completed: bool
    error: str = ""


def account_poll(*, account: CampaignAccount) -> PollResult:
    """Fetch and ingest every new page; remember the cursor only once the walk completes."""
    connector = connector_for(account.platform)
    total = IngestResult()
    cursor = account.poll_cursor
    try:
        for page in connector.fetch(account, account.poll_cursor):
            total.add(item_ingest_page(account=account, page=page))
            cursor = page.cursor or cursor
    except Exception as exc:  # a platform failure must never lose what was already stored
        logger.exception("Polling %s failed", account)
        account.last_poll_error = f"{type(exc).__name__}: {exc}"[:2000]
        account.last_polled_at = timezone.now()
        account.poll_failures += 1
        account.save(update_fields=["last_poll_error", "last_polled_at", "poll_failures"])
        return PollResult(account=account, ingest=total, completed=False, error=account.last_poll_error)
    account.poll_cursor = cursor
    account.last_poll_error = ""
    account.last_polled_at = timezone.now()
    account.poll_failures = 0
    account.save(update_fields=["poll_cursor", "last_poll_error", "last_polled_at", "poll_failures"])
    if total.created:
        audit_record(
            verb=AuditEvent.Verb.INGEST,
            account=account,
            summary=f"{total.created} new items from {account}, {total.flagged} flagged",
            detail={"created": total.created, "flagged": total.flagged, "duplicates": total.duplicates},
        )
    return PollResult(account=account, ingest=total, completed=True)


# --- Decisions and the action outbox -----------------------------------------------------


class DecisionNotPossible(Exception):
    """The platform or account can't do this; the message says why, in plain words."""


# What each decision asks of the platform, and the item status it leaves behind.
PLATFORM_ACTIONS = {
    DecisionKind.HIDE: Capability.HIDE,
    DecisionKind.UNHIDE: Capability.HIDE,
    DecisionKind.MUTE: Capability.MUTE,
    DecisionKind.UNMUTE: Capability.MUTE,
    DecisionKind.BLOCK: Capability.BLOCK,
    DecisionKind.DELETE: Capability.DELETE,
    DecisionKind.REPORT: Capability.REPORT,
}
STATUS_AFTER = {
    DecisionKind.DISMISS: Item.Status.DISMISSED,
    DecisionKind.ESCALATE: Item.Status.ESCALATED,
    # Undoing puts the reply back in front of a person for a fresh decision.
    DecisionKind.UNHIDE: Item.Status.OPEN,
    DecisionKind.UNMUTE: Item.Status.OPEN,
}
# What an undo undoes: it needs that action done on this item first.
UNDOES = {DecisionKind.UNHIDE: DecisionKind.HIDE, DecisionKind.UNMUTE: DecisionKind.MUTE}
POLICE_GUIDANCE = (
    "If anyone is in immediate danger, call 999 now. Otherwise report it to the police on 101 "
    "and tell your colleagues. Keep the evidence: do not delete the post."
)


def membership_for(*, user, account: CampaignAccount) -> Membership | None:
    return Membership.objects.filter(user=user, account=account).first()


def decision_capability(
    *,
    account: CampaignAccount,
    kind: str,
    capabilities: dict[Capability, CapabilityState] | None = None,
    platform: str | None = None,
) -> CapabilityState | None:
    """The platform capability a decision needs, or None when it needs none (dismiss, escalate).

    Pass the account's `capabilities` when already known, to ask the connector only once.
    """
    capability = PLATFORM_ACTIONS.get(DecisionKind(kind))
    if capability is None:
        return None
    if capabilities is None:
        # The item's own platform: a WhatsApp message held on an X account is not X's to hide.
        capabilities = connector_for(platform or account.platform).capabilities(account)
    return capabilities[capability]


def undo_possible(*, item: Item, kind: str) -> bool:
    """Whether an undo has something done on this item to undo; True for every other decision."""
    undone = UNDOES.get(DecisionKind(kind))
    return undone is None or Action.objects.filter(decision__item=item, kind=undone, status=Action.Status.DONE).exists()


@transaction.atomic
def item_decide(*, item: Item, user, kind: str, note: str = "", ip_address: str | None = None) -> Decision:
    """Record a human decision on an item and queue the action it causes."""
    if kind not in DecisionKind.values:
        raise DecisionNotPossible(f"Unknown action {kind!r}: choose one of {', '.join(DecisionKind.values)}.")
    membership = membership_for(user=user, account=item.account)
    if membership is None or not membership.can_decide:
        raise PermissionDenied("Only the account's owner and co-moderators can decide.")
    state = decision_capability(account=item.account, kind=kind, platform=item.platform)
    if state is not None and not state.available:
        raise DecisionNotPossible(state.reason)

    item = Item.objects.select_for_update().get(pk=item.pk)
    if not undo_possible(item=item, kind=kind):
        undone = UNDOES[DecisionKind(kind)]
        raise DecisionNotPossible(f"There is no {DecisionKind(undone).label.lower()} on this reply to undo.")
    decision = Decision.objects.create(item=item, kind=kind, note=note[:5000], decided_by=user)
    item.status = STATUS_AFTER.get(DecisionKind(kind), Item.Status.ACTIONED)
    item.save(update_fields=["status"])
    audit_record(
        verb=AuditEvent.Verb.DECISION,
        actor=user,
        account=item.account,
        obj=item,
        summary=f"{decision.get_kind_display()} on {item} by @{item.author.handle}",
        detail={"decision": str(decision.code), "action": kind, "note": decision.note},
        ip_address=ip_address,
    )

    if kind == DecisionKind.DISMISS:
        return decision
    if kind == DecisionKind.ESCALATE or (state is not None and not state.automatic):
        guidance = POLICE_GUIDANCE if kind == DecisionKind.ESCALATE else f"{state.reason} {state.manual_url}".strip()
        Action.objects.create(decision=decision, kind=kind, status=Action.Status.MANUAL, guidance=guidance)
        audit_record(
            verb=AuditEvent.Verb.ACTION_MANUAL,
            actor=user,
            account=item.account,
            obj=item,
            summary=f"{decision.get_kind_display()}: manual step prepared",
            detail={"decision": str(decision.code), "guidance": guidance},
        )
        return decision

    action = Action.objects.create(decision=decision, kind=kind)
    from moderation.tasks import action_execute  # tasks import services; keep the cycle lazy

    transaction.on_commit(lambda: action_execute.delay(action.pk))
    return decision


def action_run(*, action_id: int) -> Action:
    """Carry out one pending action against the platform; safe to call twice.

    Raises ActionError(retryable=True) after recording the attempt when the caller should try
    again later; the attempt is committed first so the count survives the retry.
    """
    retry_error: ActionError | None = None
    with transaction.atomic():
        action = (
            Action.objects.select_for_update()
            .select_related("decision__item__account", "decision__item__author")
            .get(pk=action_id)
        )
        if action.status != Action.Status.PENDING:
            return action
        item = action.decision.item
        account = item.account
        connector = connector_for(item.platform)
        free_at = _action_slot_free_at(action, connector.action_limits.get(action.kind))
        if free_at is not None:
            # Over the platform's limit for now: wait in the outbox for a free slot.
            action.not_before = free_at
            action.save(update_fields=["not_before", "updated_at"])
            return action
        action.attempts += 1
        try:
            if action.kind in (DecisionKind.HIDE, DecisionKind.UNHIDE, DecisionKind.DELETE):
                result = getattr(connector, action.kind)(account, item)
            else:
                result = getattr(connector, action.kind)(account, item.author)
        except Exception as exc:
            if isinstance(exc, ActionError):
                error, retryable = str(exc), exc.retryable
            else:  # an unexpected failure is retried, then recorded
                logger.exception("Action %s failed", action.code)
                error, retryable = f"Unexpected error: {type(exc).__name__}", True
            final = not retryable or action.attempts >= MAX_ACTION_ATTEMPTS
            _action_failed(action, error, final=final)
            if not final:
                retry_error = ActionError(error, retryable=True)
        else:
            action.status = Action.Status.DONE
            action.external_reference = result.reference[:200]
            action.last_error = ""
            action.completed_at = timezone.now()
            action.save()
            audit_record(
                verb=AuditEvent.Verb.ACTION_DONE,
                account=account,
                obj=item,
                summary=f"{action.get_kind_display()} done on {item.platform}",
                detail={
                    "action": str(action.code),
                    "reference": action.external_reference,
                    "attempts": action.attempts,
                },
            )
    if retry_error is not None:
        raise retry_error
    return action


def _action_slot_free_at(action: Action, limit: tuple[int, int] | None) -> datetime | None:
    """When the account may next do this kind of action, or None if it may now.

    A sliding window: with at most `count` actions per `seconds`, the next slot opens when the
    count-th most recent one done falls out of the window.
    """
    if not limit:
        return None
    count, seconds = limit
    now = timezone.now()
    recent = (
        Action.objects.filter(
            decision__item__account_id=action.decision.item.account_id,
            kind=action.kind,
            status=Action.Status.DONE,
            completed_at__gt=now - timedelta(seconds=seconds),
        )
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)
    )
    done = list(recent[:count])
    if len(done) < count:
        return None
    return done[-1] + timedelta(seconds=seconds)


def actions_due() -> list[int]:
    """Pending actions that should run now: waited out a limit, or whose task was lost."""
    now = timezone.now()
    stale = now - timedelta(minutes=10)
    return list(
        Action.objects.filter(status=Action.Status.PENDING)
        .filter(Q(not_before__lte=now) | Q(not_before__isnull=True, updated_at__lte=stale))
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


@transaction.atomic
def action_record_reference(*, action: Action, user, reference: str, ip_address: str | None = None) -> Action:
    """Close a guided manual step (a report made on the platform) with the platform's reference."""
    action = Action.objects.select_for_update().select_related("decision__item__account").get(pk=action.pk)
    if action.status != Action.Status.MANUAL:
        raise DecisionNotPossible("Only a manual step waiting for its outcome can be given a reference.")
    membership = membership_for(user=user, account=action.decision.item.account)
    if membership is None or not membership.can_decide:
        raise PermissionDenied("Only the account's owner and co-moderators can record this.")
    reference = reference.strip()
    if not reference:
        raise DecisionNotPossible("Enter the reference number the platform gave you.")
    action.external_reference = reference[:200]
    action.status = Action.Status.DONE
    action.completed_at = timezone.now()
    action.save()
    item = action.decision.item
    audit_record(
        verb=AuditEvent.Verb.ACTION_DONE,
        actor=user,
        account=item.account,
        obj=item,
        summary=f"{action.get_kind_display()} done by hand, platform reference {action.external_reference}",
        detail={"action": str(action.code), "reference": action.external_reference},
        ip_address=ip_address,
    )
    return action


def _action_failed(action: Action, error: str, *, final: bool) -> None:
    action.last_error = error[:2000]
    if final:
        action.status = Action.Status.FAILED
        action.completed_at = timezone.now()
    action.save()
    if final:
        item = action.decision.item
        audit_record(
            verb=AuditEvent.Verb.ACTION_FAILED,
            account=item.account,
            obj=item,
            summary=f"{action.get_kind_display()} failed: {action.last_error}",
            detail={"action": str(action.code), "attempts": action.attempts, "error": action.last_error},
        )
