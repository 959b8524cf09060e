"""The toolkit's advice, applied to one flagged item.

Mute the merely annoying (a block can become a "trophy"), block the abusive, report
discrimination to the platform, and escalate threats with the police guidance.
"""

from __future__ import annotations

from dataclasses import dataclass

from moderation.models import DecisionKind, Item, Severity
from platforms.base import Capability, CapabilityState

THREAT_ADVICE = "Threat to safety: call 999 if anyone is in immediate danger, otherwise 101. Tell your colleagues."


@dataclass(frozen=True)
class Suggestion:
    kind: str
    why: str

    @property
    def label(self) -> str:
        return DecisionKind(self.kind).label


def suggest_action(item: Item, capabilities: dict[Capability, CapabilityState]) -> Suggestion | None:
    hits = list(item.hits.all())
    if not hits:
        return None
    categories = {hit.category for hit in hits}
    rules = {hit.rule for hit in hits}

    def can(capability: Capability) -> bool:
        return capabilities.get(capability, CapabilityState(automatic=False)).automatic

    if "threat" in categories:
        return Suggestion(DecisionKind.ESCALATE, THREAT_ADVICE)
    if 3 in rules:
        return Suggestion(
            DecisionKind.REPORT,
            "Discrimination: report it to the platform, then block or hide it.",
        )
    if 2 in rules or item.severity >= Severity.HIGH:
        if can(Capability.BLOCK):
            return Suggestion(DecisionKind.BLOCK, "Abusive: block the author.")
        if can(Capability.MUTE):
            return Suggestion(DecisionKind.MUTE, "Abusive: this platform can't block here, so mute and report.")
        return Suggestion(DecisionKind.HIDE, "Abusive: hide it and report it.")
    if 4 in rules:
        return Suggestion(
            DecisionKind.HIDE, "False or unverified information: hide it; the correction is in the reason."
        )
    if can(Capability.MUTE):
        return Suggestion(DecisionKind.MUTE, "Annoying rather than abusive: mute (a block can become a trophy).")
    return Suggestion(DecisionKind.HIDE, "Annoying rather than abusive: hide it.")
