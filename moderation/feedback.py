"""How the team corrects the engine: feedback records, per-account thresholds, suggestions.

Reads and calculations only; the writes (recording feedback, setting a threshold) live in
`moderation.services`. Two kinds of feedback come from moderators' decisions:

- "not a violation": a dismissed flag, with the engine hits it overruled;
- "missed": a reply the engine let through, flagged by hand with the rule it breaks.

Both become test cases through `export_feedback`. Dismissals also feed a suggested minimum
score per (rule, category) for the account, which its owner may apply.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from moderation.models import CampaignAccount, Feedback, Item, RuleHit, ScoreThreshold
from moderation.rules.discrimination import CATEGORIES as DISCRIMINATION_CATEGORIES

# The category of a hit a moderator adds by hand ("missed"); never an engine category.
HUMAN_CATEGORY = "moderator"
# What a moderator's flag weighs, per rule, when they say the engine missed it.
HUMAN_SEVERITY = {1: "low", 2: "high", 3: "high", 4: "medium", 5: "low"}

# The categories the engine gives each rule; a threshold must name one of these (or none).
RULE_CATEGORIES: dict[int, tuple[str, ...]] = {
    1: ("incivility",),
    2: ("abuse", "harassment", "threat"),
    3: tuple(DISCRIMINATION_CATEGORIES),
    4: ("false_claim", "unreliable_source"),
    5: ("anonymous",),
}

# A suggestion needs at least this many dismissed hits of a (rule, category) below it ...
MIN_DISMISSED = 10
# ... and at least this share of the decided hits below it must have been dismissed.
DISMISSED_SHARE = 0.8

Thresholds = dict[tuple[int, str], float]


def threshold_refusal(rule: int, category: str) -> str:
    """Why a threshold for (rule, category) may not exist, or "" when it may."""
    if rule == 2 and category == "threat":
        return (
            "Threats can never be thresholded away: every threat goes to the queue, "
            "however unsure the engine is, so a person sees it."
        )
    if rule == 2 and not category:
        return (
            "Rule 2 includes threats, which can never be thresholded away. "
            "Set a threshold for its abuse or harassment category instead."
        )
    if category == HUMAN_CATEGORY:
        return "A moderator's own flag is never thresholded."
    return ""


def category_problem(rule: int, category: str) -> str:
    """Why (rule, category) isn't something the engine reports, or "" when it is."""
    if rule not in RULE_CATEGORIES:
        return f"Rule must be 1 to 5, not {rule}."
    if category and category not in RULE_CATEGORIES[rule]:
        return f"Rule {rule} has no category {category!r}: choose one of {', '.join(RULE_CATEGORIES[rule])}."
    return ""


def account_thresholds(account: CampaignAccount) -> Thresholds:
    """The account's minimum scores, keyed by (rule, category); category "" is the whole rule."""
    return {
        (rule, category): min_score
        for rule, category, min_score in ScoreThreshold.objects.filter(account_id=account.pk).values_list(
            "rule", "category", "min_score"
        )
    }


def threshold_for(thresholds: Thresholds, rule: int, category: str) -> float | None:
    """The minimum score a (rule, category) hit needs to flag; a category's own wins over its rule's."""
    if threshold_refusal(rule, category):
        return None  # threats always flag, whatever a hand-edited database says
    return thresholds.get((rule, category), thresholds.get((rule, "")))


def below_threshold(thresholds: Thresholds, rule: int, category: str, score: float) -> float | None:
    """The threshold a hit falls short of, or None when it counts."""
    minimum = threshold_for(thresholds, rule, category)
    return minimum if minimum is not None and score < minimum else None


def engine_hits(item: Item, *, flagging_only: bool = False) -> list[dict]:
    """The engine's hits on an item as plain records (a moderator's own flags left out)."""
    hits = RuleHit.objects.filter(item=item).exclude(category=HUMAN_CATEGORY).order_by("-severity", "rule", "id")
    if flagging_only:
        hits = hits.filter(below_threshold__isnull=True)
    return [{**hit.as_dict(), "below_threshold": hit.below_threshold} for hit in hits]


# --- Suggested thresholds ----------------------------------------------------------------


@dataclass(frozen=True)
class ThresholdSuggestion:
    """A minimum score for one (rule, category), with the decisions it rests on."""

    rule: int
    category: str
    min_score: float
    dismissed_below: int  # dismissed hits that would no longer have flagged
    confirmed_below: int  # hits acted on that would no longer have flagged
    dismissed_total: int
    confirmed_total: int

    @property
    def share(self) -> float:
        decided = self.dismissed_below + self.confirmed_below
        return self.dismissed_below / decided if decided else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)


