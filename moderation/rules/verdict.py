"""The engine's output types: one Hit per (rule, category), gathered in a Verdict."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES: tuple[str, ...] = ("none", "low", "medium", "high", "critical")
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True)
class Cue:
    """One piece of evidence from a detector; the engine keeps the strongest per (rule, category)."""

    rule: int
    category: str
    score: float
    severity: str
    reason: str


@dataclass(frozen=True)
class Hit:
    """One rule broken in one way, with the evidence a human needs to judge it."""

    rule: int
    category: str
    score: float  # confidence 0..1, two decimal places
    severity: str
    reason: str

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "category": self.category,
            "score": self.score,
            "severity": self.severity,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Verdict:
    """Every hit for one reply; ``severity`` is the worst of them ("none" when clean)."""

    hits: tuple[Hit, ...]
    severity: str

    def as_dict(self) -> dict:
        return {"hits": [hit.as_dict() for hit in self.hits], "severity": self.severity}

    @property
    def rules(self) -> set[int]:
        return {hit.rule for hit in self.hits}

    @property
    def categories(self) -> set[str]:
        return {hit.category for hit in self.hits}

    def hit(self, category: str) -> Hit | None:
        """The hit for ``category``, or None."""
        for candidate in self.hits:
            if candidate.category == category:
                return candidate
        return None
