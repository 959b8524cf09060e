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
from moderation import feedback
from moderation.models import (
    AccountPost,
    Action,
    AuditEvent,
    Author,
    CampaignAccount,
    Decision,
    DecisionKind,
    FalseClaim,
    Feedback,
    Item,
    Membership,
    Role,
    RuleHit,
    ScoreThreshold,
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


def _author_values(fetched: FetchedAuthor) -> dict:
    return {
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


def _author_upsert(*, platform: str, fetched: FetchedAuthor) -> Author:
    values = _author_values(fetched)
    author, _ = Author.objects.update_or_create(platform=platform, external_id=fetched.external_id, defaults=values)
    return author


def _authors_upsert(*, platform: str, fetched: list[FetchedAuthor]) -> dict[str, Author]:
    """Write each distinct author of a page once, as last seen in it; by external id.

    One read for the lot, one UPDATE for those whose profile is unchanged (their last-seen
    time), one bulk update for those whose profile changed, and an upsert per new author. A
    20,000-message chat from 150 people used to write its authors 20,000 times.
    """
    latest = {author.external_id: author for author in fetched}  # a later item's profile wins
    if not latest:
        return {}
    authors = {
        author.external_id: author for author in Author.objects.filter(platform=platform, external_id__in=list(latest))
    }
    now = timezone.now()
    unchanged, changed = [], []
    for external_id, seen in latest.items():
        author = authors.get(external_id)
        if author is None:
            authors[external_id] = _author_upsert(platform=platform, fetched=seen)
            continue
        values = _author_values(seen)
        author.last_seen_at = now
        if all(getattr(author, name) == value for name, value in values.items()):
            unchanged.append(author.pk)
            continue
        for name, value in values.items():
            setattr(author, name, value)
        changed.append(author)
    if unchanged:
        Author.objects.filter(pk__in=unchanged).update(last_seen_at=now)
    if changed:
        Author.objects.bulk_update(changed, [*_author_values(latest[changed[0].external_id]), "last_seen_at"])
    return authors


def _snapshot(fetched: FetchedAuthor) -> dict:
    """The profile exactly as seen with this item; also what the rules engine judges."""
    return {**fetched.profile(), "seen_at": datetime.now(UTC).isoformat()}


def _shortfalls(verdict: Verdict, thresholds: feedback.Thresholds | None) -> list[float | None]:
    """Per hit, the account's threshold it falls short of, or None when it counts."""
    return [feedback.below_threshold(thresholds or {}, hit.rule, hit.category, hit.score) for hit in verdict.hits]


def _apply_verdict(item: Item, verdict: Verdict, engine_version: str, shortfalls: list[float | None]) -> None:
    """Flag the item when a hit reaches the account's threshold for its rule (every hit, without one).

    Hits below it are still stored (see `_hit_rows`) but leave the item clear; the severity is
    the worst of the hits that count.
    """
    counting = [hit for hit, shortfall in zip(verdict.hits, shortfalls, strict=True) if shortfall is None]
    item.severity = max((Severity.from_name(hit.severity) for hit in counting), default=Severity.NONE)
    item.status = Item.Status.OPEN if counting else Item.Status.CLEAR
    item.engine_version = engine_version


def _hit_rows(item: Item, verdict: Verdict, shortfalls: list[float | None]) -> list[RuleHit]:
    return [
        RuleHit(
            item=item,
            rule=hit.rule,
            category=hit.category,
            score=hit.score,
            severity=Severity.from_name(hit.severity),
            reason=hit.reason,
            below_threshold=shortfall,
        )
        for hit, shortfall in zip(verdict.hits, shortfalls, strict=True)
    ]


def item_ingest_page(*, account: CampaignAccount, page: FetchPage, platform: str | None = None) -> IngestResult:
    """Store one page of fetched items, classify the new ones; re-ingesting never duplicates.

    `platform` is the channel the items came from when it isn't the account's own (a WhatsApp
    chat or a typed-up post kept as one account's evidence); the items and their authors are
    stored under it, so (platform, external_id) stays unique. Each author is written once per page.
    """
    platform = platform or account.platform
    result = IngestResult()
    engine = rules_engine()
    thresholds = feedback.account_thresholds(account)
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
        known = set(Item.objects.filter(platform=platform, external_id__in=ids).values_list("external_id", flat=True))
        authors = _authors_upsert(
            platform=platform, fetched=[fetched.author for fetched in page.items if fetched.external_id not in known]
        )
        hits: list[RuleHit] = []
        flagged_ids: list[int] = []
        for fetched in page.items:
            if fetched.external_id in known:
                result.duplicates += 1
                continue
            known.add(fetched.external_id)  # the same id twice in one page
            try:
                item = _item_create(
                    account=account,
                    fetched=fetched,
                    posts=posts,
                    engine=engine,
                    hits=hits,
                    thresholds=thresholds,
                    platform=platform,
                    author=authors[fetched.author.external_id],
                )
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
    *,
    account: CampaignAccount,
    fetched: FetchedItem,
    posts: dict,
    engine: Engine,
    hits: list[RuleHit],
    thresholds: feedback.Thresholds | None = None,
    platform: str | None = None,
    author: Author | None = None,
) -> Item:
    platform = platform or account.platform
    author = author or _author_upsert(platform=platform, fetched=fetched.author)
    in_reply_to = posts.get(fetched.in_reply_to)
    if in_reply_to is None and fetched.in_reply_to:
        in_reply_to = AccountPost.objects.filter(account=account, external_id=fetched.in_reply_to).first()
    snapshot = _snapshot(fetched.author)
    item = Item(
        account=account,
        platform=platform,
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
    shortfalls = _shortfalls(verdict, thresholds)
    _apply_verdict(item, verdict, engine.VERSION, shortfalls)
    with transaction.atomic():  # a savepoint, so a duplicate doesn't spoil the page
        item.save()
    hits.extend(_hit_rows(item, verdict, shortfalls))
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


def _require_decider(*, user, account: CampaignAccount, to: str = "decide") -> None:
    membership = membership_for(user=user, account=account)
    if membership is None or not membership.can_decide:
        raise PermissionDenied(f"Only the account's owner and co-moderators can {to}.")


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
def item_decide(
    *, item: Item, user, kind: str, note: str = "", ip_address: str | None = None, rule: int | None = None
) -> Decision:
    """Record a human decision on an item and queue the action it causes.

    `rule` is for "missed" only: the rule (1-5) a reply the engine let through breaks.
    """
    if kind not in DecisionKind.values:
        raise DecisionNotPossible(f"Unknown action {kind!r}: choose one of {', '.join(DecisionKind.values)}.")
    if kind == DecisionKind.MISSED:
        return item_flag_missed(item=item, user=user, rule=rule, note=note, ip_address=ip_address)
    if rule is not None:
        raise DecisionNotPossible("A rule goes only with the missed action, which flags a reply the rules let through.")
    _require_decider(user=user, account=item.account)
    state = decision_capability(account=item.account, kind=kind, platform=item.platform)
    if state is not None and not state.available:
        raise DecisionNotPossible(state.reason)

    item = Item.objects.select_for_update().get(pk=item.pk)
    status_before = item.status
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
        _feedback_record_dismissal(item=item, decision=decision, status_before=status_before)
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


# --- The team correcting the engine: feedback and thresholds ------------------------------


def _feedback_record_dismissal(*, item: Item, decision: Decision, status_before: str) -> Feedback | None:
    """A dismissal overrules the engine hits that flagged the item: keep them as feedback.

    Nothing is recorded when no engine hit flagged it (a clear reply, or one only a person
    flagged), nor when it was already dismissed.
    """
    if status_before == Item.Status.DISMISSED:
        return None
    overruled = feedback.engine_hits(item, flagging_only=True)
    if not overruled:
        return None
    return Feedback.objects.create(
        account=item.account,
        item=item,
        decision=decision,
        kind=Feedback.Kind.NOT_A_VIOLATION,
        rules=[],
        engine_version=item.engine_version,
        hits=overruled,
    )


@transaction.atomic
def item_flag_missed(*, item: Item, user, rule: int | None, note: str = "", ip_address: str | None = None) -> Decision:
    """A reply the rules let through, flagged by a moderator: into the queue with their rule.

    Adds a hit from the person (category "moderator"), records the decision, the feedback for
    the engine's test cases and an audit event, and captures evidence as for any flagged reply.
    """
    _require_decider(user=user, account=item.account)
    if isinstance(rule, bool) or not isinstance(rule, int) or rule not in feedback.HUMAN_SEVERITY:
        raise DecisionNotPossible("Choose the rule (1 to 5) the reply breaks.")
    item = Item.objects.select_for_update().select_related("author", "account").get(pk=item.pk)
    if item.status != Item.Status.CLEAR:
        raise DecisionNotPossible(
            f"Only a reply the rules let through can be flagged as missed; this one is "
            f"{item.get_status_display().lower()} already."
        )
    note = note.strip()[:5000]
    engine_hits = feedback.engine_hits(item)
    decision = Decision.objects.create(item=item, kind=DecisionKind.MISSED, note=note, decided_by=user)
    severity = Severity.from_name(feedback.HUMAN_SEVERITY[rule])
    reason = f"flagged by {user.username}: {note}" if note else f"flagged by {user.username}"
    RuleHit.objects.create(
        item=item, rule=rule, category=feedback.HUMAN_CATEGORY, score=1.0, severity=severity, reason=reason
    )
    item.status = Item.Status.OPEN
    item.severity = max(item.severity, severity)
    item.save(update_fields=["status", "severity"])
    Feedback.objects.create(
        account=item.account,
        item=item,
        decision=decision,
        kind=Feedback.Kind.MISSED,
        rules=[rule],
        engine_version=item.engine_version,
        hits=engine_hits,
    )
    audit_record(
        verb=AuditEvent.Verb.DECISION,
        actor=user,
        account=item.account,
        obj=item,
        summary=f"Flagged by hand as missed (rule {rule}) on {item} by @{item.author.handle}",
        detail={"decision": str(decision.code), "action": DecisionKind.MISSED.value, "rule": rule, "note": note},
        ip_address=ip_address,
    )
    # Keep the evidence before anyone hides or blocks it, as for a reply the engine flagged.
    evidence_capture_on_commit([item.pk])
    return decision


class ThresholdRefused(Exception):
    """A threshold that can't be set; the message says why, in plain words."""


def _require_owner(*, user, account: CampaignAccount) -> None:
    if not Membership.objects.filter(user=user, account=account, role=Role.OWNER).exists():
        raise PermissionDenied("Only the account's owners can change its thresholds.")


def _threshold_target(rule: object, category: object) -> tuple[int, str]:
    """A (rule, category) as typed or posted, read as a number and a lower-case category."""
    try:
        rule = int(str(rule).strip())
    except ValueError:
        raise ThresholdRefused("Rule must be a number from 1 to 5.") from None
    return rule, str(category or "").strip().lower()


def _threshold_key(rule: object, category: object) -> tuple[int, str]:
    """A (rule, category) checked against what the engine reports; threats are refused."""
    rule, category = _threshold_target(rule, category)
    problem = feedback.category_problem(rule, category) or feedback.threshold_refusal(rule, category)
    if problem:
        raise ThresholdRefused(problem)
    return rule, category


def _threshold_label(rule: int, category: str) -> str:
    return f"rule {rule} {category}" if category else f"rule {rule} (every category)"


@transaction.atomic
def account_threshold_set(
    *,
    account: CampaignAccount,
    user,
    rule: object,
    category: object = "",
    min_score: object,
    source: str = "by hand",
    ip_address: str | None = None,
) -> ScoreThreshold:
    """Set the account's minimum score for a rule, or one category of it; audited with the old value."""
    _require_owner(user=user, account=account)
    rule, category = _threshold_key(rule, category)
    try:
        value = round(float(str(min_score).strip()), 2)
    except ValueError:
        raise ThresholdRefused("The minimum score must be a number between 0.01 and 1, like 0.65.") from None
    if not 0 < value <= 1:
        raise ThresholdRefused(f"The minimum score must be between 0.01 and 1, not {min_score}.")
    existing = ScoreThreshold.objects.select_for_update().filter(account=account, rule=rule, category=category).first()
    before = existing.min_score if existing else None
    threshold, _ = ScoreThreshold.objects.update_or_create(
        account=account, rule=rule, category=category, defaults={"min_score": value, "set_by": user}
    )
    what = _threshold_label(rule, category)
    audit_record(
        verb=AuditEvent.Verb.THRESHOLD,
        actor=user,
        account=account,
        summary=f"Minimum score for {what} on @{account.handle} set to {value:.2f} ({source})"
        + (f", was {before:.2f}" if before is not None else ""),
        detail={"rule": rule, "category": category, "min_score": value, "before": before, "source": source},
        ip_address=ip_address,
    )
    return threshold


@transaction.atomic
def account_threshold_remove(
    *, account: CampaignAccount, user, rule: object, category: object = "", ip_address: str | None = None
) -> None:
    """Remove a threshold: hits of that rule (or category) flag again whatever their score."""
    _require_owner(user=user, account=account)
    rule, category = _threshold_target(rule, category)
    existing = ScoreThreshold.objects.select_for_update().filter(account=account, rule=rule, category=category).first()
    if existing is None:
        raise ThresholdRefused("There is no such threshold on this account.")
    before = existing.min_score
    existing.delete()
    what = _threshold_label(rule, category)
    audit_record(
        verb=AuditEvent.Verb.THRESHOLD,
        actor=user,
        account=account,
        summary=f"Minimum score for {what} on @{account.handle} removed, was {before:.2f}",
        detail={"rule": rule, "category": category, "min_score": None, "before": before, "source": "removed"},
        ip_address=ip_address,
    )


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
    _require_decider(user=user, account=action.decision.item.account, to="record this")
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
