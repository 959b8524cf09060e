"""The engine: runs every detector over one reply and folds their cues into a Verdict."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from moderation.rules import abuse, anonymity, discrimination, groups, insinuation, learned, threats
from moderation.rules.claims import ClaimMatcher, DomainMatcher
from moderation.rules.normalise import MAX_CHARS, Document
from moderation.rules.verdict import SEVERITY_RANK, Cue, Hit, Verdict

logger = logging.getLogger(__name__)

_MAX_REASONS = 3
# Detectors that read quoted words as written (a quoted false claim is still the claim; a group's
# name in scare quotes, "the 'disabled' lot", is the insinuation's sneer). Insinuation checks for
# itself whether the quotation is reported or condemned.
_READ_QUOTED = frozenset({"claims", "domains", "insinuation"})


@dataclass(frozen=True)
class Claim:
    """A false claim the team has registered, with its correction and where the truth is."""

    code: str
    claim: str
    correction: str
    source_url: str


@dataclass(frozen=True)
class Register:
    claims: tuple[Claim, ...] = ()
    unreliable_domains: tuple[str, ...] = ()


class Engine:
    """Checks replies against the five LGA rules of engagement. Build once, classify many."""

    VERSION = "rules-3.2"
    # Only the first MAX_CHARS characters of a reply are examined (see normalise.MAX_CHARS).
    MAX_CHARS = MAX_CHARS

    def __init__(self, register: Register | None = None) -> None:
        self.register = register if register is not None else Register()
        # Everything per-register is prepared here so classify() does no set-up work.
        self._claims = ClaimMatcher(self.register.claims)
        self._domains = DomainMatcher(self.register.unreliable_domains)
        self._text_detectors: tuple[tuple[str, Callable[[Document], list[Cue]]], ...] = (
            ("threats", threats.detect),
            ("abuse", abuse.detect),
            ("discrimination", discrimination.detect),
            ("groups", groups.analyse),
            ("insinuation", insinuation.detect),
            ("claims", self._claims.match),
            ("domains", self._domains.match),
        )

    def classify(self, text: str, author: dict | None = None, account: dict | None = None) -> Verdict:
        """Judge one reply. ``account`` ({"handle", "display_name"}) is the account replied to,
        so an author impersonating the politician can be recognised."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        cues: list[Cue] = []
        if text:
            doc = Document(text)
            # Hate and threats are judged on the reply without the words it quotes to condemn.
            said = groups.unquoted(doc)
            for name, detect in self._text_detectors:
                cues.extend(self._run(name, detect, doc if name in _READ_QUOTED else said))
            # The statistical stage last: where the rules already flagged rule 1-3 trouble it has
            # nothing to add and is skipped.
            flagged = any(c.rule in (1, 2, 3) for c in cues)
            cues.extend(self._run("learned", lambda d: learned.detect(d, flagged=flagged), doc))
            hate_found = any(c.rule == 3 for c in cues)
            threat_found = any(c.rule == 2 and c.category == "threat" for c in cues)
            cues.extend(
                self._run(
                    "second reading",
                    lambda d: learned.second_reading(d, said, hate_found=hate_found, threat_found=threat_found),
                    doc,
                )
            )
        if author is not None:
            cues.extend(self._run("anonymity", lambda a: anonymity.assess(a, account=account), author))
        return _verdict(cues)

    @staticmethod
    def _run(name: str, detect: Callable, subject: object) -> list[Cue]:
        # One faulty detector must not cost the others' findings (a threat still has to be
        # flagged if, say, the claims matcher trips over an odd register entry); the fault is logged.
        try:
            return detect(subject)
        except Exception:
            logger.exception("rules engine: %s detector failed", name)
            return []


def _verdict(cues: list[Cue]) -> Verdict:
    if not cues:
        return Verdict(hits=(), severity="none")
    grouped: dict[tuple[int, str], list[Cue]] = {}
    for cue in cues:
        grouped.setdefault((cue.rule, cue.category), []).append(cue)
    has_threat = (2, "threat") in grouped
    hits = []
    for (rule, category), group in grouped.items():
        group.sort(key=lambda c: (-c.score, -SEVERITY_RANK[c.severity]))
        reasons: list[str] = []
        for cue in group:
            if cue.reason not in reasons:
                reasons.append(cue.reason)
        severity = max((c.severity for c in group), key=SEVERITY_RANK.__getitem__)
        reason = "; ".join(reasons[:_MAX_REASONS])
        if rule == 3 and has_threat:
            # Discrimination that comes with a threat is a hate crime in the making.
            severity = "critical"
            reason += " (together with a threat)"
        score = round(max(0.0, min(1.0, group[0].score)), 2)
        hits.append(Hit(rule=rule, category=category, score=score, severity=severity, reason=reason))
    hits.sort(key=lambda h: (-SEVERITY_RANK[h.severity], h.rule, -h.score, h.category))
    worst = max((h.severity for h in hits), key=SEVERITY_RANK.__getitem__)
    return Verdict(hits=tuple(hits), severity=worst)