def _suggested_minimum(
    dismissed: list[float], confirmed: list[float], *, min_dismissed: int, share: float
) -> tuple[float, int, int] | None:
    """The highest minimum score below which enough hits were dismissed, with the counts below it.

    Candidates sit just above each dismissed score (moving past a confirmed score only lowers
    the share). Scores carry two decimals, so "just above" is the next hundredth.
    """
    best = None
    for score in sorted(set(dismissed)):
        minimum = min(1.0, round(score + 0.01, 2))
        dismissed_below = sum(1 for s in dismissed if s < minimum)
        confirmed_below = sum(1 for s in confirmed if s < minimum)
        if dismissed_below < min_dismissed:
            continue
        if dismissed_below / (dismissed_below + confirmed_below) >= share:
            best = (minimum, dismissed_below, confirmed_below)
    return best


def threshold_suggestions(
    account: CampaignAccount, *, min_dismissed: int = MIN_DISMISSED, share: float = DISMISSED_SHARE
) -> list[ThresholdSuggestion]:
    """For each (rule, category) with at least `min_dismissed` dismissed hits, a suggested minimum.

    Dismissed hits come from "not a violation" feedback on replies that are still dismissed (a
    reply later acted on counts as confirmed instead), each reply once. Confirmed hits are the
    flagging engine hits on the account's actioned and escalated replies.
    """
    dismissed: dict[tuple[int, str], list[float]] = defaultdict(list)
    seen: set[int] = set()
    feedback = Feedback.objects.filter(
        account=account, kind=Feedback.Kind.NOT_A_VIOLATION, item__status=Item.Status.DISMISSED
    ).order_by("item_id", "-created_at")
    for item_id, hits in feedback.values_list("item_id", "hits").iterator():
        if item_id in seen:
            continue
        seen.add(item_id)
        for hit in _valid_hits(hits):
            if hit.get("below_threshold") is None:
                dismissed[(hit["rule"], hit["category"])].append(hit["score"])

    confirmed: dict[tuple[int, str], list[float]] = defaultdict(list)
    rows = (
        RuleHit.objects.filter(
            item__account=account,
            item__status__in=[Item.Status.ACTIONED, Item.Status.ESCALATED],
            below_threshold__isnull=True,
        )
        .exclude(category=HUMAN_CATEGORY)
        .values_list("rule", "category", "score")
    )
    for rule, category, score in rows.iterator():
        confirmed[(rule, category)].append(score)

    suggestions = []
    for (rule, category), scores in sorted(dismissed.items()):
        if len(scores) < min_dismissed or threshold_refusal(rule, category):
            continue
        found = _suggested_minimum(scores, confirmed[(rule, category)], min_dismissed=min_dismissed, share=share)
        if found is None:
            continue
        minimum, dismissed_below, confirmed_below = found
        suggestions.append(
            ThresholdSuggestion(
                rule=rule,
                category=category,
                min_score=minimum,
                dismissed_below=dismissed_below,
                confirmed_below=confirmed_below,
                dismissed_total=len(scores),
                confirmed_total=len(confirmed[(rule, category)]),
            )
        )
    return suggestions


def _valid_hits(hits: object) -> Iterator[dict]:
    """Stored hit records that can be read; a damaged one is skipped, never fatal."""
    for hit in hits if isinstance(hits, list) else []:
        if (
            isinstance(hit, dict)
            and isinstance(hit.get("rule"), int)
            and isinstance(hit.get("category"), str)
            and isinstance(hit.get("score"), int | float)
        ):
            yield hit


# --- The evaluation set ------------------------------------------------------------------

# Rule 5 is judged from the author's profile; its reasons describe that profile, so the export,
# which carries the text only, leaves them out.
WITHHELD_REASON = "judged from the author's profile (not exported)"


def feedback_for_export(*, account: CampaignAccount | None = None):
    """Feedback oldest first, with what each export line needs."""
    rows = Feedback.objects.select_related("account", "item", "decision").order_by("created_at", "id")
    if account is not None:
        rows = rows.filter(account=account)
    return rows


def feedback_line(feedback: Feedback) -> dict:
    """One evaluation case: the reply's text, what the moderator expected and what the engine said.

    Text only: no author handle, name, profile or id, and no moderator's name or note.
    """
    hits = []
    for hit in _valid_hits(feedback.hits):
        hits.append(
            {
                "rule": hit["rule"],
                "category": hit["category"],
                "score": hit["score"],
                "severity": hit.get("severity", ""),
                "reason": WITHHELD_REASON if hit["rule"] == 5 else hit.get("reason", ""),
                "below_threshold": hit.get("below_threshold"),
            }
        )
    return {
        "text": feedback.item.text,
        "expected": {"rules": sorted({int(rule) for rule in feedback.rules})},
        "engine": {"version": feedback.engine_version, "hits": hits},
        "kind": feedback.kind,
        "account": feedback.account.handle,
        "decided_at": feedback.decision.decided_at.isoformat(),
    }
